// The publisher's journal: what makes a publish all-or-nothing even when the
// process is killed at any moment.
//
// A publish first stages every new file in a fresh folder inside the published
// folder (same file system, so a rename moves it into place atomically), then
// writes the journal (every rename and delete to do) into that folder, flushes
// it, and renames it to JOURNAL_FILE: that rename is the commit point. Then the
// journal is applied and removed, then the staging folder.
//
// Whoever takes the lock next (every publish starts so) recovers:
// - a journal exists: the publish was committed, so it is rolled forward (each
//   step is idempotent: a staged file already moved is skipped, a file already
//   deleted is skipped), giving the new tree;
// - only a staging folder exists: the publish never committed and nothing
//   outside the staging folder changed, so the folder is deleted (rolled
//   back), giving the old tree.
// Either way no staging folder or temporary file is left.
import { lstatSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { isGenerated } from './generated-marker';
import { ensureDir, fsyncDir, lstatOrUndefined, readHead, removeEmptyParents } from './publish-fs';
import { OWNERS_FILE } from './publish-owners';

/** The committed journal, at the top of the published folder. */
export const JOURNAL_FILE = '.flux-helm-apps-journal.json';

/** Staging folders are `<STAGING_PREFIX><random>` at the top of the published folder. */
export const STAGING_PREFIX = '.flux-helm-apps-staging-';

/** The journal's name inside its staging folder, before the commit. */
export const STAGED_JOURNAL = 'journal.json';

/** Every name the publisher keeps for itself at the top of the published folder starts so; a tree path may not. */
export const RESERVED_PREFIX = '.flux-helm-apps';

/** One step: move a staged file (by its name in the staging folder) to a path of the tree, or delete a path. */
export type JournalStep =
  | { readonly op: 'write'; readonly path: string; readonly staged: string }
  | { readonly op: 'delete'; readonly path: string; readonly leftover?: boolean };

export interface Journal {
  readonly version: 1;
  /** The staging folder's name. */
  readonly staging: string;
  readonly steps: readonly JournalStep[];
}

/** Whether `path` is a relative, `/`-separated path that stays inside the folder: no `..`, `.` or empty part, not absolute. */
export function isInsidePath(path: string): boolean {
  return typeof path === 'string' && path !== '' && !path.includes('\\') && !path.includes('\0') && !posix.isAbsolute(path)
    && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * Whether `path` is an old publisher's staging file `<file>.<pid>.tmp` that it
 * left behind when it failed or was killed: empty (killed before writing) or
 * starting with the marker of the file it was for (YAML or Markdown).
 */
export function isLeftoverTemp(path: string, size: number, head: () => string): boolean {
  const match = /^(.+)\.\d+\.tmp$/.exec(path);
  return match !== null && (size === 0 || isGenerated(match[1], head()));
}

function parseJournal(path: string, text: string): Journal {
  const damaged = (why: string) => new Error(`the publish journal ${path} ${why}. It lists the renames of an interrupted publish; if it was edited by hand, restore the published folder from Git, delete ${path} and the ${STAGING_PREFIX}* folders next to it, then run synth again`);
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
  } catch {
    throw damaged('is not valid JSON');
  }
  if (journal?.version !== 1 || typeof journal.staging !== 'string' || !journal.staging.startsWith(STAGING_PREFIX) || journal.staging.includes('/') || !Array.isArray(journal.steps)) {
    throw damaged('is not a journal this version wrote');
  }
  for (const step of journal.steps) {
    const valid = (step?.op === 'write' && /^\d+$/.test(step.staged)) || step?.op === 'delete';
    if (!valid || !isInsidePath(step.path)) throw damaged(`has a step that leaves the folder or is unknown: ${JSON.stringify(step)}`);
  }
  return journal;
}

/**
 * Applies a committed journal in order; every step can be repeated, so a
 * journal interrupted half-way is finished by applying it again. Folders are
 * created one level at a time and never through a link. A delete removes only
 * what the journal meant: a generated file (or the owners record, or an old
 * publisher's leftover temporary file), never a file put there by hand since.
 */
export function applyJournal(root: string, journal: Journal, durable = true): void {
  const staging = join(root, journal.staging);
  // The staging folder goes only after the journal: without it the staged files are lost, never to be assumed moved.
  if (!lstatOrUndefined(staging)?.isDirectory()) throw new Error(`its staging folder ${staging} is missing; restore the published folder from Git and delete ${join(root, JOURNAL_FILE)}`);
  const touched = new Set<string>([root]);
  for (const step of journal.steps) {
    const target = join(root, step.path);
    if (step.op === 'write') {
      const from = join(staging, step.staged);
      if (lstatOrUndefined(from) === undefined) continue;
      ensureDir(root, posix.dirname(step.path));
      renameSync(from, target);
      touched.add(dirname(target));
    } else {
      const stat = lstatOrUndefined(target);
      if (stat?.isFile()) {
        const head = () => readHead(target);
        const ours = step.path === OWNERS_FILE || (step.leftover ? isLeftoverTemp(step.path, stat.size, head) : isGenerated(step.path, head()));
        if (ours) unlinkSync(target);
      }
      removeEmptyParents(root, posix.dirname(step.path));
      touched.add(dirname(target));
    }
  }
  // The renames reach the disk before the journal that would redo them is gone.
  if (durable) for (const dir of touched) fsyncDir(dir);
  unlinkSync(join(root, JOURNAL_FILE));
  if (durable) fsyncDir(root);
  try {
    rmSync(staging, { recursive: true, force: true });
  } catch {
    // The publish is complete; the next one removes the emptied staging folder.
  }
}

/** What recovery found: a committed publish finished, an uncommitted one discarded, or nothing to do. */
export type Recovery = 'rolled-forward' | 'rolled-back' | 'clean';

/**
 * Finishes (journal) or undoes (staging folder only) an interrupted publish of
 * `root`, and removes every staging folder. The caller holds the lock.
 */
export function recoverTree(root: string): Recovery {
  const journalPath = join(root, JOURNAL_FILE);
  const stat = lstatOrUndefined(journalPath);
  let recovery: Recovery = 'clean';
  if (stat !== undefined) {
    if (!stat.isFile()) throw new Error(`the publish journal ${journalPath} is not a regular file (a link or folder); remove it, then run synth again`);
    const journal = parseJournal(journalPath, readHead(journalPath, stat.size + 1));
    try {
      applyJournal(root, journal);
    } catch (error) {
      throw new Error(`finishing the interrupted publish of ${root} failed: ${(error as Error).message}\nfix the cause and run synth again: ${journalPath} lists what is left to do`, { cause: error });
    }
    recovery = 'rolled-forward';
  }
  for (const name of readdirSync(root)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const path = join(root, name);
    // A link planted under a staging name is removed itself, never followed.
    if (lstatSync(path).isDirectory()) rmSync(path, { recursive: true, force: true });
    else unlinkSync(path);
    if (recovery === 'clean') recovery = 'rolled-back';
  }
  return recovery;
}
