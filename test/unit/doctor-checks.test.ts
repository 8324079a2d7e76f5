// The doctor's checks on crafted repositories: each finding is shown to fire, with its fix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runDoctor, watchedBranches } from '../../lib/doctor/doctor-checks';
import { FluxApp, HeadlampStack } from '../../lib';
import { ROOT, synthStack, SOPS_ENVELOPE_YAML, tempDir, TEST_CHECKS } from '../helpers';

const GOTK_SYNC = (branch: string) => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  ref:\n    branch: ${branch}\n  url: ssh://git@github.com/me/homelab\n`;

const ENCRYPTED = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cloudflared-tunnel\n  namespace: headlamp\nstringData:\n  config.yaml: ENC[AES256_GCM,data:x,type:str]\n' + SOPS_ENVELOPE_YAML;

/** A committed checkout with the default stack's dist/ (what the doctor reads: Git, dist/, secrets/, renovate.json). */
function repo(options: { secrets?: boolean } = {}): string {
  const dir = tempDir('doctor-');
  const app = new FluxApp({ outdir: tempDir(), distDir: join(dir, 'dist'), validation: TEST_CHECKS });
  new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net' });
  app.synth();
  if (options.secrets ?? true) {
    mkdirSync(join(dir, 'secrets/homelab/headlamp'), { recursive: true });
    writeFileSync(join(dir, 'secrets/homelab/headlamp/cloudflared-tunnel.yaml'), ENCRYPTED);
  }
  copyFileSync(join(ROOT, 'renovate.json'), join(dir, 'renovate.json'));
  writeFileSync(join(dir, '.gitignore'), 'node_modules\ncdk8s.out\nbuild/\n');
  mkdirSync(join(dir, 'dist/clusters/homelab/flux-system'), { recursive: true });
  writeFileSync(join(dir, 'dist/clusters/homelab/flux-system/gotk-sync.yaml'), GOTK_SYNC('main'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.net', 'commit', '-qm', 'init');
  return dir;
}

/** What the doctor prints and its exit code, for a checkout whose main.ts synthesizes the default stack. */
let fresh: ReadonlyMap<string, string> | undefined;
function doctor(dir: string): { status: number; stdout: string } {
  fresh ??= synthStack().tree;
  const findings = runDoctor({ root: dir, distDir: join(dir, 'dist'), fresh });
  return { status: findings.length === 0 ? 0 : 1, stdout: findings.map((f) => `✗ ${f.check}: ${f.problem}\n    fix: ${f.fix}`).join('\n') };
}

describe('runDoctor', () => {
  let clean: string;
  before(() => { clean = repo(); });

  it('finds nothing wrong in a clean checkout on the watched branch', () => {
    assert.deepEqual(watchedBranches(join(clean, 'dist')), [{ cluster: 'homelab', branch: 'main' }]);
    const result = doctor(clean);
    assert.equal(result.status, 0, result.stdout);
  });

  it('flags working on a branch Flux does not watch', () => {
    const dir = repo();
    execFileSync('git', ['switch', '-q', '-c', 'fix-headlamp'], { cwd: dir });
    const result = doctor(dir);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /✗ branch: cluster homelab syncs branch "main", but you are on "fix-headlamp": commits here never reach the cluster\n {4}fix: git switch main/);
  });

  it('flags commits Flux cannot see because they are not pushed', () => {
    const dir = repo();
    const origin = join(dir, '..', `${dir.split('/').pop()}-origin.git`);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    execFileSync('git', ['init', '-q', '--bare', origin]);
    git('remote', 'add', 'origin', origin);
    git('push', '-q', 'origin', 'main');
    assert.equal(doctor(dir).status, 0);
    git('-c', 'user.name=t', '-c', 'user.email=t@example.net', 'commit', '-q', '--allow-empty', '-m', 'local only');
    assert.match(doctor(dir).stdout, /✗ branch: branch "main" has 1 commit\(s\) not pushed; Flux only sees origin\n {4}fix: git push origin main/);
  });

  it('flags dist/ that a fresh synth would change, and uncommitted dist/', () => {
    const dir = repo();
    const release = join(dir, 'dist/apps/headlamp/release.yaml');
    writeFileSync(release, readFileSync(release, 'utf8').replace('interval: 30m', 'interval: 5m'));
    const result = doctor(dir);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /✗ drift: dist\/ is not what synth writes now \(1 object\(s\) differ, e.g\. changed HelmRelease headlamp\/headlamp\)\n {4}fix: npm run plan/);
    assert.match(result.stdout, /✗ drift: dist\/ has uncommitted changes/);
  });

  it('flags an unencrypted Secret under secrets/', () => {
    const dir = repo();
    mkdirSync(join(dir, 'secrets/homelab/headlamp'), { recursive: true });
    writeFileSync(join(dir, 'secrets/homelab/headlamp/tunnel.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\n  namespace: headlamp\nstringData:\n  a: b\n');
    const result = doctor(dir);
    assert.match(result.stdout, /✗ secrets: secrets\/homelab\/headlamp\/tunnel\.yaml: Secret headlamp\/t is not encrypted\n {4}fix: sops --encrypt --in-place/);
  });

  it('flags a secrets folder the app depends on that is missing, or not committed', () => {
    const dir = repo({ secrets: false });
    const missing = doctor(dir);
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /✗ secrets: cluster homelab: Flux Kustomization flux-system\/headlamp-secrets applies \.\/secrets\/homelab\/headlamp, which has no YAML files; the app depends on it and will not start\n {4}fix: npm run init-secrets/);
    mkdirSync(join(dir, 'secrets/homelab/headlamp'), { recursive: true });
    writeFileSync(join(dir, 'secrets/homelab/headlamp/cloudflared-tunnel.yaml'), ENCRYPTED);
    const uncommitted = doctor(dir);
    assert.match(uncommitted.stdout, /✗ secrets: cluster homelab: \.\/secrets\/homelab\/headlamp is not committed; Flux sees only what is pushed\n {4}fix: git add secrets\/homelab\/headlamp/);
    assert.doesNotMatch(uncommitted.stdout, /has no YAML files/);
  });

  it('flags an invalid or incomplete renovate.json', () => {
    const dir = repo();
    writeFileSync(join(dir, 'renovate.json'), '{ "flux": ');
    assert.match(doctor(dir).stdout, /✗ renovate: renovate\.json is not valid JSON/);
    writeFileSync(join(dir, 'renovate.json'), '{}');
    const result = doctor(dir).stdout;
    assert.match(result, /renovate\.json: no customManagers entry reads the pins/);
    assert.match(result, /renovate\.json: the flux manager is not pointed at dist\//);
  });
});
