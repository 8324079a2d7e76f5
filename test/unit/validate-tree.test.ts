// npm run validate over a published tree: the same checks as synth, on files as
// they are on disk (hand-edited or old), read-only, with a table and an exit code.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { FluxApp, HeadlampStack } from '../../lib';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { validateTree } from '../../lib/policy/validate-tree';
import { FIXTURES, tempDir } from '../helpers';

const CHARTS = join(FIXTURES, 'charts');

function publish(): string {
  const dist = tempDir();
  const app = new FluxApp({ distDir: dist, outdir: tempDir() });
  new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net' });
  app.synth();
  mkdirSync(join(dist, 'clusters/homelab/flux-system'), { recursive: true });
  writeFileSync(join(dist, 'clusters/homelab/flux-system/gotk-sync.yaml'), 'kind: GitRepository\n');
  return dist;
}


describe('validateTree', () => {
  let dist: string;
  before(() => { dist = publish(); });

  it('passes a fresh synth, rendering the release, and leaves bootstrap files alone', () => {
    const { reports, skipped } = validateTree(dist, validationPolicy({ render: true, chartDirs: [CHARTS], pull: false }));
    assert.deepEqual(reports.flatMap((r) => r.findings), []);
    assert.deepEqual(skipped, ['clusters/homelab/flux-system/gotk-sync.yaml']);
    assert.ok(reports.some((r) => r.object === 'apps/headlamp/release.yaml: HelmRelease headlamp/headlamp'));
    assert.ok(reports.some((r) => r.object.startsWith('Deployment headlamp/headlamp (rendered from HelmRelease headlamp/headlamp)')));
  });

  it('catches a hand edit, a dangling kustomization entry and a duplicate', () => {
    const edited = publish();
    const release = join(edited, 'apps/headlamp/release.yaml');
    writeFileSync(release, readFileSync(release, 'utf8').replace('clusterRoleName: view', 'clusterRoleName: cluster-admin').replace('version: 0.45.0', 'version: 0.45.x'));
    const kustomization = join(edited, 'apps/headlamp/kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('  - route.yaml', '  - route.yaml\n  - extra.yaml\n  - namespace-copy.yaml'));
    const ns = join(edited, 'apps/headlamp/namespace/namespace.yaml');
    writeFileSync(join(edited, 'apps/headlamp/namespace-copy.yaml'), readFileSync(ns, 'utf8'));
    const findings = validateTree(edited, validationPolicy({ chartDirs: [CHARTS], pull: false })).reports.flatMap((r) => r.findings.map((f) => `${f.object} | ${f.check} | ${f.severity}: ${f.message}`));
    assert.ok(findings.some((f) => /^apps\/headlamp\/release\.yaml: HelmRelease headlamp\/headlamp \| chart-version \| error: spec\.chart\.spec\.version "0\.45\.x"/.test(f)), findings.join('\n'));
    assert.ok(findings.some((f) => /\| chart-values \| unchecked: values were NOT checked against chart headlamp: version "0\.45\.x"/.test(f)), findings.join('\n'));
    assert.ok(findings.some((f) => /kustomization\.yaml: Kustomization \| kustomization \| error: lists extra\.yaml, which does not exist/.test(f)), findings.join('\n'));
    assert.ok(findings.some((f) => /duplicates \| error: Namespace headlamp is defined twice, in apps\/headlamp\/namespace-copy\.yaml and in apps\/headlamp\/namespace\/namespace\.yaml/.test(f)), findings.join('\n'));
  });

  it('flags a plaintext Secret in a file synth did not write', () => {
    const mixed = publish();
    writeFileSync(join(mixed, 'clusters/homelab/flux-system/leak.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\n  namespace: flux-system\ndata:\n  token: c2VjcmV0\n');
    const findings = validateTree(mixed, validationPolicy({ pull: false })).reports.flatMap((r) => r.findings.map((f) => `${f.object}: ${f.message}`));
    assert.deepEqual(findings.map((f) => f.split(':').slice(0, 2).join(':')), ['clusters/homelab/flux-system/leak.yaml: Secret flux-system/leak']);
  });

  it('refuses a missing folder with the fix', () => {
    assert.throws(() => validateTree(join(tempDir(), 'dist'), validationPolicy()), /does not exist: run npm run synth first/);
  });
});
