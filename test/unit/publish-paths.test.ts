// Where a FluxApp may publish: never the repository root, above it or (for a
// relative path) outside it, since a publish deletes stale marked files there.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { describe, it } from 'node:test';
import { FluxApp } from '../../lib';
import { normalizeDistPath, resolveDistDir } from '../../lib/output/publish-paths';
import { tempDir } from '../helpers';

describe('distPath', () => {
  it('normalizes a path inside the repository', () => {
    assert.equal(normalizeDistPath('dist'), 'dist');
    assert.equal(normalizeDistPath('./out/flux/'), 'out/flux');
    assert.equal(normalizeDistPath('a/../dist'), 'dist');
  });

  it('refuses the repository root and anything outside it', () => {
    for (const path of ['', ' ', '.', './', 'dist/..', '..', '../elsewhere', 'dist/../..', '/abs', 'dist\\..\\..']) {
      assert.throws(() => normalizeDistPath(path), /must be a path inside the Git repository, relative to its root/, JSON.stringify(path));
    }
  });

  it('is checked by FluxApp before anything is written', () => {
    assert.throws(() => new FluxApp({ distPath: 'dist/..', distDir: tempDir() }), /distPath "dist\/\.\." must be a path inside the Git repository/);
    assert.throws(() => new FluxApp({ distPath: '../elsewhere' }), /distPath "\.\.\/elsewhere" must be a path inside the Git repository/);
  });
});

describe('distDir', () => {
  const repo = () => {
    const dir = join(tempDir(), 'repo');
    mkdirSync(dir);
    return dir;
  };

  it('takes a relative folder strictly inside the working directory', () => {
    const cwd = repo();
    assert.equal(resolveDistDir('dist', cwd), join(cwd, 'dist'));
    assert.equal(resolveDistDir('out/../dist', cwd), join(cwd, 'dist'));
  });

  it('refuses a relative path that is the working directory or leaves it, also through a link', () => {
    const cwd = repo();
    for (const path of ['', '.', 'dist/..', '..', '../dist', 'a/../../x']) {
      assert.throws(() => resolveDistDir(path, cwd), /is not a folder inside the repository .* \(the working directory\); pass an absolute path/, JSON.stringify(path));
    }
    symlinkSync(tempDir(), join(cwd, 'dist'));
    assert.throws(() => resolveDistDir('dist', cwd), /not a folder inside the repository/);
    assert.throws(() => resolveDistDir('dist/sub', cwd), /not a folder inside the repository/);
  });

  it('takes an absolute path anywhere but the working directory, a folder above it, or the root', () => {
    const cwd = repo();
    const elsewhere = tempDir();
    assert.equal(resolveDistDir(elsewhere, cwd), elsewhere);
    assert.equal(resolveDistDir(join(cwd, 'dist'), cwd), join(cwd, 'dist'));
    for (const path of [cwd, `${cwd}/`, dirname(cwd), parse(cwd).root]) {
      assert.throws(() => resolveDistDir(path, cwd), /is (the working directory .* or a folder above it|the file-system root)/, path);
    }
  });

  it('is checked by FluxApp, for the prop and for $HEADLAMP_DIST_DIR', () => {
    assert.throws(() => new FluxApp({ distDir: '.' }), /distDir "\." resolves to .*, which is not a folder inside the repository/);
    assert.throws(() => new FluxApp({ distDir: process.cwd() }), /is the working directory/);
    const saved = process.env.HEADLAMP_DIST_DIR;
    try {
      process.env.HEADLAMP_DIST_DIR = '..';
      assert.throws(() => new FluxApp(), /distDir "\.\." resolves to/);
      process.env.HEADLAMP_DIST_DIR = tempDir();
      assert.equal(new FluxApp().distDir, process.env.HEADLAMP_DIST_DIR);
    } finally {
      if (saved === undefined) delete process.env.HEADLAMP_DIST_DIR;
      else process.env.HEADLAMP_DIST_DIR = saved;
    }
  });
});
