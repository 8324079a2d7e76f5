import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cacheDir, writeAtomically } from './cache-dir';

/**
 * `compute()`'s result, kept as JSON in the cache folder `folder` under the
 * SHA-256 of `key` (everything the result depends on), so a later process
 * reads it instead of computing it again. A read-only cache only costs time.
 */
export function cachedJson<T>(folder: string, key: unknown, compute: () => T): T {
  const file = cacheDir(folder, `${createHash('sha256').update(JSON.stringify(key)).digest('hex')}.json`);
  const kept = readIfThere(file);
  if (kept !== undefined) return JSON.parse(kept) as T;
  const value = compute();
  try {
    writeAtomically(file, JSON.stringify(value));
  } catch {
    // a read-only cache: computed again next time
  }
  return value;
}

/** A file's text, or undefined when it is not there or cannot be reached (one call instead of a stat and a read). */
function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}
