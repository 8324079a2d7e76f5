// scripts/run.cjs and scripts/bundle.cjs: the cached bundle must never run
// stale code, and its V8 code cache must never meet another bundle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scratchProject } from './helpers';

interface Bundle { path: string; ascii: boolean }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundleFor, watched } = require('../scripts/bundle.cjs') as {
  bundleFor(entry: string): { project: Bundle; packages: Bundle };
  watched(inputs: string[]): string[];
};

const run = (project: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['scripts/run.cjs', 'main.ts'], { cwd: project, encoding: 'utf8', env: { ...process.env, ...env } });

describe('scripts/run.cjs', () => {
  it('rebuilds when a source file changes, and reports a failing entry with exit 1', () => {
    const project = scratchProject();
    assert.equal(run(project).status, 0);
    const main = join(project, 'main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace("hostname: 'headlamp.example.net'", "hostname: 'https://headlamp.example.net'"));
    const failed = run(project);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /hostname: Invalid value: "https:\/\/headlamp\.example\.net"/);
    assert.match(failed.stderr, /HEADLAMP_TSX=1 shows the TypeScript lines/);
    const tsx = run(project, { HEADLAMP_TSX: '1' });
    assert.equal(tsx.status, 1);
    assert.match(tsx.stderr, /main\.ts:\d+/, 'tsx shows TypeScript positions');
    writeFileSync(main, `${readFileSync(main, 'utf8')}\nconst broken: = 1;\n`);
    const unparsable = run(project);
    assert.equal(unparsable.status, 1);
    assert.match(unparsable.stderr, /\[ERROR\] Unexpected "="\s+main\.ts:\d+:\d+:/, 'esbuild names the line');
    assert.match(unparsable.stderr, /^main\.ts does not compile: fix the error shown above/m);
    assert.doesNotMatch(unparsable.stderr, /stack positions are in the bundle/, 'no stack trace for a compile error');
    writeFileSync(main, readFileSync(main, 'utf8').replace('\nconst broken: = 1;\n', ''));
    writeFileSync(main, readFileSync(main, 'utf8').replace("hostname: 'https://headlamp.example.net'", "hostname: 'dash.example.net'"));
    assert.equal(run(project).status, 0);
    assert.match(readFileSync(join(project, 'dist/apps/headlamp/route.yaml'), 'utf8'), /Host\(`dash\.example\.net`\)/);
  });
});

describe('scripts/bundle.cjs', () => {
  it('names each build by its content, keeps a code cache beside it, and prunes what no manifest names', () => {
    const project = scratchProject();
    const main = join(project, 'main.ts');
    assert.equal(run(project).status, 0);
    const first = bundleFor(main);
    assert.ok(first.project.ascii && first.packages.ascii, 'comments are dropped, so the bundles read as latin1');
    assert.ok(existsSync(`${first.project.path}.v8`) && existsSync(`${first.packages.path}.v8`), 'the first run leaves code caches');
    assert.equal(run(project).status, 0, 'a run from the code caches synthesizes');

    writeFileSync(main, `${readFileSync(main, 'utf8')}\n// changed\nconsole.log('second build');\n`);
    const second = bundleFor(main);
    assert.notEqual(second.project.path, first.project.path, 'a new build never reuses the old name, so no old code cache applies');
    assert.equal(second.packages.path, first.packages.path, 'a change of project code leaves the package bundle alone');
    assert.ok(!existsSync(first.project.path) && !existsSync(`${first.project.path}.v8`), 'the old build and its cache are pruned');
    assert.match(run(project).stdout, /second build/);

    const other = scratchProject();
    const orphan = bundleFor(join(other, 'main.ts'));
    rmSync(other, { recursive: true, force: true });
    writeFileSync(main, `${readFileSync(main, 'utf8')}\nconsole.log('third build');\n`);
    bundleFor(main);
    assert.ok(!existsSync(orphan.project.path), 'the bundle of a deleted project is pruned at the next build');
  });

  it('watches project files themselves, and packages through their package.json and npm\'s lock', () => {
    const nm = join('/p', 'node_modules');
    assert.deepEqual(watched(['/p/lib/a.ts', `${nm}/cdk8s/lib/index.js`, `${nm}/cdk8s/lib/app.js`, `${nm}/@kubernetes-models/base/index.js`]), [
      '/p/lib/a.ts', `${nm}/.package-lock.json`, `${nm}/@kubernetes-models/base/package.json`, `${nm}/cdk8s/package.json`,
    ]);
  });
});
