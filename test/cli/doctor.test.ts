// npm run doctor as a user runs it: one smoke test (its checks are tested in unit/doctor-checks).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, scratchProject, runScript } from '../project';

describe('npm run doctor', () => {
  it('prints each finding with its fix and exits 1 (a clean checkout passes: see unit/doctor-checks)', () => {
    const dir = scratchProject();
    copyFileSync(join(ROOT, 'renovate.json'), join(dir, 'renovate.json'));
    writeFileSync(join(dir, '.gitignore'), 'node_modules\ncdk8s.out\nbuild/\n');
    mkdirSync(join(dir, 'secrets/homelab/headlamp'), { recursive: true });
    writeFileSync(join(dir, 'secrets/homelab/headlamp/cloudflared-tunnel.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cloudflared-tunnel\n  namespace: headlamp\nstringData:\n  config.yaml: plain\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.net', 'commit', '-qm', 'init');
    const sick = runScript(dir, 'doctor');
    assert.equal(sick.status, 1, sick.stdout + sick.stderr);
    assert.match(sick.stdout, /✗ secrets: secrets\/homelab\/headlamp\/cloudflared-tunnel\.yaml: Secret headlamp\/cloudflared-tunnel is not encrypted\n {4}fix: sops --encrypt --in-place/);
    assert.match(sick.stdout, /\n1 thing\(s\) to fix$/m);
  });
});
