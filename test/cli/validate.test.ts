// npm run validate over a published tree: the same checks as synth, on files as
// they are on disk (hand-edited or old), read-only, with a table and an exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, publishWithBootstrap } from '../helpers';

const ROOT = join(__dirname, '..', '..');

const publish = publishWithBootstrap;

function validate(dist: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'scripts/run-typescript.cjs'), join(ROOT, 'cli/flux-helm-apps.ts'), 'validate', '--dist', dist, ...args], {
    cwd: ROOT, encoding: 'utf8',
  });
}

describe('npm run validate', () => {
  it('prints a table of object, check and result and exits 0 on a good tree', () => {
    const result = validate(publish());
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^OBJECT +CHECK +RESULT\n/);
    assert.match(result.stdout, /Deployment headlamp\/cloudflared via Kustomization flux-system\/headlamp \(cluster homelab\) +pod-security, images, schema +ok/);
    assert.match(result.stdout, /GitRepository flux-system\/flux-system via dist\/clusters\/homelab\/ \(applied by flux bootstrap\) \(cluster homelab\) +namespace, schema +ok/, 'bootstrap\'s own files are checked too');
    assert.match(result.stdout, /Deployment headlamp\/headlamp \(rendered from HelmRelease headlamp\/headlamp\) +pod-security, images, schema, headlamp-render +ok/);
  });

  it('exits 1 and names the object, the check and the problem on a bad tree', () => {
    const dist = publish();
    const cloudflared = join(dist, 'apps/headlamp/cloudflared.yaml');
    writeFileSync(cloudflared, readFileSync(cloudflared, 'utf8').replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'));
    const result = validate(dist, '--no-render');
    assert.equal(result.status, 1);
    assert.match(result.stdout, /Deployment headlamp\/cloudflared via Kustomization flux-system\/headlamp \(cluster homelab\) +pod-security +FAIL: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "cloudflared" must set securityContext\.allowPrivilegeEscalation=false\)/);
    assert.match(result.stdout, /helm render check skipped \(--no-render\)/);
    assert.match(result.stderr, /validation failed: 1 problem\(s\)/);
  });

  it('exits 1 on anything it could not check (a chart version it cannot find)', () => {
    const dist = publish();
    const release = join(dist, 'apps/headlamp/release.yaml');
    writeFileSync(release, readFileSync(release, 'utf8').replace('version: 0.45.0', 'version: 0.46.0'));
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts/run-typescript.cjs'), join(ROOT, 'cli/flux-helm-apps.ts'), 'validate', '--dist', dist, '--no-render'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: tempDir(), HELM_BIN: '/nonexistent/helm' },
    });
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stdout, /NOT CHECKED: values were NOT checked against chart headlamp 0\.46\.0/);
  });
});
