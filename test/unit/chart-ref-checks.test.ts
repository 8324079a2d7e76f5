// The chart checks follow the release to its source: an OCIRepository +
// chartRef release is pinned by the OCIRepository's tag and checked against
// the local archive; a Git folder by the version it holds; an allowed range
// against the newest archive it matches; values files must be in the chart.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AppChartSource, FluxApp, HelmApp, HelmAppProps } from '../../lib';
import { validateTree } from '../../lib/effective/validate-tree';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { FIXTURES, Synth, synthError, tempDir } from '../helpers';

const CHECKS = { chartDirs: [join(FIXTURES, 'crossview')], pull: false };
const OCI = AppChartSource.ociRepository('oci://ghcr.io/crossplane-contrib/crossview-chart');
const GIT = AppChartSource.gitRepository('https://github.com/corpobit/crossview', { ref: { tag: 'v3.4.0' }, path: './helm/crossview' });

function app(props: Partial<HelmAppProps>, validation: object | false = CHECKS): FluxApp {
  const flux = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation });
  new HelmApp(flux, 'crossview', { name: 'crossview', chart: { name: 'crossview', source: OCI, version: '3.4.0' }, route: false, tunnel: false, ...props });
  return flux;
}

/** What `npm run validate` reports on a written tree (charts rendered), one line each. */
function validated(dist: string): string[] {
  return validateTree(dist, validationPolicy({ ...CHECKS, render: true }), 'dist', tempDir()).reports
    .flatMap((r) => r.findings.map((f) => `${f.object} | ${f.check} | ${f.severity}: ${f.message}`));
}

