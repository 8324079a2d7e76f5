// Where a FluxApp may publish. The publisher deletes stale generated files
// (those that start with the marker line) under its folder, so a folder that
// is the repository itself (`distPath: 'dist/..'`) or lies above or outside it
// would put every marked file of the repository, the committed dist/ included,
// in its reach.
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, parse, posix, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors';

/** A path strictly below `parent` (not `parent` itself). */
function isBelow(parent: string, path: string): boolean {
  const rel = relative(parent, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * `distPath` normalized (`./dist/` → `dist`), or an error when it does not name
 * a folder strictly inside the repository: empty, `.`, absolute, or leading
 * out of it with `..` (`dist/..` is `.`, the repository root).
 */
export function normalizeDistPath(distPath: string): string {
  const normalized = posix.normalize(distPath.split('\\').join('/')).replace(/\/+$/, '');
  if (distPath.trim() === '' || posix.isAbsolute(normalized) || isAbsolute(distPath) || normalized === '.' || normalized === '' || normalized === '..' || normalized.startsWith('../')) {
    throw new UserError(`distPath "${distPath}" must be a path inside the Git repository, relative to its root, e.g. "dist" (not the root itself)`);
  }
  return normalized;
}

/** The real path of `path`, or of its deepest existing ancestor joined with the rest (symlinks resolved). */
function realpathOfExisting(path: string): string {
  const missing: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    try {
      return resolve(realpathSync(p), ...missing.reverse());
    } catch {
      if (dirname(p) === p) return path;
      missing.push(basename(p));
    }
  }
}

/**
 * The folder the tree is written to. The rule, from what the value is:
 * - given as a relative path (the `distDir` prop, $HEADLAMP_DIST_DIR, or the
 *   default `distPath`): resolved from the current working directory, the
 *   repository root, it must lie strictly inside it, also once links are
 *   resolved (a `dist` link pointing elsewhere is refused);
 * - given as an absolute path (tests and `npm run plan` pass scratch folders
 *   under the system temporary folder, which is outside the repository): taken
 *   as a deliberate choice, but still never the working directory itself, a
 *   folder above it, or the file-system root.
 */
export function resolveDistDir(value: string, cwd = process.cwd()): string {
  const resolved = resolve(cwd, value);
  if (isAbsolute(value)) {
    const root = parse(resolved).root;
    const containsCwd = (dir: string, work: string) => relative(dir, work) === '' || isBelow(dir, work);
    if (resolved === root || containsCwd(resolved, cwd) || containsCwd(realpathOfExisting(resolved), realpathOfExisting(cwd))) {
      throw new UserError(`distDir "${value}" is ${resolved === root ? 'the file-system root' : `the working directory ${cwd} or a folder above it`}: synth would treat every generated-looking file in it as its own. Publish into a folder of its own, e.g. "${resolve(cwd, 'dist')}"`);
    }
    return resolved;
  }
  if (!isBelow(cwd, resolved) || !isBelow(realpathOfExisting(cwd), realpathOfExisting(resolved))) {
    throw new UserError(`distDir "${value}" resolves to ${resolved}, which is not a folder inside the repository ${cwd} (the working directory); pass an absolute path to publish outside it on purpose`);
  }
  return resolved;
}
