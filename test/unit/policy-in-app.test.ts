import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { KubeConfigMap, KubeSecret } from 'cdk8s-plus-27/lib/imports/k8s';
import { FluxApp, HeadlampStack, HelmApp, ManifestCheck, Policy } from '../../lib';
import { captureWarnings } from '../../lib/policy/warnings';
import { FIXTURES, tempDir } from '../helpers';
import { join } from 'node:path';

const HOST = { hostname: 'headlamp.example.net' };

describe('the policy in the construct tree', () => {
  it('protects a plain cdk8s App too: its synth refuses before writing', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    Policy.of(app);
    const chart = new Chart(app, 'secrets');
    new KubeSecret(chart, 's', { metadata: { name: 's' }, stringData: { password: 'hunter2' } });
    assert.throws(() => app.synth(), /secrets: Secret s: secrets: has no sops envelope: its data would reach Git in plain text/);
  });

  it('checks each object once per synth under a plain cdk8s App, although cdk8s validates the app once per chart', () => {
    const app = new App({ outdir: tempDir() });
    const seen: string[] = [];
    const counting: ManifestCheck = { name: 'counting', run: (obj) => { seen.push(String(obj.metadata.name)); return []; } };
    Policy.of(app).register(counting);
    for (let i = 0; i < 20; i++) new KubeConfigMap(new Chart(app, `c${i}`), 'm', { metadata: { name: `m${i}` }, data: { i: String(i) } });
    app.synth();
    assert.equal(seen.length, 20, 'each object checked once');
    seen.length = 0;
    new KubeConfigMap(app.node.findChild('c0') as Chart, 'n', { metadata: { name: 'n0' }, data: { changed: 'yes' } });
    app.synth();
    assert.deepEqual(seen, ['n0'], 'a second synth checks only what is new: verdicts are kept by content');
  });

  it('runs an app\'s own checks, registered by the app', () => {
    const app = new FluxApp({ distDir: tempDir(), outdir: tempDir() });
    new HeadlampStack(app, 'headlamp', HOST);
    assert.ok(Policy.of(app).checks.some((c) => c.name === 'headlamp-values'));
    const other = new FluxApp({ distDir: tempDir(), outdir: tempDir() });
    new HelmApp(other, 'cv', { name: 'crossview', chart: { name: 'crossview', repository: 'oci://ghcr.io/crossplane-contrib/crossview-chart', version: '3.4.0' }, route: false, tunnel: false });
    assert.ok(!Policy.of(other).checks.some((c) => c.name.startsWith('headlamp')), 'another app does not get Headlamp\'s checks');
  });

  it('prints every opt-in on every synth, with its reason', () => {
    const app = new FluxApp({ distDir: tempDir(), outdir: tempDir() });
    new HeadlampStack(app, 'headlamp', { ...HOST, values: { image: { tag: 'v0.45.1' } }, allow: { imageTag: 'upstream hotfix for issue 123' } });
    for (let run = 0; run < 2; run++) {
      const { warnings } = captureWarnings(() => app.synth());
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0], /^WARNING \[headlamp\/homelab\/release\] HelmRelease headlamp\/headlamp: chart-values: values\.image\.tag "v0\.45\.1" overrides the image of the chart .*allowed: upstream hotfix for issue 123$/);
    }
    assert.match(app.lastPublish!.written.join() + app.lastPublish!.unchanged.join(), /apps\/headlamp\/release\.yaml/);
  });

  it('prints prominently what it could not check, and still publishes', () => {
    const app = new FluxApp({ distDir: tempDir(), outdir: tempDir(), validation: { pull: false, chartDirs: [join(FIXTURES, 'values')], cacheDir: tempDir() } });
    new HeadlampStack(app, 'headlamp', { ...HOST, chartVersion: '0.46.0' });
    const { warnings } = captureWarnings(() => app.synth());
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0], /^!!! NOT CHECKED \[headlamp\/homelab\/release\] HelmRelease headlamp\/headlamp: chart-values: values were NOT checked against chart headlamp 0\.46\.0/);
    assert.match(warnings[1], /^!!! NOT CHECKED \[rendered charts\] HelmRelease headlamp\/headlamp \(rendered\): render: chart headlamp 0\.46\.0 of HelmRelease headlamp\/headlamp was NOT rendered/);
  });

  it('can be switched off (benchmarks), on the app\'s policy', () => {
    const app = new FluxApp({ distDir: tempDir(), outdir: tempDir(), validation: false });
    assert.equal(Policy.of(app).options, false);
    new HeadlampStack(app, 'headlamp', { ...HOST, values: { extraVolumes: [] } });
    assert.doesNotThrow(() => app.synth());
  });
});
