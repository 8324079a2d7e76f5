// main.ts end to end: the committed dist/ is exactly what a fresh synth gives,
// through `npm run synth` and through `npx cdk8s synth`, in a scratch copy of the
// project so the tests never touch the committed dist/.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readTree, ROOT, scratchProject } from '../project';

function run(dir: string, command: string, args: string[]): string {
  const env = { ...process.env };
  delete env.CDK8S_OUTDIR;
  return execFileSync(command, args, { cwd: dir, stdio: 'pipe', env, encoding: 'utf8' });
}

// One copy of this project for both groups (the second writes its own main.ts):
// tsx's cache is per path, so a second project would compile every module again.
let project: string;
before(() => { project = scratchProject({ own: true }); });

describe('main.ts', () => {
  const committed = readTree(join(ROOT, 'dist'));
  const bootstrap = 'clusters/homelab/flux-system/gotk-sync.yaml';
  const bootstrapText = '# written by flux bootstrap\nkind: GitRepository\n';

  before(() => {
    rmSync(join(project, 'dist'), { recursive: true });
    mkdirSync(join(project, 'dist/clusters/homelab/flux-system'), { recursive: true });
    writeFileSync(join(project, 'dist', bootstrap), bootstrapText);
  });

  it('npm run synth reproduces the committed dist/ byte for byte, next to flux bootstrap files', () => {
    run(project, 'npm', ['run', '--silent', 'synth']);
    const fresh = readTree(join(project, 'dist'));
    assert.equal(fresh.get(bootstrap), bootstrapText, 'a file synth did not generate survives');
    fresh.delete(bootstrap);
    assert.deepEqual([...fresh.keys()], [...committed.keys()], 'dist/ has other files than a fresh synth: run npm run synth and commit dist/');
    for (const [path, text] of committed) assert.equal(fresh.get(path), text, `dist/${path} differs from a fresh synth: run npm run synth and commit dist/`);
  });

  it('npx cdk8s synth publishes the same dist/ and keeps its scratch output apart', () => {
    const before = readTree(join(project, 'dist'));
    rmSync(join(project, 'dist/apps'), { recursive: true });
    const out = run(project, 'npx', ['cdk8s', 'synth', '--no-check-upgrade']);
    assert.deepEqual(readTree(join(project, 'dist')), before);
    assert.doesNotMatch(out, /Validation Report/, 'the checks ran once, in the app; cdk8s-cli runs no second copy');
    assert.ok(readdirSync(join(project, 'cdk8s.out')).length > 0, 'cdk8s.out holds the cdk8s scratch manifests');
  });

  it('a second synth changes nothing', () => {
    const before = readTree(join(project, 'dist'));
    run(project, process.execPath, ['scripts/run-typescript.cjs', 'main.ts']);
    assert.deepEqual(readTree(join(project, 'dist')), before);
  });
});

describe('main.ts with bad values', () => {
  before(() => {
    // Its own entry point, so the test does not depend on what main.ts says.
    writeFileSync(join(project, 'main.ts'), [
      "import { FluxApp, HeadlampStack } from './lib';",
      'const app = new FluxApp();',
      "new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net', values: { extraVolumes: [], image: { tag: '0.40.0' } } });",
      'app.synth();',
      '',
    ].join('\n'));
  });

  for (const [name, command, args] of [
    ['npm run synth', 'npm', ['run', '--silent', 'synth']],
    ['npx cdk8s synth', 'npx', ['cdk8s', 'synth', '--no-check-upgrade']],
  ] as const) {
    it(`${name} fails, names every problem, and leaves dist/ byte-identical`, () => {
      const before = readTree(join(project, 'dist'));
      const result = spawnSync(command, [...args], { cwd: project, encoding: 'utf8' });
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /values\.extraVolumes is not a key of chart headlamp 0\.45\.0; did you mean values\.volumes\?/);
      assert.match(result.stderr, /values\.image\.tag "0\.40\.0" pins the binary apart from its chart/);
      assert.match(result.stderr, /Nothing was written to/);
      assert.deepEqual(readTree(join(project, 'dist')), before);
    });
  }
});