describe('checks of releases from an OCIRepository, a Git folder, a range', () => {
  it('writes an OCIRepository pinned by tag and a release with chartRef', () => {
    const synth = new Synth(app({}));
    const repo = synth.get('OCIRepository', 'crossview');
    assert.deepEqual(repo.spec.ref, { tag: '3.4.0' });
    assert.equal(repo.spec.url, 'oci://ghcr.io/crossplane-contrib/crossview-chart');
    const hr = synth.get('HelmRelease', 'crossview');
    assert.deepEqual(hr.spec.chartRef, { kind: 'OCIRepository', name: 'crossview', namespace: 'crossview' });
    assert.equal(hr.metadata.annotations?.['flux-helm-apps/chart-name'], 'crossview');
  });

  it('accepts the OCIRepository pin and checks the values and the render against the local archive', () => {
    const message = synthError(app({ values: { imagee: {} } }));
    assert.doesNotMatch(message, /chart-version:/);
    assert.match(message, /chart-values: values\.imagee is not a key of chart crossview 3\.4\.0; did you mean values\.image\?/);
    assert.match(message, /ClusterRole crossview-role \(rendered from HelmRelease crossview\/crossview\): rbac:/);
  });

  it('reads a hand-edited OCIRepository tag, and refuses a range there without a reason', () => {
    const flux = app({}, false);
    flux.synth();
    assert.ok(!validated(flux.distDir).some((f) => f.includes('| chart-version |')), validated(flux.distDir).join('\n'));
    const file = join(flux.distDir, 'apps/crossview/repository.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('tag: 3.4.0', 'semver: ">=1.0.0"'));
    const after = validated(flux.distDir);
    assert.ok(after.some((f) => /^HelmRelease crossview\/crossview .*\| chart-version \| error: spec\.ref\.semver of OCIRepository crossview\/crossview ">=1\.0\.0" of chart crossview is not an exact version/.test(f)), after.join('\n'));
  });

  it('checks an allowed range against the newest archive it matches, and validate says which', () => {
    const flux = app({ chart: { name: 'crossview', source: OCI, version: '>=1.0.0 <4.0.0' }, allow: { versionRange: 'lab cluster follows 3.x' }, values: { imagee: {} } });
    assert.deepEqual(new Synth(flux).get('OCIRepository', 'crossview').spec.ref, { semver: '>=1.0.0 <4.0.0' });
    assert.match(synthError(flux), /chart-values: values\.imagee is not a key of chart crossview 3\.4\.0/);
    const old = app({ chart: { name: 'crossview', source: OCI, version: '>=1.0.0 <2.0.0' }, allow: { versionRange: 'old' } }, false);
    old.synth();
    const lines = validated(old.distDir);
    assert.ok(lines.some((f) => /chart-version \| warning: .*allowed: old; checked against chart crossview 1\.5\.0, the newest available archive the range ">=1\.0\.0 <2\.0\.0" matches/.test(f)), lines.join('\n'));
  });

  it('says when no archive matches an allowed range, and checks nothing against it', () => {
    const flux = app({ chart: { name: 'crossview', source: OCI, version: '>=9.0.0' }, allow: { versionRange: 'x' }, values: { imagee: {} } }, false);
    flux.synth();
    const lines = validated(flux.distDir);
    assert.ok(lines.some((f) => /chart-version \| warning: .*not checked: range ">=9\.0\.0": no crossview-<version>\.tgz matching ">=9\.0\.0" is in .* \(found: 1\.5\.0, 3\.4\.0\)/.test(f)), lines.join('\n'));
    assert.ok(!lines.some((f) => f.includes('imagee')));
  });

  it('checks a Git folder against the version it holds', () => {
    const flux = app({ chart: { name: 'crossview', source: GIT, version: '3.4.0' }, values: { imagee: {} } });
    const synth = new Synth(flux);
    assert.deepEqual(synth.get('GitRepository', 'crossview').spec.ref, { tag: 'v3.4.0' });
    assert.equal(synth.get('HelmRelease', 'crossview').spec.chart.spec.reconcileStrategy, 'Revision');
    assert.match(synthError(flux), /values\.imagee is not a key of chart crossview 3\.4\.0/);
  });

  it('checks a HelmChart built from a Git folder, its values files included', () => {
    const source = AppChartSource.gitRepository('https://github.com/corpobit/crossview', { ref: { tag: 'v3.4.0' }, path: './helm/crossview', helmChart: true, valuesFiles: ['./helm/crossview/values-prod.yaml'] });
    const flux = app({ chart: { name: 'crossview', source, version: '3.4.0' }, values: { imagee: {} } });
    const synth = new Synth(flux);
    assert.deepEqual(synth.get('HelmRelease', 'crossview').spec.chartRef, { kind: 'HelmChart', name: 'crossview', namespace: 'crossview' });
    assert.equal(synth.get('HelmChart', 'crossview').spec.reconcileStrategy, 'Revision');
    const message = synthError(flux);
    assert.match(message, /values\.imagee is not a key of chart crossview 3\.4\.0/);
    assert.match(message, /valuesFiles entry "\.\/helm\/crossview\/values-prod\.yaml" is not in chart crossview 3\.4\.0/);
    assert.throws(() => app({ chart: { name: 'crossview', source: AppChartSource.gitRepository('https://x/c', { ref: { branch: 'main' }, path: './c', valuesFiles: ['./c/v.yaml'] }), version: '3.4.0' } }), /valuesFiles go on a HelmChart: set helmChart: true, or give them as release\.valuesFiles/);
  });

  it('refuses a valuesFiles entry that is not in the chart archive', () => {
    const message = synthError(app({ chart: { name: 'crossview', source: GIT, version: '3.4.0' }, release: { valuesFiles: ['./helm/crossview/values.yaml', './helm/crossview/values-prod.yaml'] } }));
    assert.match(message, /chart-values: valuesFiles entry "\.\/helm\/crossview\/values-prod\.yaml" is not in chart crossview 3\.4\.0 \(.*crossview-3\.4\.0\.tgz\), so Flux fails to build the chart/);
    assert.doesNotMatch(message, /"\.\/helm\/crossview\/values\.yaml" is not in chart/);
  });
});
