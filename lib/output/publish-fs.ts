// File-system steps of the publisher that never follow a symbolic link, never
// read a file whole unless it is known to be small, and create files only
// exclusively. Shared by the lock, the journal and the publisher.
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, rmdirSync, Stats, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Not on every platform (Windows); there the lstat checks before each open are what stands between a link and the publisher. */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * How much of a file is read to see whether it starts with a generated marker:
 * the longest marker line is under 100 bytes, so 512 covers it and its newline.
 * A file synth did not write (possibly gigabytes) is never read further.
 */
export const HEAD_BYTES = 512;

/** The error code of a failed system call, if any. */
export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** `lstat`, or undefined when nothing is there. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Opens an existing regular file for reading without following a link at its
 * name (O_NOFOLLOW) and without blocking on a FIFO (O_NONBLOCK); anything but a
 * regular file is refused.
 */
function openRegular(path: string): number {
  const fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG' });
  }
  return fd;
}

/** The first `bytes` bytes of a regular file, as text. */
export function readHead(path: string, bytes = HEAD_BYTES): string {
  const fd = openRegular(path);
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.toString('utf8', 0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * What the regular file at `path` holds, in one open: `foreign` when its first
 * `HEAD_BYTES` fail `generated` (then nothing more is read), `same` when it
 * holds exactly `content`, else `changed`. The rest is read only when the sizes
 * match, so never more than `content` itself.
 */
export function compareGenerated(path: string, content: string, generated: (head: string) => boolean): 'foreign' | 'same' | 'changed' {
  const fd = openRegular(path);
  try {
    const length = Buffer.byteLength(content);
    const buffer = scratch('read', Math.max(HEAD_BYTES, length + 1));
    let read = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    if (!generated(buffer.toString('utf8', 0, read))) return 'foreign';
    if (fstatSync(fd).size !== length) return 'changed';
    // One byte more than expected at most, to see a file that grew since.
    for (let n; read <= length && (n = readSync(fd, buffer, read, length + 1 - read, read)) > 0;) read += n;
    if (read !== length) return 'changed';
    const expected = scratch('expected', length);
    expected.write(content);
    return buffer.subarray(0, read).equals(expected.subarray(0, length)) ? 'same' : 'changed';
  } finally {
    closeSync(fd);
  }
}

/** The bytes of the regular file at `path` when it has exactly `size` of them (never more are read), else undefined; never throws. */
export function readRegularFile(path: string, size: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openRegular(path);
  } catch {
    return undefined;
  }
  try {
    if (fstatSync(fd).size !== size) return undefined;
    const buffer = Buffer.allocUnsafe(size + 1);
    let read = 0;
    for (let n; read <= size && (n = readSync(fd, buffer, read, size + 1 - read, read)) > 0;) read += n;
    return read === size ? buffer.subarray(0, size) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

// Two buffers reused for every file compared: a publish of ten thousand files
// would otherwise allocate two copies of the whole tree outside the JS heap.
const scratches: Record<'read' | 'expected', Buffer> = { read: Buffer.alloc(0), expected: Buffer.alloc(0) };

function scratch(which: 'read' | 'expected', size: number): Buffer {
  if (scratches[which].length < size) scratches[which] = Buffer.allocUnsafe(Math.max(size, 2 * scratches[which].length));
  return scratches[which];
}

/**
 * Creates `path` exclusively (O_CREAT|O_EXCL: fails on anything already there,
 * a planted link included, which it never follows), writes `content`, and
 * (`durable`) flushes it to disk before it can be named by a journal.
 */
export function writeExclusive(path: string, content: string, durable = true): void {
  const fd = openSync(path, 'wx', 0o666);
  try {
    const data = Buffer.from(content);
    for (let written = 0; written < data.length;) written += writeSync(fd, data, written, data.length - written);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder's entries (renames, new and removed names) to disk; a no-op where folders cannot be opened (Windows). */
export function fsyncDir(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (['EISDIR', 'EPERM', 'EACCES', 'ENOENT'].includes(errorCode(error) ?? '')) return;
    throw error;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!['EINVAL', 'EPERM', 'EBADF'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates the folder `dir` (relative, `/`-separated) inside `root` one level at
 * a time, refusing a link or a file at any level, so nothing is ever created
 * through a link that points out of the tree.
 */
export function ensureDir(root: string, dir: string): void {
  let path = root;
  for (const part of dir === '.' || dir === '' ? [] : dir.split('/')) {
    path = join(path, part);
    let stat = lstatOrUndefined(path);
    if (stat === undefined) {
      try {
        mkdirSync(path);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      stat = lstatSync(path);
    }
    if (stat.isSymbolicLink()) throw new Error(`${path} is a symbolic link; synth never writes through one`);
    if (!stat.isDirectory()) throw new Error(`${path} is a file but synth needs a folder there`);
  }
}

/** Removes `dir` (relative) and its parents inside `root` while they are empty folders (never a link). */
export function removeEmptyParents(root: string, dir: string): void {
  for (; dir !== '.' && dir !== ''; dir = dirname(dir)) {
    const path = join(root, dir);
    const stat = lstatOrUndefined(path);
    if (stat === undefined) continue;
    if (!stat.isDirectory() || readdirSync(path).length > 0) return;
    rmdirSync(path);
  }
}

/** Blocks the thread for `ms` milliseconds (publishing is synchronous, like synth). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ms));
}
