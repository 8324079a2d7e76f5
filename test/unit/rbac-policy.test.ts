import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestObject } from '../../lib';
import { rbacViolations } from '../../lib/policy/rbac-policy';
import { synthStack } from '../helpers';

const role = (rules: object[], kind = 'ClusterRole') => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'r' }, rules }) as unknown as ManifestObject;
const binding = (name: string, kind = 'ClusterRoleBinding') => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [],
}) as unknown as ManifestObject;
const readPods = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] };

describe('rbacViolations', () => {
  it('passes a read-only role, a binding to view, and ignores other kinds', () => {
    assert.deepEqual(rbacViolations(role([readPods])), []);
    assert.deepEqual(rbacViolations(binding('view')), []);
    assert.equal(rbacViolations({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's' } }), undefined);
  });

  const cases: [string, ManifestObject, RegExp][] = [
    ['a binding to cluster-admin', binding('cluster-admin'), /^roleRef ClusterRole "cluster-admin" grants full control of the cluster: bind "view"/],
    ['a RoleBinding to edit', binding('edit', 'RoleBinding'), /ClusterRole "edit" can read Secrets/],
    ['a binding to admin', binding('admin'), /ClusterRole "admin" can read Secrets/],
    ['wildcard verbs', role([{ ...readPods, verbs: ['*'] }]), /rules\[0\]\.verbs has "\*": list only the verbs needed/],
    ['wildcard resources', role([{ ...readPods, resources: ['*'] }]), /rules\[0\]\.resources has "\*"/],
    ['wildcard apiGroups', role([{ ...readPods, apiGroups: ['*'] }]), /rules\[0\]\.apiGroups has "\*"/],
    ['reading secrets', role([readPods, { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }], 'Role'), /rules\[1\] can read secrets/],
    ['escalate', role([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }]), /verbs has "escalate"/],
    ['bind', role([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }]), /verbs has "bind"/],
    ['impersonate', role([{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }]), /verbs has "impersonate"/],
    ['minting tokens', role([{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }]), /can create serviceaccounts\/token/],
  ];
  for (const [what, obj, message] of cases) {
    it(`refuses ${what}`, () => {
      const found = rbacViolations(obj) ?? [];
      assert.ok(found.some((m) => message.test(m)), `expected ${message} in ${JSON.stringify(found)}`);
    });
  }

  it('passes the RBAC of the default stack', () => {
    const rbac = synthStack().objects.filter((o) => o.apiVersion.startsWith('rbac.'));
    assert.ok(rbac.length > 0);
    for (const obj of rbac) assert.deepEqual(rbacViolations(obj as unknown as ManifestObject), [], obj.metadata.name);
  });
});

describe('rbacViolations by effect', () => {
  const withSubjects = (subjects: object[], name = 'view') => ({ ...(binding(name) as object), subjects }) as unknown as ManifestObject;
  const aggregated = (labels: Record<string, string>) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: labels }] }, rules: [] }) as unknown as ManifestObject;
  const cases: [string, ManifestObject, RegExp][] = [
    ['cluster-admin by another spelling', binding('Cluster-Admin'), /ClusterRole "Cluster-Admin" is the built-in "cluster-admin" by another spelling/],
    ['a system: role', binding('system:controller:generic-garbage-collector'), /ClusterRole "system:controller:generic-garbage-collector" is one of Kubernetes' own system roles/],
    ['view for everyone unauthenticated', withSubjects([{ kind: 'Group', name: 'system:unauthenticated', apiGroup: 'rbac.authorization.k8s.io' }]), /subjects\[0\] is the group system:unauthenticated: the role would apply to every anonymous request/],
    ['view for every signed-in identity', withSubjects([{ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }]), /system:authenticated: the role would apply to every identity that can sign in/],
    ['view for the anonymous user', withSubjects([{ kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' }]), /the user system:anonymous/],
    ['pods/exec create', role([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]), /rules\[0\] grants pods\/exec, which runs commands in any pod/],
    ['pods/attach', role([{ apiGroups: [''], resources: ['pods/attach'], verbs: ['create'] }]), /grants pods\/attach/],
    ['pods/portforward', role([{ apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] }]), /grants pods\/portforward/],
    ['nodes/proxy get', role([{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]), /grants nodes\/proxy, which reaches the kubelet API of every node/],
    ['every non-resource URL', role([{ nonResourceURLs: ['*'], verbs: ['get'] }]), /rules\[0\]\.nonResourceURLs has "\*"/],
    ['aggregation of the admin role', aggregated({ 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }), /aggregationRule selects rbac\.authorization\.k8s\.io\/aggregate-to-admin: the role would collect every rule of the built-in admin\/edit roles/],
    ['a role that adds itself to edit', { ...(role([readPods]) as object), metadata: { name: 'r', labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } } } as unknown as ManifestObject, /labels rbac\.authorization\.k8s\.io\/aggregate-to-edit add this role to the built-in admin\/edit roles/],
  ];
  for (const [what, obj, message] of cases) {
    it(`refuses ${what}`, () => assert.match(rbacViolations(obj)!.join('\n'), message));
  }

  it('accepts what a read-only dashboard needs: view for a ServiceAccount, aggregation into view', () => {
    assert.deepEqual(rbacViolations(withSubjects([{ kind: 'ServiceAccount', name: 'headlamp', namespace: 'headlamp' }])), []);
    assert.deepEqual(rbacViolations(aggregated({ 'rbac.authorization.k8s.io/aggregate-to-view': 'true' })), []);
    assert.deepEqual(rbacViolations(role([{ nonResourceURLs: ['/healthz', '/version'], verbs: ['get'] }])), []);
  });
});
