import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Chart } from 'cdk8s';
import { FluxApp, HeadlampRelease, HeadlampReleaseProps, HelmRepository } from '../lib';
import { tempDir } from './helpers';

function headlamp(props: Partial<HeadlampReleaseProps> = {}): HeadlampRelease {
  const chart = new Chart(new FluxApp({ outdir: tempDir(), distDir: tempDir() }), 'c');
  const repository = new HelmRepository(chart, 'repo', { url: 'https://kubernetes-sigs.github.io/headlamp/', namespace: 'headlamp' });
  return new HeadlampRelease(chart, 'h', { repository, chartVersion: '0.45.0', namespace: 'headlamp', ...props });
}

describe('HeadlampRelease', () => {
  it('names its Service the way the chart does', () => {
    assert.equal(headlamp().serviceName, 'headlamp');
    assert.equal(headlamp({ name: 'my-headlamp' }).serviceName, 'my-headlamp');
    assert.equal(headlamp({ name: 'dash' }).serviceName, 'dash-headlamp');
    assert.equal(headlamp({ name: 'dash', values: { nameOverride: 'ui' } }).serviceName, 'dash-ui');
    assert.equal(headlamp({ values: { fullnameOverride: 'board-' } }).serviceName, 'board');
  });

  it('exposes the merged values and the Service port', () => {
    const h = headlamp({ values: { service: { port: 8080 } } });
    assert.equal(h.servicePort, 8080);
    assert.deepEqual(h.values.service, { type: 'ClusterIP', port: 8080 });
  });

  it('refuses a Service port that is not a number', () => {
    assert.throws(() => headlamp({ values: { service: { port: '80' } } }), /values\.service\.port "80" must be a port number, e\.g\. 80/);
  });
});
