// Every object the clusters of a tree get, renders included: what external
// linters (kube-score) are pointed at.
import { renderRelease } from '../charts/render-chart';
import { isHelmRelease } from '../charts/release-checks';
import { ManifestObject } from '../policy/finding';
import { CheckOptions } from '../policy/manifest-check';
import { BuildSource, buildClusters } from './cluster-build';

/** The objects each cluster gets, with what each HelmRelease renders; and what could not be rendered or built. */
export function clusterManifests(source: BuildSource, options: CheckOptions): { objects: ManifestObject[]; problems: string[] } {
  const objects: ManifestObject[] = [];
  const problems: string[] = [];
  for (const build of buildClusters(source)) {
    const built = build.objects.map((o) => o.obj);
    const find = (kind: string, namespace: string, name: string) => built.find((o) => o.kind === kind && o.metadata.name === name && String(o.metadata.namespace ?? '') === namespace);
    objects.push(...built);
    problems.push(...build.problems.filter((p) => p.severity !== 'warning').map((p) => `cluster ${build.cluster}: ${p.where}: ${p.message}`));
    for (const release of built.filter(isHelmRelease)) {
      const rendered = renderRelease(release, { options, find });
      if (rendered.objects) objects.push(...rendered.objects);
      else problems.push(`cluster ${build.cluster}: ${rendered.why}`);
    }
  }
  return { objects, problems };
}
