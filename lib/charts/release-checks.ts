// Checks of any Flux HelmRelease as an object, so they run on synthesized and
// on hand-edited dist/ alike: the chart version is an exact pin, and the values
// are checked against that exact chart's archive. Opt-ins travel with the
// object as annotations, so `npm run validate` sees the same reasons as synth.
import { JsonObject, objectAt } from '../json';
import type { ManifestObject } from '../policy/finding';
import type { CheckContext, CheckProblem, ManifestCheck } from '../policy/manifest-check';
import { ANNOTATION_PREFIX } from '../project';
import { ChartRef, lookupChart } from './chart-source';
import { imageTagProblem, valuesProblems } from './values-check';
import { isExactVersion } from './version';

/** Annotation that records why a HelmRelease may use a version range. */
export const ALLOW_VERSION_RANGE_ANNOTATION = `${ANNOTATION_PREFIX}allow-version-range`;

/** Annotation that records why a HelmRelease may set `image.tag`. */
export const ALLOW_IMAGE_TAG_ANNOTATION = `${ANNOTATION_PREFIX}allow-image-tag`;

/** The reason in an opt-in annotation, if the object carries one. */
export function annotationReason(obj: ManifestObject, key: string): string | undefined {
  const value = objectAt(obj, 'metadata', 'annotations')[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Whether the object is a Flux HelmRelease. */
export function isHelmRelease(obj: ManifestObject): boolean {
  return obj.kind === 'HelmRelease' && obj.apiVersion.startsWith('helm.toolkit.fluxcd.io/');
}

/** The chart, version, source and values a HelmRelease names. */
export interface ReleaseChart {
  readonly chart: string;
  readonly version: string;
  readonly values: JsonObject;
  readonly sourceRef: { readonly kind: string; readonly name: string; readonly namespace: string };
}

export function releaseChart(obj: ManifestObject): ReleaseChart {
  const spec = objectAt(obj, 'spec', 'chart', 'spec');
  const source = objectAt(spec, 'sourceRef');
  return {
    chart: String(spec.chart ?? ''),
    version: String(spec.version ?? ''),
    values: objectAt(obj, 'spec', 'values'),
    sourceRef: { kind: String(source.kind ?? ''), name: String(source.name ?? ''), namespace: String(source.namespace ?? obj.metadata.namespace ?? '') },
  };
}

/** The chart a HelmRelease installs, with its repository when the source is among the checked objects. */
export function releaseChartRef(obj: ManifestObject, context: CheckContext): ChartRef {
  const { chart, version, sourceRef } = releaseChart(obj);
  return { name: chart, version, repository: context.sourceUrl(sourceRef.kind, sourceRef.namespace, sourceRef.name) };
}

/** A HelmRelease pins one chart version, unless a reason allows a range. */
export const chartVersionCheck: ManifestCheck = {
  name: 'chart-version',
  run: (obj) => {
    if (!isHelmRelease(obj)) return undefined;
    const { chart, version } = releaseChart(obj);
    if (isExactVersion(version)) return [];
    const reason = annotationReason(obj, ALLOW_VERSION_RANGE_ANNOTATION);
    return [reason
      ? { severity: 'warning', message: `chart ${chart} version ${JSON.stringify(version)} is not an exact pin, so upgrades bypass review; allowed: ${reason}` }
      : { severity: 'error', message: `spec.chart.spec.version ${JSON.stringify(version)} of chart ${chart} is not an exact version: pin one release such as "1.2.3" (no range, "*", "v" prefix or empty), or set allow.versionRange to the reason` }];
  },
};

/** A HelmRelease's values are keys and types its exact chart knows, with no `image.tag` split from the chart. */
export const chartValuesCheck: ManifestCheck = {
  name: 'chart-values',
  run: (obj, context) => {
    if (!isHelmRelease(obj)) return undefined;
    const { chart, version, values } = releaseChart(obj);
    if (!isExactVersion(version)) {
      return [{ severity: 'unchecked', message: `values were NOT checked against chart ${chart}: version ${JSON.stringify(version)} names no single chart; pin an exact version` }];
    }
    const lookup = lookupChart(releaseChartRef(obj, context), context.options);
    const problems: CheckProblem[] = [];
    if (lookup.facts) {
      problems.push(...valuesProblems(values, lookup.facts).map((message) => ({ severity: 'error' as const, message })));
    } else {
      problems.push({
        severity: 'unchecked',
        message: `values were NOT checked against chart ${chart} ${version} (unknown keys, types): ${lookup.why}. To check them, put ${chart}-${version}.tgz in charts/, or run with helm and network so it is pulled`,
      });
    }
    const tag = imageTagProblem(values, chart, version, lookup.facts?.appVersion, annotationReason(obj, ALLOW_IMAGE_TAG_ANNOTATION));
    if (tag) problems.push(tag);
    return problems;
  },
};
