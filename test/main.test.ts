// main.ts end to end: the committed dist/ is exactly what a fresh synth gives,
// through `npm run synth` and through `npx cdk8s synth`, in a scratch copy of the
// project so the tests never touch the committed dist/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { tempDir } from './helpers';

const ROOT = join(__dirname, '..');

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** A copy of the project's sources with its node_modules linked in. */
function scratchProject(): string {
  const dir = tempDir('headlamp-project-');
  for (const entry of ['main.ts', 'lib', 'imports', 'cdk8s.yaml', 'package.json', 'tsconfig.json', 'dist']) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function run(dir: string, command: string, args: string[]): void {
  const env = { ...process.env };
  delete env.CDK8S_OUTDIR;
  execFileSync(command, args, { cwd: dir, stdio: 'pipe', env });
}

describe('main.ts', () => {
  const committed = readTree(join(ROOT, 'dist'));
  let project: string;
  const bootstrap = 'clusters/homelab/flux-system/gotk-sync.yaml';
  const bootstrapText = '# written by flux bootstrap\nkind: GitRepository\n';

  before(() => {
    project = scratchProject();
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
    run(project, 'npx', ['cdk8s', 'synth', '--no-check-upgrade']);
    assert.deepEqual(readTree(join(project, 'dist')), before);
    assert.ok(readdirSync(join(project, 'cdk8s.out')).length > 0, 'cdk8s.out holds the cdk8s scratch manifests');
  });

  it('a second synth changes nothing', () => {
    const before = readTree(join(project, 'dist'));
    run(project, 'npm', ['run', '--silent', 'synth']);
    assert.deepEqual(readTree(join(project, 'dist')), before);
  });
});
