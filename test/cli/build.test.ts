// scripts/build.cjs in a project of two files (scripts/build.cjs and
// run-typescript.cjs as this project has them): only a good build is recorded,
// so after a build tsc failed, run-typescript.cjs runs the sources, never the
// JavaScript tsc wrote anyway. A small project, because tsc on this one takes
// seconds and proves nothing more.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from '../project';

// Declares the little it uses instead of loading @types/node (most of tsc's time here).
const GOOD = [
  'declare const console: { log(...values: unknown[]): void };',
  'declare const __filename: string;',
  'const checked: number = 1;',
  "console.log('ran', __filename, checked);",
  '',
].join('\n');

/** A project with the build scripts, main.ts and a precompile step that does nothing. */
function smallProject(): string {
  const dir = tempDir('build-test-');
  mkdirSync(join(dir, 'scripts'));
  for (const script of ['build.cjs', 'run-typescript.cjs']) cpSync(join(ROOT, 'scripts', script), join(dir, 'scripts', script));
  writeFileSync(join(dir, 'scripts/precompile-schemas.ts'), 'export {}; // nothing to precompile in this project\n');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', lib: ['ES2022'], strict: true, types: [], skipLibCheck: true, noEmit: true } }));
  writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({
    extends: './tsconfig.json',
    compilerOptions: { noEmit: false, outDir: 'build', rootDir: '.', incremental: true, tsBuildInfoFile: 'build/.tsbuildinfo' },
    include: ['main.ts', 'scripts/precompile-schemas.ts'],
  }));
  writeFileSync(join(dir, 'main.ts'), GOOD);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('npm run build', () => {
  it('records a good build only: after a failed one the sources run, whatever tsc wrote', () => {
    const project = smallProject();
    const build = () => spawnSync(process.execPath, ['scripts/build.cjs'], { cwd: project, encoding: 'utf8' });
    /** The file that ran: the source, or the JavaScript tsc compiled from it. */
    const ran = () => {
      const result = spawnSync(process.execPath, ['scripts/run-typescript.cjs', 'main.ts'], { cwd: project, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      return relative(project, result.stdout.match(/^ran (\S+)/)?.[1] ?? '');
    };
    assert.equal(ran(), 'main.ts', 'no build yet: the source runs');
    assert.equal(build().status, 0);
    assert.equal(ran(), 'build/main.js', 'a current build runs compiled');

    writeFileSync(join(project, 'main.ts'), GOOD.replace('= 1;', "= 'not a number';"));
    const old = new Date('2001-01-01T00:00:00Z');
    utimesSync(join(project, 'main.ts'), old, old);
    assert.equal(ran(), 'main.ts', 'an edit runs from its source, also with a time older than the build');
    const failed = build();
    assert.equal(failed.status, 1);
    assert.match(failed.stdout + failed.stderr, /main\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
    assert.match(failed.stderr, /build: tsc found the errors above; fix them and run again/);
    assert.ok(existsSync(join(project, 'build/main.js')), 'tsc wrote the JavaScript anyway');
    assert.ok(!existsSync(join(project, 'build/.sources.json')), 'a failed build records nothing');
    assert.equal(ran(), 'main.ts', 'a failed build is never taken for a good one');
  });
});
