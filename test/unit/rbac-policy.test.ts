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
