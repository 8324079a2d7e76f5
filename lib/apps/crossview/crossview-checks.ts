// Crossview's own checks, on top of the generic ones (which refuse its
// passwords in plain text in `values`: plaintext-values): the chart's wildcard
// ClusterRole off, postgres pinned and pulled once; and on what the chart
// renders, read-only root filesystems.
import { isHelmRelease, releaseChart, releaseValues } from '../../charts/release-checks';
import { at, JsonObject, listAt } from '../../json';
import { ManifestObject } from '../../policy/finding';
import { errorCheck, ManifestCheck } from '../../policy/manifest-check';
import { allContainers, podTemplateOf } from '../../policy/pod-spec';

/** Name of the Crossview chart (its Chart.yaml `name`). */
export const CROSSVIEW_CHART = 'crossview';

/** Whether a HelmRelease installs the Crossview chart. */
export function isCrossviewRelease(obj: ManifestObject): boolean {
  return isHelmRelease(obj) && releaseChart(obj).chart === CROSSVIEW_CHART;
}

/** Value problems of a Crossview release's final merged values. */
export function crossviewValuesProblems(values: JsonObject): string[] {
  const problems: string[] = [];
  if (at(values, 'rbac', 'create') !== false) {
    problems.push('values.rbac.create is not false: the chart\'s ClusterRole reads every resource of every API group ("*"/"*"), Secrets included; set rbac.create: false (CrossviewStack binds crossplane-view and a core read role instead)');
  }
  const tag = at(values, 'database', 'enabled') === false ? undefined : at(values, 'database', 'image', 'tag');
  if (tag !== undefined && (typeof tag !== 'string' || tag === '' || tag === 'latest')) {
    problems.push(`values.database.image.tag ${JSON.stringify(tag)} is not a pinned postgres version (the chart defaults to latest): pin one, e.g. POSTGRES_VERSION from lib/versions.ts`);
  }
  if (at(values, 'image', 'pullPolicy') === 'Always') {
    problems.push('values.image.pullPolicy is Always: every restart needs the registry, for an image whose tag is pinned; set IfNotPresent');
  }
  return problems;
}

/** Containers of a rendered Crossview Deployment without a read-only root filesystem. */
export function renderedCrossviewViolations(obj: ManifestObject): string[] | undefined {
  const template = obj.kind === 'Deployment' ? podTemplateOf(obj) : undefined;
  if (template === undefined) return undefined;
  return allContainers(template.spec).filter(({ container }) => at(container, 'securityContext', 'readOnlyRootFilesystem') !== true)
    .map(({ container }) => `container ${JSON.stringify(container.name)} has a writable root filesystem: set readOnlyRootFilesystem: true in its securityContext values and mount an emptyDir where it writes (volumes: ${listAt(template.spec, 'volumes').map((v) => String(v.name)).join(', ') || 'none'})`);
}

/** Crossview's checks, registered on the app's Policy by CrossviewStack and by `npm run validate`. */
export const CROSSVIEW_CHECKS: readonly ManifestCheck[] = [
  errorCheck('crossview-values', (obj, context) => (isCrossviewRelease(obj)
    ? crossviewValuesProblems(releaseValues(obj, context).values)
    : undefined)),
  errorCheck('crossview-render', (obj, { renderedFrom }) => (renderedFrom && isCrossviewRelease(renderedFrom) ? renderedCrossviewViolations(obj) : undefined)),
];
