import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `$XDG_CACHE_HOME/flux-helm-apps/<sub>` (default `~/.cache`): extracted tools,
 * pulled charts and compiled schema validators. Outside node_modules, so a
 * read-only or pnpm-managed install works the same.
 */
export function cacheDir(...sub: string[]): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flux-helm-apps', ...sub);
}
