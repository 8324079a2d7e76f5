import { accessSync, constants, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, Stats } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { isGenerated } from './generated-marker';
import { compareGenerated, errorCode, fsyncDir, lstatOrUndefined, readHead, writeExclusive } from './publish-fs';
import { applyJournal, isInsidePath, isLeftoverTemp, Journal, JOURNAL_FILE, JournalStep, recoverTree, Recovery, RESERVED_PREFIX, STAGED_JOURNAL, STAGING_PREFIX } from './publish-journal';
import { acquireLock, HeldLock, removeLockLeftovers } from './publish-lock';
import { defaultOwner, formatOwners, ownerByFile, OWNERS_FILE, readOwners } from './publish-owners';
import { FluxTree } from './render-tree';
import { UserError } from '../errors';

export type { Recovery } from './publish-journal';

/** What a publish did, by path inside the tree. */
export interface PublishResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

export interface PublishOptions {
  /**
   * Who publishes: several entry points may share one folder, each owning the
   * files it generated (recorded in `.flux-helm-apps-owners.json` there).
   * @default - the entry script's path from the working directory (see defaultOwner)
   */
  readonly owner?: string;

  /**
   * How long to wait, in milliseconds, while another synth holds the folder's lock.
   * @default 30000
   */
  readonly lockTimeoutMs?: number;

  /**
   * Flush staged files, the journal and folder entries to disk (fsync) before
   * each step relies on them, so that even a power loss leaves the old tree or
   * the new one. `false` skips the flushes (about two per file): a killed
   * process leaves the same (its writes are in the kernel already); only a
   * machine crash could then leave empty files. For throwaway folders.
   * @default true
   */
  readonly durable?: boolean;
}

/** What a publish will do, found before anything changes. */
interface Plan {
  readonly writes: Array<[string, string]>;
  readonly unchanged: string[];
  /** Stale generated files of this owner (or of nobody). */
  readonly removals: string[];
  /** An old publisher's `<file>.<pid>.tmp` staging files. */
  readonly leftovers: string[];
  /** The owners record's new text (undefined: no record), when it changes. */
  readonly owners?: { readonly text: string | undefined };
}

/**
 * Regular files under `root` (relative, `/`-separated), not following links,
 * without the publisher's own entries at the top (lock, journal, owners
 * record, staging folders) and without `.git` folders.
 */
function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (prefix === '' && entry.name.startsWith(RESERVED_PREFIX)) continue;
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      } else if (entry.isFile()) {
        files.push(`${prefix}${entry.name}`);
      }
    }
  };
  walk(root, '');
  return files;
}

