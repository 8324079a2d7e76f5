// Checks of any Flux HelmRelease as an object, so they run on synthesized and
// on hand-edited dist/ alike: the chart version is an exact pin, and the values
// are checked against that exact chart's archive. Opt-ins travel with the
// object as annotations, so `npm run validate` sees the same reasons as synth.
import { parse } from 'yaml';
import { isJsonObject, JsonObject, JsonValue, mergeValues, objectAt } from '../json';
import type { ManifestObject } from '../policy/finding';
import type { CheckContext, CheckProblem, ManifestCheck } from '../policy/manifest-check';
import { ANNOTATION_PREFIX } from '../project';
import { encryptedShape } from '../secrets/sops-files';
import { ChartRef, lookupChart } from './chart-source';
import { exposureProblems, imageTagProblem, valuesProblems } from './values-check';
import { isExactVersion } from './version';

/** The annotation that records the reason of the opt-in `allow.<key>`: `imageTag` → `flux-helm-apps/allow-image-tag`. */
export function allowAnnotation(key: string): string {
  return `${ANNOTATION_PREFIX}allow-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Annotation that records why a HelmRelease may use a version range. */
export const ALLOW_VERSION_RANGE_ANNOTATION = allowAnnotation('versionRange');

/** Annotation that records why a HelmRelease may set `image.tag`. */
export const ALLOW_IMAGE_TAG_ANNOTATION = allowAnnotation('imageTag');

/** Annotation that records why a release may publish its app around the tunnel; also the `exposure` check's exemption. */
export const ALLOW_EXPOSURE_ANNOTATION = allowAnnotation('exposure');

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
  const url = objectAt(context.find(sourceRef.kind, sourceRef.namespace, sourceRef.name), 'spec').url;
  return { name: chart, version, repository: typeof url === 'string' ? url : undefined };
}

/** Sets `value` at a dotted path (`a.b.c`) in a copy of `values`, as Flux's `targetPath` does. */
function setPath(values: JsonObject, path: string, value: JsonValue): JsonObject {
  const [head, ...rest] = path.split('.');
  const below = isJsonObject(values[head]) ? (values[head] as JsonObject) : {};
  return { ...values, [head]: rest.length === 0 ? value : setPath(below, rest.join('.'), value) };
}

/**
 * The values Helm gets, as helm-controller composes them: each `valuesFrom`
 * ConfigMap or Secret in order (found among the objects checked together),
 * then `spec.values` over them; with each source that could not be read.
 * Values SOPS encrypted (a Secret generated from an encrypted values file)
 * are placeholders of their type: the keys and types are still checked.
 */
export function releaseValues(obj: ManifestObject, context: CheckContext): { values: JsonObject; unresolved: string[] } {
  const namespace = String(obj.metadata.namespace ?? 'default');
  let values: JsonObject = {};
  const unresolved: string[] = [];
  const unresolve = (why: string) => {
    if (!unresolved.includes(why)) unresolved.push(why);
  };
  const refs = Array.isArray(objectAt(obj, 'spec').valuesFrom) ? (objectAt(obj, 'spec').valuesFrom as JsonValue[]).filter(isJsonObject) : [];
  for (const ref of refs) {
    const what = `valuesFrom ${String(ref.kind)} ${namespace}/${String(ref.name)}`;
    const source = context.find(String(ref.kind), namespace, String(ref.name));
    if (source === undefined) {
      if (ref.optional !== true) unresolve(`${what} is not among the objects this cluster applies`);
      continue;
    }
    if (source.kind === 'Secret' && isJsonObject(source.sops)) {
      unresolve(`${what} is SOPS-encrypted`);
      continue;
    }
    const key = typeof ref.valuesKey === 'string' ? ref.valuesKey : 'values.yaml';
    const encoded = objectAt(source, 'data')[key];
    const raw = objectAt(source, 'stringData')[key] ?? (source.kind === 'Secret' && typeof encoded === 'string' ? Buffer.from(encoded, 'base64').toString('utf8') : encoded);
    if (typeof raw !== 'string') {
      if (ref.optional !== true) unresolve(`${what} has no key ${key}`);
      continue;
    }
    // A Secret generated from SOPS-encrypted files: its keys and value types are checked, with placeholders for the values.
    const shape = (value: JsonValue) => (source.kind === 'Secret' ? encryptedShape(value) : value);
    if (typeof ref.targetPath === 'string') {
      values = setPath(values, ref.targetPath, shape(raw));
      continue;
    }
    const parsed = shape(parse(raw) as JsonValue);
    if (isJsonObject(parsed)) values = mergeValues(values, parsed);
    else unresolve(`${what} key ${key} is not a map of values`);
  }
  return { values: mergeValues(values, releaseChart(obj).values), unresolved };
}

/** What a render of the release depends on besides the object itself. */
export function releaseInputs(obj: ManifestObject, context: CheckContext): JsonValue {
  return { repository: releaseChartRef(obj, context).repository ?? null, values: releaseValues(obj, context).values };
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
    const { chart, version } = releaseChart(obj);
    const { values, unresolved } = releaseValues(obj, context);
    if (!isExactVersion(version)) {
      return [{ severity: 'unchecked', message: `values were NOT checked against chart ${chart}: version ${JSON.stringify(version)} names no single chart; pin an exact version` }];
    }
    const lookup = lookupChart(releaseChartRef(obj, context), context.options);
    const problems: CheckProblem[] = unresolved.map((why) => ({ severity: 'unchecked', message: `${why}, so the values it holds were NOT checked` }));
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
    problems.push(...exposureProblems(values, annotationReason(obj, ALLOW_EXPOSURE_ANNOTATION)));
    return problems;
  },
};
