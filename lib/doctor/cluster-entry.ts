// Which files a cluster applies, read from the repository on disk the way Flux
// does: from each `flux bootstrap` folder (the one holding flux-system/), through
// kustomization.yaml resources (files and folders), or, in a folder without
// one, every YAML file under it; and through the Flux Kustomizations found on
// the way. The doctor uses it to tell whether a generated cluster file is
// reached at all, e.g. after adopting the project in a subfolder.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { at, isJsonObject, JsonValue } from '../json';

/** One `flux bootstrap` found in the repository. */
export interface Bootstrap {
  /** The cluster folder from the Git root, e.g. `clusters/homelab`: what the flux-system Kustomization applies. */
  readonly path: string;
  /** Branch its GitRepository watches, when set. */
  readonly branch?: string;
}

const SKIPPED = new Set(['node_modules', '.git', 'cdk8s.out']);

function documents(file: string): JsonValue[] {
  try {
    return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as JsonValue);
  } catch {
    return [];
  }
}

const toPosix = (path: string) => path.split(sep).join('/');

/** Every `flux-system/gotk-sync.yaml` under `root` (a few levels deep), as the bootstrap it records. */
export function findBootstraps(root: string, depth = 6): Bootstrap[] {
  const found: Bootstrap[] = [];
  const walk = (dir: string, left: number) => {
    const sync = join(dir, 'flux-system', 'gotk-sync.yaml');
    if (existsSync(sync)) {
      const docs = documents(sync).filter(isJsonObject);
      const kustomization = docs.find((d) => d.kind === 'Kustomization');
      const path = String(at(kustomization ?? {}, 'spec', 'path') ?? toPosix(relative(root, dir))).replace(/^\.\//, '').replace(/\/$/, '');
      const branch = docs.filter((d) => d.kind === 'GitRepository').map((d) => at(d, 'spec', 'ref', 'branch')).find((b) => typeof b === 'string');
      found.push({ path: path === '' ? '.' : path, branch: branch as string | undefined });
    }
    if (left === 0) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !SKIPPED.has(entry.name) && entry.name !== 'flux-system') walk(join(dir, entry.name), left - 1);
    }
  };
  walk(root, depth);
  return found;
}

function yamlUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return SKIPPED.has(e.name) ? [] : yamlUnder(path);
    return /\.ya?ml$/.test(e.name) ? [path] : [];
  });
}

/** Files (from the Git root) that a Flux Kustomization of `path` applies, following nested Flux Kustomizations. */
export function appliedFiles(root: string, path: string): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visitFolder = (dir: string) => {
    if (seen.has(dir) || !existsSync(dir) || !statSync(dir).isDirectory()) return;
    seen.add(dir);
    const config = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((n) => join(dir, n)).find(existsSync);
    if (config === undefined) {
      yamlUnder(dir).forEach(visitFile);
      return;
    }
    const resources = documents(config).filter(isJsonObject).flatMap((d) => (Array.isArray(d.resources) ? d.resources.map(String) : []));
    for (const entry of resources) {
      const target = join(dir, entry);
      if (!existsSync(target)) continue;
      if (statSync(target).isDirectory()) visitFolder(target);
      else visitFile(target);
    }
  };
  const visitFile = (file: string) => {
    const rel = toPosix(relative(root, file));
    if (files.has(rel)) return;
    files.add(rel);
    for (const doc of documents(file).filter(isJsonObject)) {
      const next = at(doc, 'spec', 'path');
      if (doc.kind === 'Kustomization' && String(doc.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/') && typeof next === 'string') visitFolder(join(root, next));
    }
  };
  visitFolder(join(root, path));
  return files;
}

/** The line to add under `resources:` in `<bootstrap>/kustomization.yaml` so it applies `file` (both from the Git root). */
export function resourceLine(bootstrap: Bootstrap, file: string): string {
  return `- ${posix.relative(bootstrap.path, file)}`;
}

/** The cluster a bootstrap folder is named for (`clusters/homelab` → homelab). */
export function bootstrapCluster(bootstrap: Bootstrap): string {
  return basename(bootstrap.path) || basename(dirname(bootstrap.path));
}
