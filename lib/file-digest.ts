import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

const digests = new Map<string, string>();

/**
 * SHA-256 (hex) of a file's content, read once per process while its size and
 * modification time stay the same: a chart archive is asked for once per release.
 */
export function fileSha256(path: string): string {
  const { size, mtimeMs, ino } = statSync(path);
  const key = `${path}\n${size}\n${mtimeMs}\n${ino}`;
  let digest = digests.get(key);
  if (digest === undefined) {
    digest = createHash('sha256').update(readFileSync(path)).digest('hex');
    digests.set(key, digest);
  }
  return digest;
}
