// `flux-helm-apps init`: the files it writes at a repository root and in a
// subfolder, never overwriting one, and the next steps it prints.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, mock } from 'node:test';
import { parse } from 'yaml';
import { init } from '../../cli/init';
import { main } from '../../cli/main';
import { tempDir } from '../helpers';

/** Runs init in `cwd` and returns what it printed. */
function runInit(cwd: string, ...args: string[]): string {
  const log = mock.method(console, 'log', () => undefined);
  try {
    assert.equal(init(args, cwd), 0);
    return log.mock.calls.map((c) => String(c.arguments[0])).join('\n');
  } finally {
    log.mock.restore();
  }
}

describe('flux-helm-apps init', () => {
  it('scaffolds a new repository at its root, with flux bootstrap on ./dist/clusters/<cluster>', () => {
    const repo = tempDir('init-');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const out = runInit(repo, '--cluster', 'pi');
    for (const f of ['main.ts', 'cdk8s.yaml', 'package.json', 'tsconfig.json', '.gitignore', '.npmrc', 'renovate.json', '.github/workflows/dist-in-sync.yml']) assert.ok(existsSync(join(repo, f)), f);
    assert.match(readFileSync(join(repo, 'main.ts'), 'utf8'), /import \{ FluxApp, HeadlampStack \} from 'flux-helm-apps';[^]*clusters: \{ pi: \{\} \}/);
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    assert.equal(pkg.scripts.synth, 'flux-helm-apps synth');
    assert.equal(pkg.devDependencies['flux-helm-apps'], '^0.1.0');
    assert.match(out, /flux bootstrap github .* --path=\.\/dist\/clusters\/pi /);
    const workflow = parse(readFileSync(join(repo, '.github/workflows/dist-in-sync.yml'), 'utf8'));
    assert.equal(workflow.jobs.synth.defaults.run['working-directory'], '.');
    assert.deepEqual(JSON.parse(readFileSync(join(repo, 'renovate.json'), 'utf8')).customManagers[0].managerFilePatterns, ['/^main\\.ts$/']);
  });

  it('scaffolds a subfolder of an existing repository: Flux paths, renovate.json and the workflow from the Git root', () => {
    const repo = tempDir('init-');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    mkdirSync(join(repo, 'clusters/homelab/flux-system'), { recursive: true });
    const out = runInit(repo, '--path', 'gitops/headlamp');
    assert.ok(existsSync(join(repo, 'gitops/headlamp/main.ts')));
    assert.match(out, /cd gitops\/headlamp\n/);
    assert.match(out, /add this line under resources: in clusters\/homelab\/kustomization\.yaml:\n {2}- \.\.\/\.\.\/gitops\/headlamp\/dist\/clusters\/homelab\/headlamp\.yaml/);
    assert.doesNotMatch(out, /flux bootstrap/);
    const renovate = JSON.parse(readFileSync(join(repo, 'renovate.json'), 'utf8'));
    assert.deepEqual(renovate.customManagers[0].managerFilePatterns, ['/^gitops\\/headlamp\\/main\\.ts$/']);
    assert.deepEqual(renovate.flux.managerFilePatterns, ['/^gitops\\/headlamp\\/dist\\/.+\\.yaml$/']);
    assert.equal(parse(readFileSync(join(repo, '.github/workflows/dist-in-sync.yml'), 'utf8')).jobs.synth.defaults.run['working-directory'], 'gitops/headlamp');
  });

  it('never overwrites a file; an existing package.json only gains what it lacks', () => {
    const repo = tempDir('init-');
    writeFileSync(join(repo, 'main.ts'), 'mine\n');
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'mine', scripts: { synth: 'my synth' } }));
    const out = runInit(repo);
    assert.equal(readFileSync(join(repo, 'main.ts'), 'utf8'), 'mine\n');
    assert.match(out, /kept {5}main\.ts \(exists; init never overwrites a file\)/);
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'mine');
    assert.equal(pkg.scripts.synth, 'my synth');
    assert.equal(pkg.scripts.doctor, 'flux-helm-apps doctor');
    assert.match(out, /updated {2}package\.json \(added script validate, script plan, script doctor, script init-secrets, flux-helm-apps, /);
    assert.match(out, /git init/, 'outside Git it says to create the repository');
  });

  it('refuses a bad cluster name or a path outside the repository as a user error, without a stack', () => {
    const repo = tempDir('init-');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const error = mock.method(console, 'error', () => undefined);
    const cwd = process.cwd();
    try {
      process.chdir(repo);
      assert.equal(main(['init', '--cluster', 'Home_Lab']), 1);
      assert.equal(main(['init', '--path', '../elsewhere']), 1);
      assert.equal(main(['init', '--path']), 1);
    } finally {
      process.chdir(cwd);
      error.mock.restore();
    }
    const printed = error.mock.calls.map((c) => String(c.arguments[0]));
    assert.match(printed[0], /^Error: --cluster: Invalid value: "Home_Lab": a lowercase RFC 1123 label/);
    assert.match(printed[1], /^Error: --path .*elsewhere is outside the Git repository/);
    assert.match(printed[2], /^Error: --path needs a value/);
    assert.ok(printed.every((p) => !/\n {4}at /.test(p)), 'no stack');
  });
});
