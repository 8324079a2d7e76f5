import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { captureWarnings, FluxApp, HeadlampStack, validateChartObjects, VALIDATION_CONTEXT } from '../lib';
import { tempDir } from './helpers';
import { KubeSecret } from 'cdk8s-plus-27/lib/imports/k8s';

const HOST = { hostname: 'headlamp.example.net' };

describe('validation in the construct tree', () => {
  it('protects a plain cdk8s App too: its synth refuses before writing', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'secrets');
    validateChartObjects(chart);
    new KubeSecret(chart, 's', { metadata: { name: 's' }, stringData: { password: 'hunter2' } });
    assert.throws(() => app.synth(), /\[secrets\] Secret s: secrets: has data or stringData in plain text/);
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
    const app = new FluxApp({ distDir: tempDir(), outdir: tempDir(), validation: { pull: false, cacheDir: tempDir() } });
    new HeadlampStack(app, 'headlamp', { ...HOST, chartVersion: '0.46.0' });
    const { warnings } = captureWarnings(() => app.synth());
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /^!!! NOT CHECKED \[headlamp\/homelab\/release\] HelmRelease headlamp\/headlamp: chart-values: values were NOT checked against chart headlamp 0\.46\.0/);
  });

  it('can be switched off (benchmarks), through the app context', () => {
    const app = new FluxApp({ distDir: tempDir(), outdir: tempDir(), validation: false });
    assert.equal(app.node.tryGetContext(VALIDATION_CONTEXT), false);
    new HeadlampStack(app, 'headlamp', { ...HOST, values: { extraVolumes: [] } });
    assert.doesNotThrow(() => app.synth());
  });
});
