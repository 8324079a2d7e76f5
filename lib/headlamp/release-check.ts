// Checks of a HelmRelease as an object, so they run on synthesized and on
// hand-edited dist/ alike: the chart version is an exact pin, and for the
// Headlamp chart the values pass checkHeadlampValues. Opt-ins travel with the
// object as annotations, so `npm run validate` sees the same reasons as synth.
import { ALLOW_VERSION_RANGE_ANNOTATION, isExactVersion } from '../flux/helm-release';
import { ManifestObject } from '../validation/finding';
import { JsonObject, objectAt } from '../values';
import { ChartSourceOptions } from './chart-source';
import { ValuesProblem, checkHeadlampValues } from './values-check';

/** Annotation carrying the reason a Headlamp HelmRelease may set `image.tag`. */
export const ALLOW_IMAGE_TAG_ANNOTATION = 'headlamp-homelab/allow-image-tag';

function annotation(obj: ManifestObject, key: string): string | undefined {
  const value = objectAt(obj, 'metadata', 'annotations')[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isHelmRelease(obj: ManifestObject): boolean {
  return obj.kind === 'HelmRelease' && obj.apiVersion.startsWith('helm.toolkit.fluxcd.io/');
}

/** The chart name, version and values of a HelmRelease. */
export function releaseChart(obj: ManifestObject): { chart: string; version: string; values: JsonObject } {
  const spec = objectAt(obj, 'spec', 'chart', 'spec');
  return { chart: String(spec.chart ?? ''), version: String(spec.version ?? ''), values: objectAt(obj, 'spec', 'values') };
}

/** Whether a HelmRelease installs the Headlamp chart. */
export function isHeadlampRelease(obj: ManifestObject): boolean {
  return isHelmRelease(obj) && releaseChart(obj).chart === 'headlamp';
}

/** Pin problems of any HelmRelease, or undefined for other kinds. */
export function versionPinProblems(obj: ManifestObject): ValuesProblem[] | undefined {
  if (!isHelmRelease(obj)) return undefined;
  const { chart, version } = releaseChart(obj);
  if (isExactVersion(version)) return [];
  const reason = annotation(obj, ALLOW_VERSION_RANGE_ANNOTATION);
  return [reason
    ? { severity: 'warning', message: `chart ${chart} version ${JSON.stringify(version)} is not an exact pin, so upgrades bypass review; allowed: ${reason}` }
    : { severity: 'error', message: `spec.chart.spec.version ${JSON.stringify(version)} of chart ${chart} is not an exact version: pin one release such as "0.45.0" (no range, "*", "v" prefix or empty), or set allowVersionRange to the reason` }];
}

/** Value problems of a Headlamp HelmRelease, or undefined for other objects. */
export function headlampValuesProblems(obj: ManifestObject, options: ChartSourceOptions = {}): ValuesProblem[] | undefined {
  if (!isHeadlampRelease(obj)) return undefined;
  const { version, values } = releaseChart(obj);
  if (!isExactVersion(version)) {
    return [{ severity: 'unchecked', message: `values were NOT checked against the chart: version ${JSON.stringify(version)} names no single chart; pin an exact version` }];
  }
  return checkHeadlampValues(values, version, { ...options, allowImageTag: annotation(obj, ALLOW_IMAGE_TAG_ANNOTATION) });
}

