import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { GENERATED_MARKER, MARKDOWN_MARKER } from '../../lib/output/generated-marker';
import { publishTree } from '../../lib/output/publish-tree';
import { tempDir } from '../helpers';

const gen = (body: string) => `${GENERATED_MARKER}\n${body}`;

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function seed(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe('publishTree with Markdown', () => {
  it('replaces and removes generated Markdown, never a hand-written document', () => {
    const dir = tempDir();
    const doc = (body: string) => `${MARKDOWN_MARKER}\n${body}`;
    seed(dir, { 'clusters/a/RUNBOOK.md': doc('old\n'), 'clusters/b/RUNBOOK.md': doc('stale\n'), 'clusters/a/NOTES.md': '# mine\n' });
    const result = publishTree(dir, new Map([['clusters/a/RUNBOOK.md', doc('new\n')]]));
    assert.deepEqual(snapshot(dir), { 'clusters/a/RUNBOOK.md': doc('new\n'), 'clusters/a/NOTES.md': '# mine\n' });
    assert.deepEqual(result.removed, ['clusters/b/RUNBOOK.md']);
    seed(dir, { 'clusters/c/RUNBOOK.md': '# my own runbook\n' });
    assert.throws(() => publishTree(dir, new Map([['clusters/c/RUNBOOK.md', doc('x\n')]])), /clusters\/c\/RUNBOOK\.md exists and was not written by synth/);
    assert.equal(readFileSync(join(dir, 'clusters/c/RUNBOOK.md'), 'utf8'), '# my own runbook\n');
  });
});

describe('publishTree', () => {
  it('writes a new tree into a missing folder', () => {
    const dir = join(tempDir(), 'dist');
    const result = publishTree(dir, new Map([['apps/a/x.yaml', gen('x: 1\n')]]));
    assert.deepEqual(snapshot(dir), { 'apps/a/x.yaml': gen('x: 1\n') });
    assert.deepEqual(result, { written: ['apps/a/x.yaml'], unchanged: [], removed: [] });
  });

  it('never touches files it did not generate, such as flux bootstrap output', () => {
    const dir = tempDir();
    const foreign = { 'clusters/homelab/flux-system/gotk-sync.yaml': 'kind: GitRepository\n', 'README.md': 'mine\n' };
    seed(dir, { ...foreign, 'clusters/homelab/old.yaml': gen('stale: true\n') });
    publishTree(dir, new Map([['clusters/homelab/headlamp.yaml', gen('k: 1\n')]]));
    const after = snapshot(dir);
    for (const [path, text] of Object.entries(foreign)) assert.equal(after[path], text, path);
    assert.equal(after['clusters/homelab/headlamp.yaml'], gen('k: 1\n'));
  });

  it('removes generated files that are no longer produced, and folders left empty', () => {
    const dir = tempDir();
    seed(dir, { 'apps/a/route.yaml': gen('r\n'), 'apps/b/x.yaml': gen('x\n'), 'apps/a/keep.yaml': gen('k\n') });
    const result = publishTree(dir, new Map([['apps/a/keep.yaml', gen('k\n')]]));
    assert.deepEqual(result.removed, ['apps/a/route.yaml', 'apps/b/x.yaml']);
    assert.deepEqual(result.unchanged, ['apps/a/keep.yaml']);
    assert.deepEqual(snapshot(dir), { 'apps/a/keep.yaml': gen('k\n') });
    assert.equal(existsSync(join(dir, 'apps/b')), false);
  });

  it('refuses to overwrite a file it did not generate and changes nothing', () => {
    const dir = tempDir();
    seed(dir, { 'apps/a/release.yaml': 'hand: written\n', 'apps/a/x.yaml': gen('old\n'), 'apps/a/stale.yaml': gen('s\n') });
    const before = snapshot(dir);
    assert.throws(
      () => publishTree(dir, new Map([['apps/a/release.yaml', gen('new\n')], ['apps/a/x.yaml', gen('new\n')]])),
      /refusing to overwrite files in .*\n {2}apps\/a\/release\.yaml exists and was not written by synth\nmove them out of the way/,
    );
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses when a file stands where a folder is needed', () => {
    const dir = tempDir();
    seed(dir, { apps: 'a file\n' });
    assert.throws(() => publishTree(dir, new Map([['apps/a/x.yaml', gen('x\n')]])), /apps is a file but synth needs a folder there for apps\/a\/x\.yaml/);
    assert.deepEqual(snapshot(dir), { apps: 'a file\n' });
  });

  it('leaves the old tree byte-identical when a write fails half-way', () => {
    const dir = tempDir();
    seed(dir, { 'apps/a/x.yaml': gen('old x\n'), 'apps/a/y.yaml': gen('old y\n') });
    const before = snapshot(dir);
    // A folder where y.yaml's staging file goes makes the second write fail after x.yaml is staged.
    mkdirSync(join(dir, `apps/a/y.yaml.${process.pid}.tmp`));
    const tree = new Map([['apps/a/x.yaml', gen('new x\n')], ['apps/a/y.yaml', gen('new y\n')]]);
    assert.throws(() => publishTree(dir, tree), /EISDIR/);
    assert.deepEqual(snapshot(dir), before);
    assert.deepEqual(readdirSync(join(dir, 'apps/a')).sort(), ['x.yaml', 'y.yaml', `y.yaml.${process.pid}.tmp`], 'no staged file is left behind');
  });
});
