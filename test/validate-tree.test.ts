// npm run validate over a published tree: the same checks as synth, on files as
// they are on disk (hand-edited or old), read-only, with a table and an exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { FluxApp, HeadlampStack } from '../lib';
import { validationPolicy } from '../lib/apps/validation-policy';
import { validateTree } from '../lib/policy/validate-tree';
import { FIXTURES, tempDir } from './helpers';

const ROOT = join(__dirname, '..');
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

function validate(dist: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/validate.ts'), '--dist', dist, ...args], {
    cwd: ROOT, encoding: 'utf8',
  });
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

describe('npm run validate', () => {
  it('prints a table of object, check and result and exits 0 on a good tree', () => {
    const result = validate(publish());
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^OBJECT +CHECK +RESULT\n/);
    assert.match(result.stdout, /apps\/headlamp\/cloudflared\.yaml: Deployment headlamp\/cloudflared +pod-security, images, schema +ok/);
    assert.match(result.stdout, /Deployment headlamp\/headlamp \(rendered from HelmRelease headlamp\/headlamp\) +pod-security, images, schema, headlamp-render +ok/);
    assert.match(result.stdout, /not generated by synth, not checked: clusters\/homelab\/flux-system\/gotk-sync\.yaml/);
  });

  it('exits 1 and names the object, the check and the problem on a bad tree', () => {
    const dist = publish();
    const cloudflared = join(dist, 'apps/headlamp/cloudflared.yaml');
    writeFileSync(cloudflared, readFileSync(cloudflared, 'utf8').replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'));
    const result = validate(dist, '--no-render');
    assert.equal(result.status, 1);
    assert.match(result.stdout, /apps\/headlamp\/cloudflared\.yaml: Deployment headlamp\/cloudflared +pod-security +FAIL: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "cloudflared" must set securityContext\.allowPrivilegeEscalation=false\)/);
    assert.match(result.stdout, /helm render check skipped \(--no-render\)/);
    assert.match(result.stderr, /validation failed: 1 problem\(s\)/);
  });

  it('exits 1 on anything it could not check (a chart version it cannot find)', () => {
    const dist = publish();
    const release = join(dist, 'apps/headlamp/release.yaml');
    writeFileSync(release, readFileSync(release, 'utf8').replace('version: 0.45.0', 'version: 0.46.0'));
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/validate.ts'), '--dist', dist, '--no-render'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: tempDir(), HELM_BIN: '/nonexistent/helm' },
    });
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stdout, /NOT CHECKED: values were NOT checked against chart headlamp 0\.46\.0/);
  });
});
