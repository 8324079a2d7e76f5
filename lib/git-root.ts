// Flux paths are paths from the root of the Git repository Flux syncs, while a
// project (main.ts, dist/, secrets/) may live in a subfolder of it, e.g.
// `gitops/headlamp/`. These find that root and the project's place in it.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The nearest folder at or above `from` with a `.git` (a folder, or the file of a worktree), or undefined. */
export function gitRoot(from = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** `path` from `root` with `/` separators, or undefined when it is not inside `root` (or is `root`). */
export function pathFromRoot(root: string, path: string): string | undefined {
  const rel = relative(root, resolve(path));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** The project folder (`cwd`) from the Git root: '' at the root or outside any repository. */
export function projectPath(cwd = process.cwd()): string {
  const root = gitRoot(cwd);
  return root === undefined ? '' : pathFromRoot(root, cwd) ?? '';
}
