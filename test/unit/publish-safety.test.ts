// The publisher's preconditions: everything that would stop a publish is found
// before anything changes, nothing is written through a link or outside the
// folder, and a file synth did not generate is never read past its first line.
import assert from 'node:assert/strict';
import fs, { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { GENERATED_MARKER, MARKDOWN_MARKER } from '../../lib/output/generated-marker';
import { HEAD_BYTES } from '../../lib/output/publish-fs';
import { publishTree } from '../../lib/output/publish-tree';
import { tempDir } from '../helpers';

const gen = (body: string) => `${GENERATED_MARKER}\n${body}`;

/** Every entry under `dir` (files with their text, links with their target, folders with a slash), the owners record left out. */
function state(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const rel = relative(dir, path);
      const stat = lstatSync(path);
      if (rel === '.flux-helm-apps-owners.json') continue;
      if (stat.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(path)}`;
      else if (stat.isDirectory()) {
        out[`${rel}/`] = '';
        walk(path);
      } else out[rel] = stat.size > 1024 * 1024 ? `<${stat.size} bytes, ino ${stat.ino}, mtime ${stat.mtimeMs}>` : readFileSync(path, 'utf8');
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

const OLD = { 'apps/a/x.yaml': gen('old x\n'), 'apps/a/y.yaml': gen('old y\n'), 'apps/a/stale.yaml': gen('stale\n') };
const NEW = new Map([['apps/a/x.yaml', gen('new x\n')], ['apps/a/y.yaml', gen('new y\n')], ['apps/b/z.yaml', gen('z\n')]]);

/** Publishing `tree` into `dir` fails with `message` and changes nothing, not even a staging folder or lock left behind. */
function assertRefused(dir: string, tree: ReadonlyMap<string, string>, message: RegExp): void {
  const before = state(dir);
  assert.throws(() => publishTree(dir, tree), message);
  assert.deepEqual(state(dir), before);
}

describe('publishTree preconditions', () => {
  it('refuses a folder at a generated path before replacing any file', () => {
    const dir = tempDir();
    seed(dir, { 'apps/a/x.yaml': OLD['apps/a/x.yaml'], 'apps/a/stale.yaml': OLD['apps/a/stale.yaml'] });
    mkdirSync(join(dir, 'apps/a/y.yaml'));
    assertRefused(dir, NEW, /apps\/a\/y\.yaml is a folder, but synth writes a file there/);
  });

  it('names every problem at once: a file where a folder goes, a hand-written file, a folder at a file path', () => {
    const dir = tempDir();
    seed(dir, { apps: 'a file\n', 'clusters/c/mine.yaml': 'hand: written\n' });
    mkdirSync(join(dir, 'clusters/c/x.yaml'));
    const tree = new Map([['apps/a/x.yaml', gen('x\n')], ['clusters/c/mine.yaml', gen('m\n')], ['clusters/c/x.yaml', gen('x\n')]]);
    const before = state(dir);
    assert.throws(() => publishTree(dir, tree), (error: Error) => {
      assert.match(error.message, /apps is a file but synth needs a folder there for apps\/a\/x\.yaml/);
      assert.match(error.message, /clusters\/c\/mine\.yaml exists and was not written by synth/);
      assert.match(error.message, /clusters\/c\/x\.yaml is a folder, but synth writes a file there/);
      return true;
    });
    assert.deepEqual(state(dir), before);
  });

  it('never writes through a link at the old staging name <file>.<pid>.tmp', () => {
    const dir = tempDir();
    const outside = join(tempDir(), 'victim.txt');
    writeFileSync(outside, 'outside the tree\n');
    seed(dir, OLD);
    symlinkSync(outside, join(dir, `apps/a/x.yaml.${process.pid}.tmp`));
    publishTree(dir, NEW);
    assert.equal(readFileSync(outside, 'utf8'), 'outside the tree\n');
    assert.equal(readFileSync(join(dir, 'apps/a/x.yaml'), 'utf8'), gen('new x\n'));
    assert.ok(lstatSync(join(dir, `apps/a/x.yaml.${process.pid}.tmp`)).isSymbolicLink(), 'a link is not synth\'s to remove');
  });

  it('creates staged files exclusively: a link planted in the staging folder fails the publish, never followed', (t) => {
    const dir = tempDir();
    const outside = join(tempDir(), 'victim.txt');
    writeFileSync(outside, 'outside the tree\n');
    seed(dir, OLD);
    const before = state(dir);
    const mkdtempSync = fs.mkdtempSync;
    t.mock.method(fs, 'mkdtempSync', (prefix: string) => {
      const staging = (mkdtempSync as (p: string) => string)(prefix);
      symlinkSync(outside, join(staging, '0'));
      return staging;
    });
    assert.throws(() => publishTree(dir, NEW), /EEXIST/);
    assert.equal(readFileSync(outside, 'utf8'), 'outside the tree\n');
    assert.deepEqual(state(dir), before, 'the staging folder is gone, nothing changed');
  });

  it('refuses a link at a target path and a link on the way to one', () => {
    const outsideDir = tempDir();
    seed(outsideDir, { 'a/x.yaml': gen('outside\n'), 'victim.yaml': gen('outside\n') });
    const dir = tempDir();
    seed(dir, { 'apps/a/y.yaml': gen('old y\n') });
    symlinkSync(join(outsideDir, 'victim.yaml'), join(dir, 'apps/a/x.yaml'));
    assertRefused(dir, NEW, /apps\/a\/x\.yaml is a symbolic link; synth replaces only files it generated/);

    const linked = tempDir();
    mkdirSync(join(linked, 'apps'));
    symlinkSync(join(outsideDir, 'a'), join(linked, 'apps/b'));
    assertRefused(linked, NEW, /apps\/b is a symbolic link; synth never writes through one \(for apps\/b\/z\.yaml\)/);
    assert.equal(readFileSync(join(outsideDir, 'a/x.yaml'), 'utf8'), gen('outside\n'));
    assert.equal(readFileSync(join(outsideDir, 'victim.yaml'), 'utf8'), gen('outside\n'));
  });

  it('never removes a stale file through a linked folder', () => {
    const outsideDir = tempDir();
    seed(outsideDir, { 'old.yaml': gen('stale outside\n') });
    const dir = tempDir();
    symlinkSync(outsideDir, join(dir, 'linked'));
    publishTree(dir, new Map([['apps/a/x.yaml', gen('x\n')]]));
    assert.equal(readFileSync(join(outsideDir, 'old.yaml'), 'utf8'), gen('stale outside\n'));
  });

  it('refuses tree paths that leave the folder or take the publisher\'s own names', () => {
    const parent = tempDir();
    const dir = join(parent, 'dist');
    mkdirSync(dir);
    for (const path of ['../escape.yaml', '/etc/escape.yaml', 'apps/../../escape.yaml', 'apps//x.yaml', './x.yaml', '.flux-helm-apps-owners.json', '.flux-helm-apps.lock']) {
      assertRefused(dir, new Map([[path, gen('x\n')]]), /refusing to publish into/);
    }
    assert.deepEqual(readdirSync(parent), ['dist']);
    assertRefused(dir, new Map([['apps', gen('x\n')], ['apps/x.yaml', gen('x\n')]]), /"apps" is both a file and the folder of other files/);
  });

  it('handles a 600 MB file it did not generate by reading its first line only (sparse: no disk used)', (t) => {
    const dir = tempDir();
    seed(dir, OLD);
    const huge = join(dir, 'apps/a/huge.bin');
    const target = join(dir, 'apps/b/z.yaml');
    writeFileSync(huge, '');
    truncateSync(huge, 600 * 1024 * 1024);
    const read = spyReads(t, [huge, target]);

    // Not a tree path: left alone, read up to its first line (the old publisher read it whole, as one string: ERR_STRING_TOO_LONG).
    const result = publishTree(dir, new Map([['apps/a/x.yaml', gen('new x\n')]]));
    assert.deepEqual(result.removed, ['apps/a/stale.yaml', 'apps/a/y.yaml']);
    assert.equal(statSync(huge).size, 600 * 1024 * 1024);
    assert.ok(read.get(huge)! <= HEAD_BYTES, `read ${read.get(huge)} bytes of the large file`);

    // At a tree path: refused, and again read up to its first line only.
    mkdirSync(dirname(target));
    fs.renameSync(huge, target);
    read.clear();
    assertRefused(dir, NEW, /apps\/b\/z\.yaml exists and was not written by synth/);
    assert.ok(read.get(target)! <= HEAD_BYTES, `read ${read.get(target)} bytes of the large file`);
  });

  it('refuses a file it cannot read before changing anything, and leaves an unreadable file it never wrote alone', (t) => {
    const dir = tempDir();
    seed(dir, { ...OLD, 'apps/a/secret.yaml': 'not readable\n' });
    const openSync = fs.openSync;
    const unreadable = new Set([join(dir, 'apps/a/y.yaml'), join(dir, 'apps/a/secret.yaml')]);
    t.mock.method(fs, 'openSync', (...args: Parameters<typeof fs.openSync>) => {
      if (unreadable.has(String(args[0]))) throw Object.assign(new Error(`EACCES: permission denied, open '${String(args[0])}'`), { code: 'EACCES' });
      return (openSync as (...a: unknown[]) => number)(...args);
    });
    assertRefused(dir, NEW, /apps\/a\/y\.yaml cannot be read \(EACCES\)/);
    unreadable.delete(join(dir, 'apps/a/y.yaml'));
    const result = publishTree(dir, NEW);
    assert.deepEqual(result.removed, ['apps/a/stale.yaml']);
    assert.equal(readFileSync(join(dir, 'apps/a/secret.yaml'), 'utf8'), 'not readable\n');
  });

  it('cleans up an old publisher\'s temporary files: Markdown, empty, YAML; never a hand-written one', () => {
    const dir = tempDir();
    seed(dir, {
      'clusters/a/RUNBOOK.md.4242.tmp': `${MARKDOWN_MARKER}\n# half-written runbook\n`,
      'apps/a/x.yaml.4243.tmp': '',
      'apps/a/y.yaml.4244.tmp': gen('y\n'),
      'apps/a/notes.txt.17.tmp': 'mine\n',
    });
    const result = publishTree(dir, new Map([['apps/a/x.yaml', gen('x\n')]]));
    assert.deepEqual(result.removed, ['apps/a/x.yaml.4243.tmp', 'apps/a/y.yaml.4244.tmp', 'clusters/a/RUNBOOK.md.4242.tmp']);
    assert.deepEqual(state(dir), { 'apps/': '', 'apps/a/': '', 'apps/a/notes.txt.17.tmp': 'mine\n', 'apps/a/x.yaml': gen('x\n') });
  });

  it('leaves the lock free after a refused publish', () => {
    const dir = tempDir();
    seed(dir, { 'apps/a/x.yaml': 'mine\n' });
    assert.throws(() => publishTree(dir, NEW), /not written by synth/);
    assert.equal(existsSync(join(dir, '.flux-helm-apps.lock')), false);
    publishTree(dir, new Map([['apps/b/z.yaml', gen('z\n')]]));
  });
});

