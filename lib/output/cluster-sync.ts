// What each cluster applies from a published tree: its `clusters/<cluster>/`
// files, and the folders their Flux Kustomizations point at, followed through
// kustomization.yaml the way kustomize does (files and folders, no patches).
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isManifestObject, ManifestObject } from '../policy/finding';
import { at, isJsonObject, JsonValue } from '../json';
import { FluxTree } from './render-tree';

/** A Flux Kustomization found in `clusters/<cluster>/`. */
export interface ClusterKustomization {
  readonly cluster: string;
  readonly obj: ManifestObject;
  /** `spec.path` without the leading `./`, from the repository root. */
  readonly path: string;
  /** The same folder inside the tree, when it is in it. */
  readonly folder?: string;
}

/** The Kubernetes objects of one file of the tree. */
export function treeObjects(tree: FluxTree, path: string): ManifestObject[] {
  const text = tree.get(path);
  if (text === undefined || !/\.ya?ml$/.test(path)) return [];
  return parseAllDocuments(text).map((d) => d.toJS() as JsonValue).filter(isManifestObject);
}

/** Cluster name of a file directly in `clusters/<cluster>/`. */
function clusterOf(path: string): string | undefined {
  return /^clusters\/([^/]+)\/[^/]+\.ya?ml$/.exec(path)?.[1];
}

/** Every Flux Kustomization of every cluster folder; `distPath` maps repository paths into the tree. */
export function clusterKustomizations(tree: FluxTree, distPath = 'dist'): ClusterKustomization[] {
  const prefix = `${posix.normalize(distPath).replace(/\/$/, '')}/`;
  return [...tree.keys()].flatMap((file) => {
    const cluster = clusterOf(file);
    if (cluster === undefined) return [];
    return treeObjects(tree, file)
      .filter((obj) => obj.kind === 'Kustomization' && obj.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'))
      .map((obj) => {
        const path = posix.normalize(String(at(obj, 'spec', 'path') ?? '.')).replace(/\/$/, '');
        return { cluster, obj, path, folder: path.startsWith(prefix) ? path.slice(prefix.length) : undefined };
      });
  });
}

/**
 * Files a folder of the tree applies: what its kustomization.yaml lists,
 * following listed folders; without one, every YAML file under it (as Flux does).
 */
export function folderFiles(tree: FluxTree, folder: string, seen = new Set<string>()): string[] {
  if (seen.has(folder)) return [];
  seen.add(folder);
  const kustomization = tree.get(posix.join(folder, 'kustomization.yaml'));
  if (kustomization === undefined) {
    return [...tree.keys()].filter((p) => p.startsWith(`${folder}/`) && /\.ya?ml$/.test(p));
  }
  const config = parseAllDocuments(kustomization).map((d) => d.toJS() as JsonValue).find(isJsonObject);
  const resources = Array.isArray(config?.resources) ? config.resources.map(String) : [];
  return resources.flatMap((entry) => {
    const path = posix.normalize(posix.join(folder, entry));
    return tree.has(path) ? [path] : folderFiles(tree, path, seen);
  });
}

/** Cluster → the tree files it applies (its own folder's files included). */
export function clusterFiles(tree: FluxTree, distPath = 'dist'): Map<string, Set<string>> {
  const clusters = new Map<string, Set<string>>();
  const filesOf = (cluster: string) => clusters.get(cluster) ?? clusters.set(cluster, new Set()).get(cluster)!;
  for (const file of tree.keys()) {
    const cluster = clusterOf(file);
    if (cluster !== undefined) filesOf(cluster).add(file);
  }
  for (const k of clusterKustomizations(tree, distPath)) {
    if (k.folder !== undefined) for (const file of folderFiles(tree, k.folder)) filesOf(k.cluster).add(file);
  }
  return clusters;
}
