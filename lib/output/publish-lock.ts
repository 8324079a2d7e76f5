// One publisher at a time per published folder. Two synths publishing into the
// same dist/ at once used to interleave their renames and deletes and leave the
// union of both trees; now the second waits for the first, then publishes over
// its result (or fails clearly after a bounded wait).
//
// The lock is a file holding the holder's pid, its start time and a random
// nonce. It appears with its content at once: the content is written to a file
// of the holder's own, created exclusively (O_CREAT|O_EXCL, which also refuses
// a planted link), then hard-linked to the lock's name, which fails if a lock
// exists. (Created empty and then written, a lock would be empty, i.e. of
// nobody known, whenever a synth is killed between the two steps; where a file
// system has no hard links the lock is created that way.) A lock whose holder
// is gone (its pid no longer runs, or runs a different process: the start time
// differs, i.e. the pid was reused) is stale and is taken over; node offers no
// flock(), and a lock file works on every file system the tree may live on.
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { errorCode, lstatOrUndefined, readHead, sleepSync } from './publish-fs';
import { UserError } from '../errors';

/** The lock file, at the top of the published folder. */
export const LOCK_FILE = '.flux-helm-apps.lock';

/**
 * A synth's own files next to the lock, `<LOCK_FILE>.<kind>-<pid>-<random>`: `new`
 * (a lock being created) and `stale` (a stale lock being removed, see takeOver).
 * One killed before it removed its file leaves it to the next lock holder.
 */
const SIDE_FILE = /^\.flux-helm-apps\.lock\.(new|stale)-(\d+)-[0-9a-f]+$/;
const sideFile = (root: string, kind: 'new' | 'stale') => join(root, `${LOCK_FILE}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`);

/** How long a synth waits for another one's lock before it fails. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/** A lock file with no readable content (its writer died between creating and writing it) is stale once it is this old. */
const UNREADABLE_STALE_MS = 2_000;

interface LockInfo {
  readonly pid: number;
  /** /proc/<pid>/stat start time (clock ticks since boot), where there is a /proc. */
  readonly start?: string;
  readonly host: string;
  readonly nonce: string;
  readonly since: string;
}

/** A process's start time, to tell it from a later process with the same pid (Linux only; elsewhere undefined). */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) is in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid runs (one of another user counts: EPERM). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH';
  }
}

interface Holder {
  readonly text: string;
  readonly info?: LockInfo;
  readonly ageMs: number;
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const info = JSON.parse(text) as LockInfo;
    return Number.isSafeInteger(info.pid) && info.pid > 0 && typeof info.nonce === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The lock as it is now, or undefined when it vanished meanwhile. A lock that is not a regular file is refused, never read through. */
function readLock(path: string): Holder | undefined {
  const stat = lstatOrUndefined(path);
  if (stat === undefined) return undefined;
  if (!stat.isFile()) throw new UserError(`${path} is not a regular file (a link or folder); remove it, then run synth again`);
  let text: string;
  try {
    text = readHead(path, 4096);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  return { text, info: parseLock(text), ageMs: Date.now() - stat.mtimeMs };
}

/** Whether the lock's holder is certainly gone. A lock from another host (a shared folder) is never judged. */
function isStale(holder: Holder): boolean {
  const info = holder.info;
  if (info === undefined) return holder.ageMs > UNREADABLE_STALE_MS;
  if (info.host !== hostname()) return false;
  if (info.pid === process.pid) return info.start !== undefined && info.start !== startTimeOf(process.pid);
  if (!isRunning(info.pid)) return true;
  const start = info.start === undefined ? undefined : startTimeOf(info.pid);
  return start !== undefined && start !== info.start;
}

function describeHolder(holder: Holder): string {
  const info = holder.info;
  if (info === undefined) return 'an unknown process (the lock file is empty or unreadable)';
  return `pid ${info.pid}${info.host === hostname() ? '' : ` on host ${info.host}`}, since ${info.since}`;
}

/**
 * Removes a stale lock without ever removing a live one: the lock is first
 * renamed to a name of our own (atomic: of two synths taking over at once only
 * one gets it), then removed only if it is still the stale lock that was
 * judged; if another synth had taken the lock meanwhile, it is put back (link
 * fails rather than replace a newer lock), and that synth's own check before
 * it commits (HeldLock.assertHeld) catches the rare case where it could not be.
 */
function takeOver(root: string, path: string, stale: Holder): void {
  const grave = sideFile(root, 'stale');
  try {
    renameSync(path, grave);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    if (readHead(grave, 4096) !== stale.text) {
      try {
        linkSync(grave, path);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
    }
  } finally {
    unlinkSync(grave);
  }
}

/** Removes the side files of synths killed while taking the lock (their pid is gone). Called under the lock. */
export function removeLockLeftovers(root: string): void {
  for (const name of readdirSync(root)) {
    const match = SIDE_FILE.exec(name);
    const pid = Number(match?.[2]);
    if (match === null || pid === process.pid || isRunning(pid)) continue;
    const path = join(root, name);
    if (lstatSync(path).isFile()) unlinkSync(path);
  }
}

/** Whether link() is not available on this file system (then the lock is created in place). */
function noHardLinks(error: unknown): boolean {
  return ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'].includes(errorCode(error) ?? '');
}

/** Creates the lock file with `text` unless one exists: true when it did. */
function createLock(root: string, path: string, text: string): boolean {
  const pending = sideFile(root, 'new');
  const fd = openSync(pending, 'wx', 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(pending, path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    if (!noHardLinks(error)) throw error;
  } finally {
    unlinkSync(pending);
  }
  let created: number;
  try {
    created = openSync(path, 'wx', 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(created, text);
  } catch (error) {
    closeSync(created);
    unlinkSync(path);
    throw error;
  }
  closeSync(created);
  return true;
}

/** The lock on one published folder, held by this process. */
export class HeldLock {
  public constructor(public readonly path: string, private readonly text: string) {}

  /** Fails when the lock is no longer this process's (taken over by mistake, or removed by hand). */
  public assertHeld(): void {
    const holder = readLock(this.path);
    if (holder?.text !== this.text) throw new UserError(`lost the publish lock ${this.path} (removed or taken over by another synth); nothing was changed, run synth again`);
  }

  /** Removes the lock if it is still this process's. */
  public release(): void {
    try {
      if (readLock(this.path)?.text === this.text) unlinkSync(this.path);
    } catch {
      // The lock is gone or not ours: nothing to release.
    }
  }
}

/**
 * Takes the lock on `root` (an existing folder): at once when it is free or
 * stale, else after the holder releases it; after `timeoutMs` fails with a
 * message that names the holder and the lock file.
 */
export function acquireLock(root: string, timeoutMs = DEFAULT_LOCK_TIMEOUT_MS): HeldLock {
  const path = join(root, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, start: startTimeOf(process.pid), host: hostname(), nonce: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  const text = `${JSON.stringify(info)}\n`;
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    if (createLock(root, path, text)) return new HeldLock(path, text);
    const holder = readLock(path);
    if (holder === undefined) continue;
    if (isStale(holder)) {
      takeOver(root, path, holder);
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new UserError(`another synth is publishing to ${root}: ${path} is held by ${describeHolder(holder)}. Waited ${Math.round(timeoutMs / 1000)} s; if no synth is running any more, delete ${path} and run synth again`);
    }
    sleepSync(Math.min(pause, left));
  }
}
