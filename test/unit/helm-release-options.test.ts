// Release options of HelmRelease (and through HelmApp): values from ConfigMaps
// and Secrets, values files, dependencies, release name and target namespace,
// failure strategies, tests, post-renderers (checked on what they produce) and
// the chart interval; each written as Flux reads it and valid for its CRD.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Construct } from 'constructs';
import { AppReleaseOptions, CrossviewStack, FluxApp, HelmRelease, HelmReleaseProps, HelmRepository, ReleaseFailureStrategy } from '../../lib';
import { apiSchemaViolations } from '../../lib/policy/api-schema';
import { FIXTURES, K8sObject, Synth, synthChart, tempDir } from '../helpers';

function release(props: Partial<HelmReleaseProps> = {}): K8sObject {
  const objects = synthChart((scope: Construct) => {
    const repository = new HelmRepository(scope, 'repo', { url: 'https://charts.example.net/', namespace: 'apps' });
    new HelmRelease(scope, 'app', { source: repository, chart: 'app', version: '1.2.3', namespace: 'apps', ...props });
  });
  const hr = objects.find((o) => o.kind === 'HelmRelease')!;
  assert.deepEqual(apiSchemaViolations(hr), [], 'valid for the pinned HelmRelease CRD');
  return hr;
}

describe('HelmRelease options', () => {
  it('writes valuesFrom in order, with key, target path and optional, and records the Secret\'s value paths', () => {
    const hr = release({
      valuesFrom: [
        { kind: 'ConfigMap', name: 'app-values' },
        { kind: 'Secret', name: 'app-secret-values', keys: ['auth.password'] },
        { kind: 'Secret', name: 'db', valuesKey: 'password', targetPath: 'db.password', optional: true },
      ],
    });
    assert.deepEqual(hr.spec.valuesFrom, [
      { kind: 'ConfigMap', name: 'app-values' },
      { kind: 'Secret', name: 'app-secret-values' },
      { kind: 'Secret', name: 'db', valuesKey: 'password', targetPath: 'db.password', optional: true },
    ]);
    assert.equal(hr.metadata.annotations?.['flux-helm-apps/secret-values'], '{"app-secret-values":["auth.password"]}');
  });

  it('refuses a valuesFrom of another kind, a bad target path, and keys on a ConfigMap', () => {
    assert.throws(() => release({ valuesFrom: [{ kind: 'Deployment' as 'Secret', name: 'x' }] }), /valuesFrom\[0\]\.kind: Invalid value: "Deployment": must be ConfigMap or Secret/);
    assert.throws(() => release({ valuesFrom: [{ kind: 'Secret', name: 'x', targetPath: 'a..b' }] }), /valuesFrom\[0\]\.targetPath: Invalid value: "a\.\.b": must be a dotted path of value keys/);
    assert.throws(() => release({ valuesFrom: [{ kind: 'ConfigMap', name: 'x', keys: ['a'] }] }), /valuesFrom\[0\]\.keys: only a Secret's value paths are declared/);
  });

  it('writes values files, the chart interval, dependencies, release name and target namespace', () => {
    const hr = release({
      valuesFiles: ['values.yaml', 'values-prod.yaml'], chartInterval: '1h',
      dependsOn: [{ name: 'postgres', namespace: 'db' }], releaseName: 'my-app', targetNamespace: 'apps-runtime',
    });
    assert.deepEqual(hr.spec.chart.spec, { chart: 'app', version: '1.2.3', sourceRef: { kind: 'HelmRepository', name: 'repo', namespace: 'apps' }, interval: '1h', valuesFiles: ['values.yaml', 'values-prod.yaml'] });
    assert.deepEqual(hr.spec.dependsOn, [{ name: 'postgres', namespace: 'db' }]);
    assert.equal(hr.spec.releaseName, 'my-app');
    assert.equal(hr.spec.targetNamespace, 'apps-runtime');
    assert.throws(() => release({ releaseName: 'My_App' }), /releaseName: Invalid value: "My_App"/);
  });

  it('retries on failure without remediation when asked, and runs Helm tests', () => {
    const hr = release({
      install: { strategy: ReleaseFailureStrategy.RETRY_ON_FAILURE, retryInterval: '2m' },
      upgrade: { strategy: ReleaseFailureStrategy.RETRY_ON_FAILURE },
      test: { failRelease: false, timeout: '3m' },
    });
    assert.deepEqual(hr.spec.install, { strategy: { name: 'RetryOnFailure', retryInterval: '2m' } });
    assert.deepEqual(hr.spec.upgrade, { cleanupOnFail: true, strategy: { name: 'RetryOnFailure' } });
    assert.deepEqual(hr.spec.test, { enable: true, ignoreFailures: true, timeout: '3m' });
    assert.throws(() => release({ install: { retryInterval: '2m' } }), /install\.retryInterval: only RetryOnFailure retries on an interval/);
  });

  it('writes kustomize post-renderers', () => {
    const hr = release({ postRenderers: [{ patches: [{ patch: '[{"op":"remove","path":"/metadata/labels"}]', target: { kind: 'Service' } }], images: [{ name: 'app', newTag: '1.0.1' }] }] });
    assert.deepEqual(hr.spec.postRenderers, [{ kustomize: { patches: [{ patch: '[{"op":"remove","path":"/metadata/labels"}]', target: { kind: 'Service' } }], images: [{ name: 'app', newTag: '1.0.1' }] } }]);
  });
});

describe('release options through an app', () => {
  const CHECKS = { chartDirs: [join(FIXTURES, 'crossview')], pull: false };
  const app = (release: AppReleaseOptions) => {
    const flux = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation: CHECKS });
    new CrossviewStack(flux, 'crossview', { route: false, tunnel: false, release });
    return flux;
  };

  it('passes dependsOn and the strategy to the HelmRelease', () => {
    const hr = new Synth(app({ dependsOn: [{ name: 'crossplane', namespace: 'crossplane-system' }], upgrade: { strategy: ReleaseFailureStrategy.RETRY_ON_FAILURE } })).get('HelmRelease', 'crossview');
    assert.deepEqual(hr.spec.dependsOn, [{ name: 'crossplane', namespace: 'crossplane-system' }]);
    assert.deepEqual(hr.spec.upgrade.strategy, { name: 'RetryOnFailure' });
  });

  it('checks what the post-renderers produce, not only what the chart renders', () => {
    const privileged = { patches: [{ target: { kind: 'Deployment', name: 'crossview' }, patch: '[{"op":"replace","path":"/spec/template/spec/containers/0/securityContext/privileged","value":true}]' }] };
    assert.throws(() => app({ postRenderers: [privileged] }).synth(), /Deployment crossview\/crossview \(rendered from HelmRelease crossview\/crossview\): pod-security: violates PodSecurity "restricted:latest": privileged \(container "crossview" must not set securityContext\.privileged=true\)/);
  });
});
