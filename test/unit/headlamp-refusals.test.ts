// What was refused wrongly (or let through silently) and is judged right now:
// a custom read-only role for the chart's binding, a writable root, the keys
// the templates read, the chart's HTTPRoute, and a `null` that removes a chart
// default. Each is shown passing, and its bad twin failing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsonObject, ManifestObject } from '../../lib';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { FIXTURES, synthStack, tempDir } from '../helpers';

const OPTIONS = { chartDirs: [join(FIXTURES, 'charts')], cacheDir: tempDir(), pull: false };

function release(values: JsonObject, props = {}): ManifestObject {
  return synthStack({ values, ...props }).get('HelmRelease', 'headlamp') as unknown as ManifestObject;
}

/** Every finding on the release and on what it renders, as `<object> <check>: <message>`, with `extra` objects checked beside it. */
function findings(obj: ManifestObject, extra: ManifestObject[] = []): string[] {
  return validationPolicy({ ...OPTIONS, render: true }).checkObjects([obj, ...extra])
    .flatMap((r) => r.findings.map((f) => `${f.object} ${f.check}: ${f.severity}: ${f.message}`));
}

const clusterRole = (name: string, verbs: string[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name },
  rules: [{ apiGroups: [''], resources: ['pods'], verbs }],
}) as unknown as ManifestObject;

describe('the chart binding', () => {
  it('is the stack\'s own ClusterRoleBinding <release>-view, the chart\'s -admin one off', () => {
    const synth = synthStack();
    const binding = synth.get('ClusterRoleBinding', 'headlamp-view');
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'headlamp', namespace: 'headlamp' }]);
    assert.equal(synth.get('HelmRelease', 'headlamp').spec.values.clusterRoleBinding.create, false);
    const rendered = findings(synth.get('HelmRelease', 'headlamp') as unknown as ManifestObject);
    assert.deepEqual(rendered, []);
  });

  it('binds a custom read-only role under its name, and refuses a forbidden one', () => {
    assert.equal(synthStack({ clusterRole: 'headlamp-ro' }).get('ClusterRoleBinding', 'headlamp-headlamp-ro').roleRef.name, 'headlamp-ro');
    assert.throws(() => synthStack({ clusterRole: 'cluster-admin' }), /clusterRole: ClusterRole "cluster-admin" grants full control of the cluster/);
  });

  it('accepts a custom read-only ClusterRole in the chart\'s own binding, and refuses one that writes', () => {
    const values = { clusterRoleBinding: { create: true, clusterRoleName: 'headlamp-ro' } };
    assert.deepEqual(findings(release(values), [clusterRole('headlamp-ro', ['get', 'list', 'watch'])]), []);
    const bad = findings(release(values), [clusterRole('headlamp-ro', ['get', 'delete'])]);
    assert.ok(bad.some((f) => /^ClusterRoleBinding headlamp-admin .* headlamp-render: error: binds ClusterRole "headlamp-ro", which grants delete/.test(f)), bad.join('\n'));
    const admin = findings(release({ clusterRoleBinding: { create: true, clusterRoleName: 'admin' } }));
    assert.ok(admin.some((f) => /headlamp-render: error: roleRef \(values.clusterRoleBinding.clusterRoleName\): ClusterRole "admin" can read Secrets/.test(f)), admin.join('\n'));
  });
});

describe('a writable root filesystem', () => {
  it('needs no home and tmp volumes', () => {
    const found = findings(release({ securityContext: { readOnlyRootFilesystem: false }, volumes: [], volumeMounts: [] }));
    assert.deepEqual(found.filter((f) => /headlamp-render/.test(f)), []);
  });

  it('while a read-only one without them is still refused', () => {
    const found = findings(release({ volumes: [], volumeMounts: [] }));
    assert.ok(found.some((f) => /headlamp-render: error: container "headlamp" has a read-only root filesystem and mounts no volume at \/home\/headlamp/.test(f)), found.join('\n'));
  });
});

describe('keys the templates read', () => {
  it('accepts service.externalTrafficPolicy (read by service.yaml, absent from values.yaml)', () => {
    assert.deepEqual(findings(release({ service: { externalTrafficPolicy: 'Local' } })).filter((f) => /chart-values/.test(f)), []);
  });

  it('still refuses a key no template reads', () => {
    const found = findings(release({ service: { externalTraficPolicy: 'Local' } }));
    assert.ok(found.some((f) => /chart-values: error: values.service.externalTraficPolicy is not a key of chart headlamp 0.45.0; did you mean values.service.externalTrafficPolicy\?/.test(f)), found.join('\n'));
  });
});

describe('the chart\'s HTTPRoute', () => {
  const route = { enabled: true, parentRefs: [{ name: 'gateway', namespace: 'gateway' }], hostnames: ['headlamp.example.net'] };

  it('is checked against the Gateway API schema and passes', () => {
    const found = findings(release({ httpRoute: route }));
    assert.deepEqual(found, []);
  });

  it('fails that schema when a field is wrong', () => {
    const found = findings(release({ httpRoute: { ...route, parentRefs: [{ name: 'gateway', port: 'http' }] } }));
    assert.ok(found.some((f) => /^HTTPRoute headlamp\/headlamp .* schema: error: spec.parentRefs\[0\].port must be integer/.test(f)), found.join('\n'));
  });
});

describe('values: null', () => {
  it('is kept in the HelmRelease, so Helm removes the chart\'s default', () => {
    const values = synthStack({ values: { securityContext: null } }).get('HelmRelease', 'headlamp').spec.values;
    assert.equal(values.securityContext, null);
    assert.deepEqual(Object.keys(values), [...Object.keys(values)].sort(), 'keys sorted as cdk8s writes them');
  });

  it('makes the checks judge the pod Helm renders from it, not the one without the null', () => {
    // Helm deletes the key, so chart 0.45.0 falls back to its template's own
    // restricted securityContext, and the pod passes.
    const kept = release({ securityContext: null });
    assert.deepEqual(findings(kept).filter((f) => /pod-security/.test(f)), []);
    // Dropping the null (as synth did) leaves values.yaml's securityContext,
    // which lacks allowPrivilegeEscalation and capabilities: refused, by name.
    const spec = (kept as unknown as { spec: { values: Record<string, unknown> } }).spec;
    const { securityContext: _dropped, ...withoutNull } = spec.values;
    const dropped = { ...kept, spec: { ...spec, values: withoutNull } } as unknown as ManifestObject;
    const pod = findings(dropped).filter((f) => /^Deployment .* pod-security: error/.test(f)).join('\n');
    assert.match(pod, /allowPrivilegeEscalation != false \(container "headlamp" must set securityContext.allowPrivilegeEscalation=false\)/);
    assert.match(pod, /unrestricted capabilities \(container "headlamp" must set securityContext.capabilities.drop=\["ALL"\]\)/);
  });
});