/** Tree paths that would leave the folder, collide with the publisher's own names, or need a file and a folder at once. */
function badTreePaths(tree: FluxTree): string[] {
  const folders = new Set<string>();
  for (const path of tree.keys()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return [...tree.keys()].flatMap((path) => {
    if (!isInsidePath(path)) return [`"${path}" is not a relative path inside the folder (no "..", ".", empty or absolute parts)`];
    if (path.startsWith(RESERVED_PREFIX)) return [`"${path}" starts with ${RESERVED_PREFIX}, which the publisher keeps for its lock, journal and owners record`];
    if (folders.has(path)) return [`"${path}" is both a file and the folder of other files`];
    return [];
  });
}

/**
 * Every precondition of a publish, checked with reads only, before the first
 * change: for each new file, no link, file or other file system on its way, a
 * writable folder, and at its path nothing or a readable generated file of
 * this owner (or of nobody); which stale files go. A file synth did not
 * generate is only ever read up to its first line (HEAD_BYTES), however large.
 */
function planPublish(root: string, tree: FluxTree, owner: string): Plan {
  const owners = readOwners(root);
  const present = listFiles(root);
  const presentSet = new Set(present);
  // An owner all of whose files this tree writes is taken over: it is the same
  // app run another way (a renamed entry script, a test that synthesized the
  // project in process). An owner only some of whose files it writes is another
  // app: those files are refused.
  const takenOver = new Set([...owners].filter(([id, files]) => {
    const existing = [...files].filter((f) => presentSet.has(f));
    return id !== owner && existing.length > 0 && existing.every((f) => tree.has(f));
  }).map(([id]) => id));
  const ownerOf = ownerByFile(new Map([...owners].filter(([id]) => !takenOver.has(id))));
  const rootStat = lstatSync(root);
  const stats = new Map<string, Stats | undefined>();
  const statOf = (path: string) => {
    if (!stats.has(path)) stats.set(path, lstatOrUndefined(join(root, path)));
    return stats.get(path);
  };
  const writable = new Map<string, string | undefined>();
  const writeProblem = (dir: string) => {
    if (!writable.has(dir)) {
      try {
        accessSync(join(root, dir), constants.W_OK);
        writable.set(dir, undefined);
      } catch (error) {
        writable.set(dir, errorCode(error) ?? String(error));
      }
    }
    return writable.get(dir);
  };
  const conflicts: string[] = [];
  const rootProblem = writeProblem('');
  if (rootProblem !== undefined) conflicts.push(`the folder itself cannot be written (${rootProblem})`);

  const writes: Array<[string, string]> = [];
  const unchanged: string[] = [];
  for (const [path, content] of tree) {
    const parts = path.split('/');
    let blocked: string | undefined;
    let deepest = '';
    for (let i = 1; i < parts.length && blocked === undefined; i++) {
      const dir = parts.slice(0, i).join('/');
      const stat = statOf(dir);
      if (stat === undefined) break;
      if (stat.isSymbolicLink()) blocked = `${dir} is a symbolic link; synth never writes through one (for ${path})`;
      else if (!stat.isDirectory()) blocked = `${dir} is a file but synth needs a folder there for ${path}`;
      else if (stat.dev !== rootStat.dev) blocked = `${dir} is another file system (a mount point), so ${path} cannot be replaced in one rename`;
      else deepest = dir;
    }
    const dirProblem = blocked === undefined && deepest !== '' ? writeProblem(deepest) : undefined;
    if (dirProblem !== undefined) blocked = `${deepest} cannot be written (${dirProblem}), so ${path} cannot be published`;
    if (blocked !== undefined) {
      conflicts.push(blocked);
      continue;
    }
    const stat = statOf(path);
    const target = join(root, path);
    if (stat === undefined) {
      writes.push([path, content]);
    } else if (stat.isSymbolicLink()) {
      conflicts.push(`${path} is a symbolic link; synth replaces only files it generated`);
    } else if (stat.isDirectory()) {
      conflicts.push(`${path} is a folder, but synth writes a file there`);
    } else if (!stat.isFile()) {
      conflicts.push(`${path} exists and is not a regular file`);
    } else {
      try {
        const other = ownerOf.get(path);
        const found = compareGenerated(target, content, (head) => isGenerated(path, head));
        if (found === 'foreign') conflicts.push(`${path} exists and was not written by synth`);
        else if (other !== undefined && other !== owner) conflicts.push(`${path} was generated by ${other}, another entry point publishing into this folder (this one is ${owner}); a file has one owner: rename the app or cluster in one of them, or drop the file from ${other} and synth it first (an entry point that writes every file of another takes them all over, e.g. when renamed)`);
        else if (found === 'same') unchanged.push(path);
        else writes.push([path, content]);
      } catch (error) {
        conflicts.push(`${path} cannot be read (${errorCode(error) ?? (error as Error).message})`);
      }
    }
  }

  const removals: string[] = [];
  const leftovers: string[] = [];
  for (const path of present) {
    const recorded = ownerOf.get(path);
    if (tree.has(path) || (recorded !== undefined && recorded !== owner)) continue;
    let head: string;
    let size: number;
    try {
      size = lstatSync(join(root, path)).size;
      head = readHead(join(root, path));
    } catch (error) {
      // A file nobody recorded that cannot be read is not known to be generated: left alone.
      if (recorded === owner) conflicts.push(`${path} cannot be read (${errorCode(error) ?? (error as Error).message}), so synth cannot remove it`);
      continue;
    }
    const stale = isGenerated(path, head) ? removals : isLeftoverTemp(path, size, () => head) ? leftovers : undefined;
    if (stale === undefined) continue;
    // Its folder must let it go (listFiles follows no link, so the folder is a real one).
    const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
    const dirProblem = writeProblem(dir);
    if (dirProblem !== undefined) conflicts.push(`${dir || 'the folder'} cannot be written (${dirProblem}), so the stale ${path} cannot be removed`);
    else stale.push(path);
  }
  if (conflicts.length > 0) {
    throw new UserError(`refusing to overwrite files in ${root}:\n  ${conflicts.join('\n  ')}\nmove them out of the way, or change the cluster or app name so the paths differ`);
  }

  // This owner now owns exactly its tree; other owners keep the files of theirs that still exist.
  const next = new Map<string, Set<string>>();
  for (const [id, files] of owners) if (id !== owner && !takenOver.has(id)) next.set(id, new Set([...files].filter((f) => presentSet.has(f))));
  next.set(owner, new Set(tree.keys()));
  const text = formatOwners(next);
  const changed = text !== formatOwners(owners) || (text === undefined && statOf(OWNERS_FILE) !== undefined);
  return { writes, unchanged, removals, leftovers, owners: changed ? { text } : undefined };
}

/**
 * Stages the new files in a fresh folder inside `root` (mkdtemp: a new name,
 * created exclusively; files inside created with O_EXCL, so never through a
 * planted link; named by number, not `.yaml`, so no tool reading the tree takes
 * them for manifests), commits by renaming the journal into place, then
 * applies it. Before the commit nothing outside the staging folder changed;
 * after it the next synth finishes the publish if this one cannot.
 */
function commit(root: string, lock: HeldLock, plan: Plan, durable: boolean): void {
  const staging = mkdtempSync(join(root, STAGING_PREFIX));
  let journal: Journal;
  try {
    const steps: JournalStep[] = [];
    let count = 0;
    const stage = (path: string, content: string) => {
      const staged = String(count++);
      writeExclusive(join(staging, staged), content, durable);
      steps.push({ op: 'write', path, staged });
    };
    for (const [path, content] of plan.writes) stage(path, content);
    for (const path of plan.removals) steps.push({ op: 'delete', path });
    for (const path of plan.leftovers) steps.push({ op: 'delete', path, leftover: true });
    if (plan.owners !== undefined) {
      if (plan.owners.text === undefined) steps.push({ op: 'delete', path: OWNERS_FILE });
      else stage(OWNERS_FILE, plan.owners.text);
    }
    journal = { version: 1, staging: basename(staging), steps };
    writeExclusive(join(staging, STAGED_JOURNAL), `${JSON.stringify(journal)}\n`, durable);
    if (durable) fsyncDir(staging);
    lock.assertHeld();
    renameSync(join(staging, STAGED_JOURNAL), join(root, JOURNAL_FILE));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (durable) fsyncDir(root);
  try {
    applyJournal(root, journal, durable);
  } catch (error) {
    throw new UserError(`publishing to ${root} stopped half-way: ${(error as Error).message}\nthe next synth finishes it (${JOURNAL_FILE} there lists what is left) once the cause is fixed`, { cause: error });
  }
}

/** Under the lock: removes a crashed takeover's leftovers, then finishes or undoes an interrupted publish. */
function recoverLocked(root: string): Recovery {
  removeLockLeftovers(root);
  return recoverTree(root);
}

/**
 * Finishes (rolls forward) or undoes (rolls back) a publish of `root` that was
 * interrupted, e.g. by a killed synth; every publish does this first, under the
 * lock. Leaves no staging folder or temporary file.
 */
export function recover(root: string, options: Pick<PublishOptions, 'lockTimeoutMs'> = {}): Recovery {
  if (!lstatOrUndefined(root)?.isDirectory()) return 'clean';
  const lock = acquireLock(root, options.lockTimeoutMs);
  try {
    return recoverLocked(root);
  } finally {
    lock.release();
  }
}

/**
 * Publishes `tree` into `root`, all or nothing, without losing anything:
 * - files that synth did not generate (no marker line, e.g. flux bootstrap's
 *   `flux-system/`) are never overwritten, deleted or read past their first
 *   line; files another owner (entry point) generated are never overwritten
 *   or deleted; stale generated files of this owner are removed;
 * - one publish at a time per folder (a lock file; the second waits);
 * - every precondition is checked before anything changes, then the new
 *   state is staged and committed through a journal, so a publish killed at
 *   any moment leaves, once the next one (or `recover`) has started, either
 *   the old tree or the new one, and no temporary files.
 */
export function publishTree(root: string, tree: FluxTree, options: PublishOptions = {}): PublishResult {
  const owner = options.owner ?? defaultOwner();
  if (owner.trim() === '') throw new UserError('the owner of a publish must not be empty');
  const bad = badTreePaths(tree);
  if (bad.length > 0) throw new UserError(`refusing to publish into ${root}:\n  ${bad.join('\n  ')}`);
  mkdirSync(root, { recursive: true });
  const lock = acquireLock(root, options.lockTimeoutMs);
  try {
    recoverLocked(root);
    const plan = planPublish(root, tree, owner);
    if (plan.writes.length > 0 || plan.removals.length > 0 || plan.leftovers.length > 0 || plan.owners !== undefined) commit(root, lock, plan, options.durable ?? true);
    return {
      written: plan.writes.map(([path]) => path),
      unchanged: plan.unchanged,
      removed: [...plan.removals, ...plan.leftovers].sort(),
    };
  } finally {
    lock.release();
  }
}
