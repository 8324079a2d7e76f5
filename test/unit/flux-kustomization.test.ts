import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FluxKustomization, FluxSource } from '../../lib';
import { synthChart } from '../helpers';

describe('FluxKustomization', () => {
  it('syncs a folder of the flux-system GitRepository with prune, wait and SOPS', () => {
    const [ks] = synthChart((s) => new FluxKustomization(s, 'apps', { path: './dist/apps/x' }));
    assert.equal(ks.apiVersion, 'kustomize.toolkit.fluxcd.io/v1');
    assert.deepEqual(ks.metadata, { name: 'apps', namespace: 'flux-system' });
    assert.deepEqual(ks.spec, {
      interval: '10m', retryInterval: '2m', timeout: '5m', path: './dist/apps/x', prune: true, wait: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
      decryption: { provider: 'sops', secretRef: { name: 'sops-age' } },
    });
  });

  it('depends on other Kustomizations and takes another source', () => {
    const [, ks] = synthChart((s) => {
      const secrets = new FluxKustomization(s, 'secrets', { path: './secrets' });
      new FluxKustomization(s, 'app', { path: './app', dependsOn: [secrets], sourceRef: FluxSource.gitRepository('infra', 'gitops'), sopsSecretName: false });
    });
    assert.deepEqual(ks.spec.dependsOn, [{ name: 'secrets', namespace: 'flux-system' }]);
    assert.deepEqual(ks.spec.sourceRef, { kind: 'GitRepository', name: 'infra', namespace: 'gitops' });
    assert.equal(ks.spec.decryption, undefined);
  });

  it('refuses a path that is not relative to the repository root', () => {
    assert.throws(() => synthChart((s) => new FluxKustomization(s, 'k', { path: 'dist/apps' })), /kustomization path "dist\/apps" must start with "\.\/"/);
  });

  it('refuses a source Flux cannot apply from', () => {
    assert.throws(
      () => synthChart((s) => new FluxKustomization(s, 'k', { path: './x', sourceRef: { kind: 'HelmRepository', name: 'r', namespace: 'n' } })),
      /kustomization source kind "HelmRepository" is not one Flux can apply from: use one of GitRepository, OCIRepository, Bucket, ExternalArtifact/,
    );
  });
});
