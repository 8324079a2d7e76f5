// A second app built with the generic HelmApp, with its own chart archive
// (Crossview 3.4.0 as published): it gets the value, render and policy checks
// Headlamp gets, against its own chart, and none of Headlamp's own checks.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FluxApp, HelmApp, HelmAppProps } from '../../lib';
import { validateTree } from '../../lib/effective/validate-tree';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { FIXTURES, tempDir } from '../helpers';

const CHECKS = { chartDirs: [join(FIXTURES, 'crossview')], pull: false };
const crossview = (props: Partial<HelmAppProps> = {}): FluxApp => {
  const app = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation: CHECKS });
  new HelmApp(app, 'crossview', {
    name: 'crossview',
    chart: { name: 'crossview', repository: 'oci://ghcr.io/crossplane-contrib/crossview-chart', version: '3.4.0' },
    hostname: 'crossview.example.net',
    ...props,
  });
  return app;
};

describe('a second app on HelmApp (Crossview 3.4.0)', () => {
  it('lays out the same Flux tree as Headlamp: namespace, release, tunnel, route, three Kustomizations, runbook', () => {
    const tree = crossview().renderTree();
    assert.deepEqual([...tree.keys()], [
      'apps/crossview/cloudflared.yaml', 'apps/crossview/kustomization.yaml', 'apps/crossview/namespace/kustomization.yaml',
      'apps/crossview/namespace/namespace.yaml', 'apps/crossview/release.yaml', 'apps/crossview/repository.yaml', 'apps/crossview/route.yaml',
      'clusters/homelab/RUNBOOK.md', 'clusters/homelab/crossview.yaml',
    ]);
    assert.match(tree.get('apps/crossview/repository.yaml')!, /type: oci\n {2}url: oci:\/\/ghcr\.io\/crossplane-contrib\/crossview-chart/);
    assert.match(tree.get('clusters/homelab/RUNBOOK.md')!, /^# crossview on cluster `homelab`: runbook/m);
  });

  it('checks its values against its own chart at synth', () => {
    assert.throws(() => crossview({ values: { imagee: { tag: '' } } }).synth(), /chart-values: values\.imagee is not a key of chart crossview 3\.4\.0; did you mean values\.image\?/);
    assert.throws(() => crossview({ values: { image: { tag: 'latest' } } }).synth(), /values\.image\.tag "latest" pins the binary apart from its chart \(chart crossview 3\.4\.0 is tested with app version v3\.4\.0/);
  });

  it('renders its chart at synth and refuses what the published defaults do: the wildcard role, Secrets read, postgres:latest', () => {
    const app = crossview({ route: false, tunnel: false });
    assert.throws(() => app.synth(), (error: Error) => {
      const rendered = (kind: string, check: string, message: RegExp) => error.message.split('\n').some((line) => line.includes(`${kind} `) && line.includes('(rendered from HelmRelease crossview/crossview)') && line.includes(`: ${check}: `) && message.test(line));
      assert.ok(rendered('ClusterRole', 'rbac', /"\*"/), error.message);
      assert.ok(rendered('ClusterRole', 'rbac', /secrets/), error.message);
      assert.ok(rendered('Deployment', 'images', /postgres:latest/), error.message);
      assert.doesNotMatch(error.message, /headlamp-(values|render):/, 'no Headlamp check applies to another chart');
      assert.match(error.message, /Nothing was written to /);
      return true;
    });
  });

  it('is refused the same way by npm run validate, on a tree written without checks', () => {
    const app = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation: false });
    new HelmApp(app, 'crossview', { name: 'crossview', chart: { name: 'crossview', repository: 'oci://ghcr.io/crossplane-contrib/crossview-chart', version: '3.4.0' }, route: false, tunnel: false });
    app.synth();
    const findings = validateTree(app.distDir, validationPolicy({ ...CHECKS, render: true }), 'dist', tempDir()).reports
      .flatMap((r) => r.findings.map((f) => `${f.object} | ${f.check} | ${f.severity}: ${f.message}`));
    assert.ok(findings.some((f) => f.startsWith('ClusterRole crossview-role (rendered from HelmRelease crossview/crossview) | rbac | error:')), findings.join('\n'));
    assert.ok(findings.some((f) => /^Deployment .* \| images \| error: .*postgres:latest/.test(f)), findings.join('\n'));
  });
});
