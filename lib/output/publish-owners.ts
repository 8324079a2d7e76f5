// Which entry point generated which file of a shared published folder. Two
// entry points (two scripts, each with a FluxApp) may publish into one dist/:
// each removes only the stale files it generated itself and never replaces a
// file another one generated. The record is a file in the published folder,
// committed with it, since the owners publish at different times (and on
// different machines).
import { join, relative, resolve, sep } from 'node:path';
import { errorCode, lstatOrUndefined, readHead } from './publish-fs';
import { PROJECT } from '../project';

/** The owners record, at the top of the published folder. */
export const OWNERS_FILE = '.flux-helm-apps-owners.json';

/** An owners record larger than this is not one synth wrote. */
const MAX_OWNERS_BYTES = 16 * 1024 * 1024;

/** Owner id → the files (relative, `/`-separated) it generated. */
export type Owners = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The owner of what this process publishes: the entry script's path from the
 * current working directory (the repository root for `npm run synth` and
 * `npx cdk8s synth`, both of which run `main.ts`), so each entry point owns its
 * files without any setting, and the id is the same on every machine.
 */
export function defaultOwner(): string {
  const entry = process.argv[1];
  if (!entry) return 'default';
  return relative(process.cwd(), resolve(entry)).split(sep).join('/') || 'default';
}

/** Reads the owners record of `root`; an absent record is an empty one (a tree published before owners were recorded). */
export function readOwners(root: string): Map<string, Set<string>> {
  const path = join(root, OWNERS_FILE);
  const stat = lstatOrUndefined(path);
  const owners = new Map<string, Set<string>>();
  if (stat === undefined) return owners;
  const damaged = (why: string) => new Error(`${path} ${why}; it records which entry point generated which file. Restore it from Git (git checkout -- ${OWNERS_FILE} in the published folder), or delete it so every generated file counts as unowned, then run synth again`);
  if (!stat.isFile()) throw damaged('is not a regular file (a link or folder)');
  if (stat.size > MAX_OWNERS_BYTES) throw damaged('is too large to be an owners record');
  let data: unknown;
  try {
    data = JSON.parse(readHead(path, stat.size + 1));
  } catch (error) {
    if (errorCode(error) !== undefined) throw error;
    throw damaged('is not valid JSON');
  }
  const record = (data as { owners?: unknown } | null)?.owners;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw damaged('has no "owners" object');
  for (const [owner, files] of Object.entries(record)) {
    if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) throw damaged(`lists something other than file paths for ${owner}`);
    owners.set(owner, new Set(files as string[]));
  }
  return owners;
}

/** The record's text: owners and files sorted, so the file only changes when ownership does (it is committed). Undefined when nobody owns anything. */
export function formatOwners(owners: Owners): string | undefined {
  const ids = [...owners.keys()].filter((id) => (owners.get(id)?.size ?? 0) > 0).sort();
  if (ids.length === 0) return undefined;
  // fromEntries defines each id as an own key, whatever its name (`__proto__` included).
  const record = Object.fromEntries(ids.map((id) => [id, [...owners.get(id)!].sort()]));
  return `${JSON.stringify({ comment: `Written by ${PROJECT} synth: the files each entry point generated in this folder. Commit it with them; do not edit.`, owners: record }, null, 2)}\n`;
}

/** The owner recorded for each file. */
export function ownerByFile(owners: Owners): Map<string, string> {
  const byFile = new Map<string, string>();
  for (const [owner, files] of owners) for (const file of files) if (!byFile.has(file)) byFile.set(file, owner);
  return byFile;
}