/** Counts the bytes read from each of `paths` (through openSync/readSync/readFileSync). */
function spyReads(t: { mock: { method: typeof import('node:test').mock.method } }, paths: string[]): Map<string, number> {
  const read = new Map<string, number>();
  const fds = new Map<number, string>();
  const openSync = fs.openSync;
  const readSync = fs.readSync;
  const readFileSync = fs.readFileSync;
  t.mock.method(fs, 'openSync', (...args: Parameters<typeof fs.openSync>) => {
    const fd = (openSync as (...a: unknown[]) => number)(...args);
    if (paths.includes(String(args[0]))) fds.set(fd, String(args[0]));
    return fd;
  });
  t.mock.method(fs, 'closeSync', ((close) => (fd: number) => {
    fds.delete(fd);
    close(fd);
  })(fs.closeSync));
  t.mock.method(fs, 'readSync', (...args: Parameters<typeof fs.readSync>) => {
    const n = (readSync as (...a: unknown[]) => number)(...args);
    const path = fds.get(args[0]);
    if (path !== undefined) read.set(path, (read.get(path) ?? 0) + n);
    return n;
  });
  t.mock.method(fs, 'readFileSync', (...args: Parameters<typeof fs.readFileSync>) => {
    if (paths.includes(String(args[0]))) read.set(String(args[0]), Number.POSITIVE_INFINITY);
    return (readFileSync as (...a: unknown[]) => unknown)(...args);
  });
  return read;
}
