// Headlamp's Helm release view and service proxy: Roles in the listed
// namespaces only, and an RBAC check that accepts exactly those grants when
// they carry the feature's reason, and refuses the same rules anywhere else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeadlampInstall, ManifestObject } from '../../lib';
import { ALLOW_HELM_RELEASES_ANNOTATION, ALLOW_HELM_WRITE_ANNOTATION, rbacCheck } from '../../lib/policy/rbac-policy';
import { synthStack } from '../helpers';

const check = (obj: object) => (rbacCheck.run(obj as ManifestObject, { options: {}, find: () => undefined }) ?? []).map((p) => `${p.severity}: ${p.message}`);
const GRANT = [
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['services'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['services/proxy'], verbs: ['get', 'create', 'update', 'patch', 'delete'] },
];
const role = (kind: string, rules: object[], annotations: Record<string, string> = {}) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'r', namespace: kind === 'Role' ? 'apps' : undefined, annotations }, rules,
});
const REASON = { [ALLOW_HELM_RELEASES_ANNOTATION]: 'Helm view' };

describe('helm: { namespaces }', () => {
  const synth = synthStack({ helm: { namespaces: ['apps', 'media'] } });

  it('turns on the chart\'s Helm view', () => {
    assert.equal(synth.get('HelmRelease', 'headlamp').spec.values.config.enableHelm, true);
  });

  it('grants Secrets get/list, Services get/list and services/proxy in each listed namespace only, to Headlamp\'s ServiceAccount', () => {
    const roles = synth.objects.filter((o) => o.kind === 'Role');
    assert.deepEqual(roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`), ['apps/headlamp-helm', 'media/headlamp-helm']);
    for (const r of roles) assert.deepEqual(r.rules, GRANT);
    const bindings = synth.objects.filter((o) => o.kind === 'RoleBinding');
    assert.deepEqual(bindings.map((b) => [b.metadata.namespace, b.roleRef.name, b.subjects]), [
      ['apps', 'headlamp-helm', [{ kind: 'ServiceAccount', name: 'headlamp', namespace: 'headlamp' }]],
      ['media', 'headlamp-helm', [{ kind: 'ServiceAccount', name: 'headlamp', namespace: 'headlamp' }]],
    ]);
    assert.equal(synth.objects.some((o) => o.kind === 'ClusterRole'), false, 'nothing cluster-wide');
  });

  it('passes the RBAC check as warnings that carry the reason', () => {
    const found = check(synth.objects.find((o) => o.kind === 'Role')!);
    assert.ok(found.length > 0 && found.every((f) => f.startsWith('warning: allowed for the Helm release view (Headlamp -enable-helm')), found.join('\n'));
    assert.ok(found.some((f) => /rules\[0\] can read secrets/.test(f)) && found.some((f) => /rules\[2\] grants services\/proxy/.test(f)));
  });

  it('grants Secret writes only with write and its reason', () => {
    const written = synthStack({ helm: { namespaces: ['apps'], write: 'install charts from the App Catalog' } });
    const r = written.objects.find((o) => o.kind === 'Role')!;
    assert.deepEqual(r.rules[0].verbs, ['get', 'list', 'create', 'update', 'delete']);
    assert.equal(r.metadata.annotations![ALLOW_HELM_WRITE_ANNOTATION], 'install charts from the App Catalog');
    assert.ok(check(r).some((f) => /^warning: .*install charts from the App Catalog.*rules\[0\] can write secrets/.test(f)));
  });

  it('refuses what cannot work or reaches too far', () => {
    assert.throws(() => synthStack({ values: { config: { enableHelm: true } } }), /values.config.enableHelm is true, but Headlamp's ServiceAccount may not read the release Secrets.*set helm: \{ namespaces: \[\.\.\.\] \}/);
    assert.throws(() => synthStack({ helm: { namespaces: ['kube-system'] } }), /helm.namespaces\[0\]: Invalid value: "kube-system": that namespace holds the control plane's own workloads/);
    assert.throws(() => synthStack({ helm: { namespaces: [] } }), /helm.namespaces is empty/);
    assert.throws(() => synthStack({ helm: { namespaces: ['apps'] }, install: HeadlampInstall.RAW }), /helm turns on the chart's enableHelm, and install: raw uses no chart/);
  });
});

describe('the RBAC check on the Helm view\'s grants', () => {
  it('accepts them in a Role that carries the reason', () => {
    assert.ok(check(role('Role', GRANT, REASON)).every((f) => f.startsWith('warning:')));
  });

  it('refuses the same rules without the reason', () => {
    const found = check(role('Role', GRANT));
    assert.deepEqual(found.map((f) => f.split(':')[0]), ['error', 'error']);
    assert.match(found.join('\n'), /rules\[0\] can read secrets/);
    assert.match(found.join('\n'), /rules\[2\] grants services\/proxy, which reaches the HTTP API of every Service/);
  });

  it('refuses them cluster-wide, reason or not', () => {
    assert.ok(check(role('ClusterRole', GRANT, REASON)).every((f) => f.startsWith('error:')));
  });

  it('refuses what goes beyond them in the same Role: watch, other resources, Secret writes without write', () => {
    const found = check(role('Role', [...GRANT, { apiGroups: [''], resources: ['secrets'], verbs: ['watch'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['create'] }], REASON));
    assert.ok(found.some((f) => /^error: rules\[3\] can read secrets/.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /^error: rules\[4\] can write secrets \(create\)/.test(f)), found.join('\n'));
    const mixed = check(role('Role', [{ apiGroups: [''], resources: ['secrets', 'pods/exec'], verbs: ['get'] }], REASON));
    assert.ok(mixed.every((f) => f.startsWith('error:')), mixed.join('\n'));
  });
});
