// The package as a user gets it: `npm pack` output installed into a scratch
// Git repository that already has a `flux bootstrap` folder, the project
// scaffolded in a subfolder with `npx flux-helm-apps init --path …`, then every
// CLI run from there as the README's "Adopt it in your GitOps repo" section
// says. npm installs with --prefer-offline: from the local npm cache, asking
// the registry only for what it lacks.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { GOTK_SYNC, parseYaml, ROOT, tempDir } from '../helpers';

const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

// As a user's shell has it: without the npm_config_* that `npm run` exports from this repository's .npmrc.
const ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

function run(cwd: string, command: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...ENV, NO_COLOR: '1' } });
}

function ok(result: SpawnSyncReturns<string>): string {
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** What flux bootstrap writes for a cluster folder at ./clusters/homelab. */
const BOOTSTRAP_SYNC = GOTK_SYNC.replace('path: ./dist/clusters/homelab', 'path: ./clusters/homelab');

describe('the packed package, adopted in a subfolder of an existing GitOps repository', () => {
  let tarball: string;
  let repo: string;
  let project: string;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.net', ...args], { cwd: repo, stdio: 'pipe' });

  before(() => {
    const packs = tempDir('flux-helm-apps-pack-');
    ok(run(ROOT, 'npm', ['pack', '--pack-destination', packs, '--loglevel=error']));
    tarball = join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz'))!);
    repo = tempDir('flux-helm-apps-gitops-');
    mkdirSync(join(repo, 'clusters/homelab/flux-system'), { recursive: true });
    writeFileSync(join(repo, 'clusters/homelab/flux-system/gotk-sync.yaml'), BOOTSTRAP_SYNC);
    writeFileSync(join(repo, 'clusters/homelab/flux-system/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-sync.yaml\n');
    writeFileSync(join(repo, 'clusters/homelab/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - flux-system\n');
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'flux bootstrap');
    project = join(repo, 'gitops/headlamp');
  });

  it("runs the commands of the README's subfolder adoption", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Adopt it in your GitOps repo'), readme.indexOf('\n## ', readme.indexOf('## Adopt it in your GitOps repo') + 3));
    const block = /\*\*An existing repository[^]*?```sh\n([^]*?)```/.exec(section)?.[1] ?? '';
    const commands = block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
    assert.deepEqual(commands, [
      'npx flux-helm-apps init --path gitops/headlamp', 'cd gitops/headlamp', 'npm install', 'npm run synth',
      'npm run init-secrets -- --age age1yourpublickey', 'npm run plan', 'npm run validate', 'npm run doctor',
    ]);
    assert.ok(section.includes('  - ../../gitops/headlamp/dist/clusters/homelab/headlamp.yaml'));
    assert.ok(readme.startsWith('# flux-helm-apps\n\n```sh\nnpx flux-helm-apps init --path gitops/headlamp'));
  });

  it('ships compiled JS, types, the CLI, the pinned chart and the license, and no sources or tests', () => {
    const files = ok(run(ROOT, 'tar', ['-tzf', tarball])).split('\n').filter(Boolean);
    for (const f of ['package/build/lib/index.js', 'package/build/lib/index.d.ts', 'package/build/cli/flux-helm-apps.js', 'package/charts/headlamp-0.45.0.tgz', 'package/LICENSE']) assert.ok(files.includes(f), f);
    assert.deepEqual(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')), []);
    assert.deepEqual(files.filter((f) => /^package\/(test|scripts|bench|e2e|dist|lib)\//.test(f)), []);
  });

  it('init scaffolds the subfolder without overwriting, with Flux paths from the Git root', () => {
    const out = ok(run(repo, 'npx', [...NPM_FLAGS, '--yes', '--package', tarball, 'flux-helm-apps', 'init', '--path', 'gitops/headlamp']));
    for (const f of ['gitops/headlamp/main.ts', 'gitops/headlamp/cdk8s.yaml', 'gitops/headlamp/package.json', 'gitops/headlamp/tsconfig.json', 'renovate.json', '.github/workflows/dist-in-sync.yml']) {
      assert.match(out, new RegExp(`created {2}${f.replace(/[./]/g, '\\$&')}\n`));
    }
    assert.match(out, /add this line under resources: in clusters\/homelab\/kustomization\.yaml:\n {2}- \.\.\/\.\.\/gitops\/headlamp\/dist\/clusters\/homelab\/headlamp\.yaml/);
    assert.match(readFileSync(join(repo, 'renovate.json'), 'utf8'), /\^gitops\\\\\/headlamp\\\\\/main\\\\\.ts\$/);
    assert.match(readFileSync(join(repo, '.github/workflows/dist-in-sync.yml'), 'utf8'), /working-directory: gitops\/headlamp/);
    const again = ok(run(repo, 'npx', [...NPM_FLAGS, '--yes', '--package', tarball, 'flux-helm-apps', 'init', '--path', 'gitops/headlamp']));
    assert.match(again, /kept {5}gitops\/headlamp\/main\.ts \(exists; init never overwrites a file\)/);
    assert.match(again, /kept {5}gitops\/headlamp\/package\.json \(has every script and dependency\)/);
  });

  it('synth inside the subfolder writes Flux paths that start at ./gitops/headlamp/', () => {
    ok(run(project, 'npm', ['install', ...NPM_FLAGS, '--save-dev', tarball]));
    ok(run(project, 'npm', ['run', '--silent', 'synth']));
    const paths = parseYaml(readFileSync(join(project, 'dist/clusters/homelab/headlamp.yaml'), 'utf8')).map((k) => k.spec.path);
    assert.deepEqual(paths, ['./gitops/headlamp/dist/apps/headlamp/namespace', './gitops/headlamp/secrets/homelab/headlamp', './gitops/headlamp/dist/apps/headlamp']);
    const lib = ok(run(project, process.execPath, ['-e', "const m = require('flux-helm-apps'); console.log(typeof m.FluxApp, typeof m.HeadlampStack)"]));
    assert.equal(lib.trim(), 'function function');
    // The scaffolded main.ts type-checks against the package's .d.ts files.
    ok(run(project, 'npx', ['--no-install', 'tsc', '-p', '.']));
  });

  it('plan sees no change, and shows a change without writing dist/', () => {
    assert.match(ok(run(project, 'npm', ['run', '--silent', 'plan'])), /No changes/);
    const main = join(project, 'main.ts');
    const text = readFileSync(main, 'utf8');
    writeFileSync(main, text.replace("hostname: 'headlamp.example.net'", "hostname: 'dash.example.net'"));
    const changed = run(project, 'npm', ['run', '--silent', 'plan']);
    writeFileSync(main, text);
    assert.equal(changed.status, 2, changed.stderr);
    assert.match(changed.stdout, /0 to add, \d+ to change, 0 to remove/);
    assert.match(ok(run(project, 'npm', ['run', '--silent', 'plan'])), /No changes/);
  });

  it('init-secrets writes the templates in the project, where the secrets Kustomization points', () => {
    const out = ok(run(project, 'npm', ['run', '--silent', 'init-secrets', '--', '--age', 'age1yourpublickey']));
    assert.match(out, /created {2}secrets\/homelab\/headlamp\/cloudflared-tunnel\.yaml/);
    assert.match(readFileSync(join(project, '.sops.yaml'), 'utf8'), /path_regex: \^secrets\/\.\*/);
    assert.match(readFileSync(join(project, 'secrets/homelab/headlamp/cloudflared-tunnel.yaml'), 'utf8'), /name: cloudflared-tunnel/);
  });

  it('validate checks the tree with its Flux paths, and refuses the unencrypted Secret', () => {
    const result = run(project, 'npm', ['run', '--silent', 'validate']);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /Secret headlamp\/cloudflared-tunnel via Kustomization flux-system\/headlamp-secrets \(cluster homelab\) +secrets +FAIL/);
    assert.match(result.stdout, /Deployment headlamp\/headlamp \(rendered from HelmRelease headlamp\/headlamp\) .* ok/);
    assert.match(result.stdout, /24 objects: 22 ok, 2 errors, 0 warnings, 0 not checked/);
  });

  it('doctor names the missing cluster entry with the line to add, then passes once it is added and committed', () => {
    // Pretend the Secret was encrypted (the shape SOPS leaves), as the README's next step says.
    const secret = join(project, 'secrets/homelab/headlamp/cloudflared-tunnel.yaml');
    writeFileSync(secret, readFileSync(secret, 'utf8').replace(/^ {2}(config\.yaml|credentials\.json): [|>][-+]?\n(?: {4}.*\n)+/gm, '  $1: ENC[AES256_GCM,data:eA==,iv:aXY=,tag:dGFn,type:str]\n')
      + 'sops:\n  age:\n    - recipient: age1example\n      enc: x\n  lastmodified: "2026-11-01T10:00:00Z"\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.10.2\n');
    git('add', '-A');
    git('commit', '-qm', 'headlamp');
    const sick = run(project, 'npm', ['run', '--silent', 'doctor']);
    assert.equal(sick.status, 1, sick.stdout + sick.stderr);
    assert.match(sick.stdout, /✗ cluster entry: cluster homelab: \.\/gitops\/headlamp\/dist\/clusters\/homelab\/headlamp\.yaml is applied by no Flux bootstrap here \(flux-system syncs \.\/clusters\/homelab\)/);
    assert.match(sick.stdout, /fix: add the line "- \.\.\/\.\.\/gitops\/headlamp\/dist\/clusters\/homelab\/headlamp\.yaml" under resources: in clusters\/homelab\/kustomization\.yaml/);
    assert.match(sick.stdout, /\n1 thing\(s\) to fix/);
    const entry = join(repo, 'clusters/homelab/kustomization.yaml');
    writeFileSync(entry, `${readFileSync(entry, 'utf8')}  - ../../gitops/headlamp/dist/clusters/homelab/headlamp.yaml\n`);
    git('commit', '-qam', 'apply headlamp');
    const healthy = run(project, 'npm', ['run', '--silent', 'doctor']);
    assert.equal(healthy.status, 0, healthy.stdout + healthy.stderr);
    assert.match(ok(run(project, 'npm', ['run', '--silent', 'validate'])), /24 objects: 24 ok, 0 errors, 0 warnings, 0 not checked/);
  });
});
