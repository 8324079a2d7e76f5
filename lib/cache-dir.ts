import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `$XDG_CACHE_HOME/flux-helm-apps/<sub>` (default `~/.cache`): extracted tools,
 * pulled charts and compiled schema validators. Outside node_modules, so a
 * read-only or pnpm-managed install works the same.
 */
export function cacheDir(...sub: string[]): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flux-helm-apps', ...sub);
}

/**
 * Writes `file` whole or not at all (a staged file renamed over it), creating
 * its folder: another process reading the caches never sees half a file.
 */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, text);
  renameSync(staged, file);
}
