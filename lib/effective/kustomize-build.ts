// `kubectl kustomize`, the way Flux's kustomize-controller builds a folder: the
// real kustomize (kubectl's), and, as Flux, files may come from anywhere in the
// source (a cluster's kustomization.yaml that lists `../../gitops/app/dist/…`),
// not only from the kustomization's own folder. The source is the sandbox
// copy, so nothing outside it can be read.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { JsonValue } from '../json';
import { isManifestObject, ManifestObject } from '../policy/finding';
import { findTool, runTool, toolHint } from '../tools/binaries';

export const KUSTOMIZATION_FILES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A value that may name a file outside the kustomization's folder: one that climbs (`..`) or starts at `/` (also as `key=/path`). */
const OUTSIDE = /\.\.|(^|=)\//;

/**
 * Whether a kustomization file may make kustomize read outside its folder
 * (resources, patches, generator files, components): any string value that
 * climbs or is absolute. When in doubt (such text that is not YAML), true.
 */
export function reachesOutside(text: string): boolean {
  // Most kustomizations name only their own files: skip the parse when nothing climbs and no value or line starts with /.
  if (!text.includes('..') && !/(^|[:=[,-])\s*["']?\//m.test(text)) return false;
  const docs = parseAllDocuments(text);
  if (docs.some((d) => d.errors.length > 0)) return true;
  const outside = (value: unknown): boolean => (typeof value === 'string' ? OUTSIDE.test(value)
    : Array.isArray(value) ? value.some(outside)
      : typeof value === 'object' && value !== null ? Object.values(value).some(outside) : false);
  try {
    return docs.some((d) => outside(d.toJS({ maxAliasCount: 100 })));
  } catch {
    return true; // an alias bomb: kustomize fails on it as well
  }
}

/** Whether `dir` has a kustomization file. */
export function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILES.some((name) => existsSync(join(dir, name)));
}

/** Kubernetes objects of YAML text; throws on a YAML error (with the message). */
export function parseObjects(text: string, where: string): ManifestObject[] {
  // Merge keys (<<) resolve as kustomize resolves them; alias bombs fail as they do in Flux.
  const docs = parseAllDocuments(text, { merge: true });
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length > 0) throw new Error(`${where} is not valid YAML: ${errors[0]}`);
  return docs.map((d) => d.toJS({ maxAliasCount: 100 }) as JsonValue).filter(isManifestObject);
}

/**
 * Writes the kustomization.yaml Flux generates for a folder that has none:
 * every YAML or JSON file under it, and each subfolder that has its own
 * kustomization as a whole (its files are not listed again).
 */
export function generateKustomization(dir: string): void {
  const resources: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (hasKustomization(path)) resources.push(relative(dir, path));
        else walk(path);
      } else if (/\.(ya?ml|json)$/.test(entry.name)) {
        resources.push(relative(dir, path));
      }
    }
  };
  walk(dir);
  writeFileSync(join(dir, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
}

/** The objects `kubectl kustomize dir` builds; throws with kustomize's message when it fails. */
export function kustomizeBuild(dir: string): ManifestObject[] {
  const kubectl = findTool('kubectl');
  if (kubectl === undefined) throw new Error(`no kubectl binary found: ${toolHint('kubectl')}`);
  return parseObjects(runTool(kubectl, ['kustomize', '--load-restrictor=LoadRestrictionsNone', dir]), `kustomize build of ${dir}`);
}

/** Objects of `*List` kinds (`v1 List`, `ClusterRoleBindingList`, …) replaced by their items, as the API server applies them. */
export function expandLists(objects: readonly ManifestObject[]): ManifestObject[] {
  return objects.flatMap((obj) => (obj.kind.endsWith('List') && Array.isArray(obj.items) ? expandLists(obj.items.filter(isManifestObject)) : [obj]));
}
