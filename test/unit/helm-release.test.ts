import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HelmRelease, HelmRepository } from '../../lib';
import { isExactVersion } from '../../lib/charts/version';
import { synthChart } from '../helpers';

function release(props: Partial<ConstructorParameters<typeof HelmRelease>[2]> = {}) {
  return synthChart((scope) => {
    const repository = new HelmRepository(scope, 'repo', { url: 'https://charts.example.net/', namespace: 'flux-system' });
    new HelmRelease(scope, 'app', { repository, chart: 'app', version: '1.2.3', namespace: 'apps', ...props });
  }).find((o) => o.kind === 'HelmRelease')!;
}

describe('HelmRelease', () => {
  it('pins the chart and refers to the repository with its namespace', () => {
    const hr = release();
    assert.deepEqual(hr.spec.chart.spec, { chart: 'app', version: '1.2.3', sourceRef: { kind: 'HelmRepository', name: 'repo', namespace: 'flux-system' } });
    assert.equal(hr.metadata.name, 'app');
    assert.equal(hr.metadata.namespace, 'apps');
  });

  it('defaults to remediation, cleanup on failure and drift detection', () => {
    const { spec } = release();
    assert.equal(spec.interval, '30m');
    assert.equal(spec.timeout, '5m');
    assert.deepEqual(spec.install, { remediation: { retries: 3 } });
    assert.deepEqual(spec.upgrade, { cleanupOnFail: true, remediation: { retries: 3, remediateLastFailure: true } });
    assert.deepEqual(spec.driftDetection, { mode: 'enabled' });
  });

  it('takes name, interval, timeout, retries and values', () => {
    const hr = release({ name: 'other', interval: '1h', timeout: '10m', retries: 5, values: { a: 1 } });
    assert.equal(hr.metadata.name, 'other');
    assert.equal(hr.spec.interval, '1h');
    assert.equal(hr.spec.timeout, '10m');
    assert.equal(hr.spec.install.remediation.retries, 5);
    assert.deepEqual(hr.spec.values, { a: 1 });
  });

  for (const version of ['^1.2.3', '~1.2', '1.x', '*', '', 'v1.2.3', '1.2', '>=1.0.0', '01.2.3', 'latest']) {
    it(`refuses the non-exact chart version "${version}"`, () => {
      assert.throws(() => release({ version }), new RegExp(`version: Invalid value: "${version.replace(/[.*^$?+()[\]{}|\\]/g, '\\$&')}": must be an exact chart version such as "1.2.3"`));
    });
  }

  it('accepts strict semver, pre-releases included', () => {
    for (const v of ['0.45.0', '1.0.0-rc.1', '2.1.0+build.5']) assert.ok(isExactVersion(v), v);
  });

  it('refuses negative or fractional retries', () => {
    assert.throws(() => release({ retries: -1 }), /retries: Invalid value: -1: must be a whole number ≥ 0/);
    assert.throws(() => release({ retries: 1.5 }), /retries: Invalid value: 1\.5/);
  });
});
