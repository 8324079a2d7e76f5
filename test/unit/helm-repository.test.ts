import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HelmRepository } from '../../lib';
import { synthChart } from '../helpers';

describe('HelmRepository', () => {
  it('refreshes an https index every hour by default', () => {
    const [repo] = synthChart((s) => new HelmRepository(s, 'headlamp', { url: 'https://kubernetes-sigs.github.io/headlamp/', namespace: 'headlamp' }));
    assert.equal(repo.apiVersion, 'source.toolkit.fluxcd.io/v1');
    assert.deepEqual(repo.metadata, { name: 'headlamp', namespace: 'headlamp' });
    assert.deepEqual(repo.spec, { url: 'https://kubernetes-sigs.github.io/headlamp/', interval: '1h' });
  });

  it('marks an oci:// registry as type oci', () => {
    const [repo] = synthChart((s) => new HelmRepository(s, 'r', { url: 'oci://ghcr.io/example/charts', namespace: 'x', interval: '6h' }));
    assert.deepEqual(repo.spec, { url: 'oci://ghcr.io/example/charts', interval: '6h', type: 'oci' });
  });

  it('refuses plain http and other schemes', () => {
    for (const url of ['http://charts.example.net/', 'charts.example.net', 'ftp://x']) {
      assert.throws(() => synthChart((s) => new HelmRepository(s, 'r', { url, namespace: 'x' })), /must start with https:\/\/ or oci:\/\//, url);
    }
  });
});
