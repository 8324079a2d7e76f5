import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { isGenerated } from './generated-marker';
import { FluxTree } from './render-tree';

/** What a publish did, by path inside the tree. */
export interface PublishResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/** Files under `dir` (relative, `/`-separated), not following symlinks. */
function listFiles(dir: string, base = dir): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, base) : [relative(base, path).split(sep).join('/')];
  });
}

/** The file's text when synth generated it (marker first line), else undefined. */
function readGenerated(path: string): string | undefined {
  if (!lstatSync(path).isFile()) return undefined;
  const text = readFileSync(path, 'utf8');
  return isGenerated(path, text) ? text : undefined;
}

/** The first ancestor of `path` inside `root` that exists and is not a folder, if any. */
function blockingAncestor(root: string, path: string): string | undefined {
  for (let dir = dirname(path); dir !== '.'; dir = dirname(dir)) {
    try {
      if (!lstatSync(join(root, dir)).isDirectory()) return dir;
    } catch {
      // missing: publish creates it
    }
  }
  return undefined;
}

/**
 * Publishes `tree` into `root` without losing anything: files that synth did not
 * generate (no marker line, e.g. flux bootstrap's `flux-system/`) are never
 * overwritten or deleted; stale generated files are removed; every new file is
 * staged next to its target before any target is replaced, so a failure leaves
 * the old tree in place.
 */
export function publishTree(root: string, tree: FluxTree): PublishResult {
  const existing = new Set(listFiles(root));
  // Each existing target is read once: for its marker, then to skip unchanged writes.
  const current = new Map<string, string>();
  const conflicts: string[] = [];
  for (const path of tree.keys()) {
    const blocker = blockingAncestor(root, path);
    if (blocker) {
      conflicts.push(`${blocker} is a file but synth needs a folder there for ${path}`);
      continue;
    }
    if (!existing.has(path)) continue;
    const text = readGenerated(join(root, path));
    if (text === undefined) conflicts.push(`${path} exists and was not written by synth`);
    else current.set(path, text);
  }
  if (conflicts.length > 0) {
    throw new Error(`refusing to overwrite files in ${root}:\n  ${conflicts.join('\n  ')}\nmove them out of the way, or change the cluster or app name so the paths differ`);
  }

  const changed = [...tree].filter(([path, content]) => current.get(path) !== content);
  const staged: Array<[string, string]> = [];
  try {
    for (const [path, content] of changed) {
      const target = join(root, path);
      mkdirSync(dirname(target), { recursive: true });
      const temp = `${target}.${process.pid}.tmp`;
      writeFileSync(temp, content);
      staged.push([temp, target]);
    }
  } catch (error) {
    for (const [temp] of staged) rmSync(temp, { force: true });
    throw error;
  }
  for (const [temp, target] of staged) renameSync(temp, target);

  const removed = [...existing].filter((path) => !tree.has(path) && readGenerated(join(root, path)) !== undefined).sort();
  for (const path of removed) {
    rmSync(join(root, path));
    removeEmptyParents(root, dirname(path));
  }
  const written = changed.map(([path]) => path);
  const writtenSet = new Set(written);
  return { written, unchanged: [...tree.keys()].filter((path) => !writtenSet.has(path)), removed };
}

/** Removes `dir` and its parents inside `root` while they are empty. */
function removeEmptyParents(root: string, dir: string): void {
  for (; dir !== '.'; dir = dirname(dir)) {
    const path = join(root, dir);
    if (readdirSync(path).length > 0) return;
    rmdirSync(path);
  }
}
