// The publish lock: taken over when its holder is gone (dead pid, or a pid
// reused by another process), waited for while its holder runs, then a clear
// failure that names the holder and the lock file.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GENERATED_MARKER } from '../../lib/output/generated-marker';
import { publishTree, recover } from '../../lib/output/publish-tree';
import { tempDir } from '../helpers';

const gen = (body: string) => `${GENERATED_MARKER}\n${body}`;
const TREE = new Map([['apps/a/x.yaml', gen('x\n')]]);
/** A pid above Linux's pid_max (2^22): no process has it. */
const DEAD_PID = 2 ** 31 - 2;
const LOCK = '.flux-helm-apps.lock';

function lockWith(dir: string, info: Record<string, unknown>): string {
  const path = join(dir, LOCK);
  writeFileSync(path, `${JSON.stringify({ host: hostname(), nonce: 'theirs', since: '2024-01-01T00:00:00.000Z', ...info })}\n`);
  return path;
}

describe('publish lock', () => {
  it('takes over the lock of a synth that died, and frees it afterwards', () => {
    const dir = tempDir();
    lockWith(dir, { pid: DEAD_PID, start: '123' });
    const result = publishTree(dir, TREE, { lockTimeoutMs: 50 });
    assert.deepEqual(result.written, ['apps/a/x.yaml']);
    assert.deepEqual(readdirSync(dir).sort(), ['.flux-helm-apps-owners.json', 'apps']);
  });

  it('takes over a lock whose pid now belongs to another process (start time differs)', { skip: !existsSync('/proc/self/stat') && 'needs /proc' }, () => {
    const dir = tempDir();
    lockWith(dir, { pid: process.pid, start: '1' });
    publishTree(dir, TREE, { lockTimeoutMs: 50 });
    assert.equal(existsSync(join(dir, LOCK)), false);
  });

  it('takes over an empty lock file once it is old (its writer died between creating and writing it)', () => {
    const dir = tempDir();
    const lock = join(dir, LOCK);
    writeFileSync(lock, '');
    assert.throws(() => publishTree(dir, TREE, { lockTimeoutMs: 30 }), /held by an unknown process/);
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    publishTree(dir, TREE, { lockTimeoutMs: 30 });
    assert.equal(existsSync(lock), false);
  });

  it('waits for a running holder, then fails naming its pid and the lock file, changing nothing', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'apps/a'), { recursive: true });
    writeFileSync(join(dir, 'apps/a/x.yaml'), gen('old\n'));
    const lock = lockWith(dir, { pid: process.pid });
    const started = Date.now();
    assert.throws(() => publishTree(dir, TREE, { lockTimeoutMs: 200 }), (error: Error) => {
      assert.match(error.message, new RegExp(`another synth is publishing to .*: ${lock.replace(/[.]/g, '\\.')} is held by pid ${process.pid}, since 2024-01-01`));
      assert.match(error.message, /if no synth is running any more, delete .*\.flux-helm-apps\.lock/);
      return true;
    });
    assert.ok(Date.now() - started >= 190, 'it waited');
    assert.equal(readFileSync(join(dir, 'apps/a/x.yaml'), 'utf8'), gen('old\n'));
    assert.match(readFileSync(lock, 'utf8'), /"nonce":"theirs"/, 'another synth\'s lock is never removed');
    assert.throws(() => recover(dir, { lockTimeoutMs: 20 }), /another synth is publishing/);
  });

  it('refuses a link at the lock\'s name instead of reading or writing through it', () => {
    const dir = tempDir();
    const outside = join(tempDir(), 'victim');
    writeFileSync(outside, 'outside\n');
    symlinkSync(outside, join(dir, LOCK));
    assert.throws(() => publishTree(dir, TREE, { lockTimeoutMs: 20 }), /\.flux-helm-apps\.lock is not a regular file/);
    assert.equal(readFileSync(outside, 'utf8'), 'outside\n');
    assert.equal(existsSync(join(dir, 'apps')), false);
  });

  it('removes what a synth killed during a takeover left (a renamed stale lock)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, `${LOCK}.stale-${DEAD_PID}-abcd1234`), '{"pid":1}\n');
    publishTree(dir, TREE);
    assert.deepEqual(readdirSync(dir).sort(), ['.flux-helm-apps-owners.json', 'apps']);
  });
});
