import { describeObject, ManifestObject } from './finding';

/** An object with the file it comes from. */
export interface PlacedObject {
  readonly path: string;
  readonly obj: ManifestObject;
}

/** Objects defined twice (same group, kind, namespace and name) would fight over one object in the cluster. */
export function duplicateObjectProblems(objects: readonly PlacedObject[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const { path, obj } of objects) {
    const key = `${obj.apiVersion.split('/')[0]} ${describeObject(obj)}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, path);
    else problems.push(`${describeObject(obj)} is defined twice, in ${first} and in ${path}: give one of them another name or namespace`);
  }
  return problems;
}

/**
 * Duplicates within each cluster: objects count together only when one cluster
 * applies both files. Files no cluster applies are checked together.
 */
export function duplicatesPerCluster(objects: readonly PlacedObject[], clusterFiles: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const synced = new Set([...clusterFiles.values()].flatMap((files) => [...files]));
  const groups = [
    ...[...clusterFiles.values()].map((files) => objects.filter((o) => files.has(o.path))),
    objects.filter((o) => !synced.has(o.path)),
  ];
  return [...new Set(groups.flatMap((group) => duplicateObjectProblems(group)))];
}
