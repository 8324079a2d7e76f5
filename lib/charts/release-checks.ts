// Checks of any Flux HelmRelease as an object, so they run on synthesized and
// on hand-edited dist/ alike: the chart version is an exact pin, and the values
// are checked against that exact chart's archive. Opt-ins travel with the
// object as annotations, so `npm run validate` sees the same reasons as synth.
import { parse } from 'yaml';
import { isJsonObject, JsonObject, JsonValue, mergeValues, objectAt } from '../json';
import type { ManifestObject } from '../policy/finding';
import type { CheckContext, CheckProblem, ManifestCheck } from '../policy/manifest-check';
import { ANNOTATION_PREFIX } from '../project';
import { ENCRYPTED_PLACEHOLDER, encryptedShape } from '../secrets/sops-files';
import { readChartArchive } from './chart-archive';
import { ChartRef, lookupChart, newestInRange } from './chart-source';
import { exposureProblems, imageTagProblem, valuesProblems } from './values-check';
import { isExactVersion } from './version';

/** Annotation that records why a HelmRelease may use a version range. */
/** The annotation that records the reason of the opt-in `allow.<key>`: `imageTag` → `flux-helm-apps/allow-image-tag`. */
export function allowAnnotation(key: string): string {
  return `${ANNOTATION_PREFIX}allow-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

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

/** Annotation naming the chart a release installs where the object does not (chartRef, a folder in Git or a bucket). */
export const CHART_NAME_ANNOTATION = `${ANNOTATION_PREFIX}chart-name`;

/** Annotation giving the exact chart version where the object does not pin it (a folder in Git or a bucket, an OCI digest). */
export const CHART_VERSION_ANNOTATION = `${ANNOTATION_PREFIX}chart-version`;

/** The chart, version, source and values a HelmRelease names. */
export interface ReleaseChart {
  /** Chart name (its Chart.yaml `name`). */
  readonly chart: string;
  /** Exact version, a range, or empty when unknown. */
  readonly version: string;
  /** Where the version is set, for messages, e.g. `spec.chart.spec.version`. */
  readonly versionField: string;
  /** Why a range is allowed, from the release or its source. */
  readonly rangeReason?: string;
  readonly values: JsonObject;
  /** The source (`chart.spec.sourceRef`), or the artifact (`chartRef`). */
  readonly sourceRef: { readonly kind: string; readonly name: string; readonly namespace: string };
  /** Whether the release refers to its chart with `chartRef`. */
  readonly chartRef: boolean;
  /** Values files of the chart template, from the source's root. */
  readonly valuesFiles: readonly string[];
  /** The chart's folder in a GitRepository or Bucket (`./charts/app`), or undefined. */
  readonly folder?: string;
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function lastSegment(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? path;
}

/**
 * The chart a HelmRelease installs. With `context`, a `chartRef` source is
 * looked up, so the version is the one the OCIRepository or HelmChart pins;
 * without it (or when the source is not among the objects) the annotations
 * the HelmRelease construct writes stand in.
 */
export function releaseChart(obj: ManifestObject, context?: CheckContext): ReleaseChart {
  const namespace = String(obj.metadata.namespace ?? '');
  const annotations = objectAt(obj, 'metadata', 'annotations');
  const annotatedName = text(annotations[CHART_NAME_ANNOTATION]);
  const annotatedVersion = text(annotations[CHART_VERSION_ANNOTATION]);
  const annotationField = `metadata.annotations["${CHART_VERSION_ANNOTATION}"]`;
  const values = objectAt(obj, 'spec', 'values');
  const rangeReason = annotationReason(obj, ALLOW_VERSION_RANGE_ANNOTATION);
  const ref = objectAt(obj, 'spec', 'chartRef');
  if (Object.keys(ref).length > 0) {
    const sourceRef = { kind: String(ref.kind ?? ''), name: String(ref.name ?? ''), namespace: String(ref.namespace ?? namespace) };
    const source = context?.find(sourceRef.kind, sourceRef.namespace, sourceRef.name);
    const where = `${sourceRef.kind} ${sourceRef.namespace}/${sourceRef.name}`;
    const base = { values, sourceRef, chartRef: true, valuesFiles: [] as string[] };
    if (source !== undefined && sourceRef.kind === 'OCIRepository') {
      const pin = objectAt(source, 'spec', 'ref');
      const chart = annotatedName ?? lastSegment(String(objectAt(source, 'spec').url ?? ''));
      const reason = rangeReason ?? annotationReason(source, ALLOW_VERSION_RANGE_ANNOTATION);
      if (text(pin.tag)) return { ...base, chart, version: String(pin.tag), versionField: `spec.ref.tag of ${where}`, rangeReason: reason };
      if (text(pin.semver)) return { ...base, chart, version: String(pin.semver), versionField: `spec.ref.semver of ${where}`, rangeReason: reason };
      return { ...base, chart, version: annotatedVersion ?? '', versionField: `${annotationField} (${where} pins a digest)`, rangeReason: reason };
    }
    if (source !== undefined && sourceRef.kind === 'HelmChart') {
      const spec = objectAt(source, 'spec');
      const own = objectAt(source, 'metadata', 'annotations');
      const chart = text(own[CHART_NAME_ANNOTATION]) ?? annotatedName ?? lastSegment(String(spec.chart ?? ''));
      const version = text(spec.version) ?? text(own[CHART_VERSION_ANNOTATION]);
      const fromFolder = ['GitRepository', 'Bucket'].includes(String(objectAt(spec, 'sourceRef').kind));
      const valuesFiles = Array.isArray(spec.valuesFiles) ? spec.valuesFiles.filter((f): f is string => typeof f === 'string') : [];
      if (version !== undefined) {
        return { ...base, chart, version, versionField: `${text(spec.version) ? 'spec.version' : annotationField} of ${where}`, rangeReason, valuesFiles, folder: fromFolder ? String(spec.chart ?? '') : undefined };
      }
    }
    return { ...base, chart: annotatedName ?? '', version: annotatedVersion ?? '', versionField: annotationField, rangeReason };
  }
  const spec = objectAt(obj, 'spec', 'chart', 'spec');
  const source = objectAt(spec, 'sourceRef');
  const sourceRef = { kind: String(source.kind ?? ''), name: String(source.name ?? ''), namespace: String(source.namespace ?? namespace) };
  const path = String(spec.chart ?? '');
  const valuesFiles = Array.isArray(spec.valuesFiles) ? spec.valuesFiles.filter((f): f is string => typeof f === 'string') : [];
  if (sourceRef.kind === 'GitRepository' || sourceRef.kind === 'Bucket') {
    return { chart: annotatedName ?? lastSegment(path), version: annotatedVersion ?? '', versionField: annotationField, rangeReason, values, sourceRef, chartRef: false, valuesFiles, folder: path };
  }
  return { chart: path, version: String(spec.version ?? ''), versionField: 'spec.chart.spec.version', rangeReason, values, sourceRef, chartRef: false, valuesFiles };
}

/** The chart a HelmRelease installs, with its repository when the source is among the checked objects. */
export function releaseChartRef(obj: ManifestObject, context: CheckContext): ChartRef {
  const { chart, version, sourceRef, chartRef } = releaseChart(obj, context);
  const source = context.find(sourceRef.kind, sourceRef.namespace, sourceRef.name);
  const url = objectAt(source, 'spec').url;
  // An OCIRepository's url is the chart itself; helm pull wants the registry folder above it.
  const repository = typeof url === 'string' && chartRef && sourceRef.kind === 'OCIRepository' ? url : typeof url === 'string' && !chartRef && sourceRef.kind === 'HelmRepository' ? url : undefined;
  return { name: chart, version, repository, ...(chartRef && repository ? { artifact: true } : {}) };
}

/** Sets `value` at a dotted path (`a.b.c`) in a copy of `values`, as Flux's `targetPath` does. */
function setPath(values: JsonObject, path: string, value: JsonValue): JsonObject {
  const [head, ...rest] = path.split('.');
  const below = isJsonObject(values[head]) ? (values[head] as JsonObject) : {};
  return { ...values, [head]: rest.length === 0 ? value : setPath(below, rest.join('.'), value) };
}

/**
 * Annotation listing, per `valuesFrom` Secret, the value paths it sets (JSON:
 * `{"<secret>": ["secrets.dbPassword", …]}`): a SOPS-encrypted Secret cannot be
 * read at check time, so the checks render with a placeholder at each path.
 */
export const SECRET_VALUES_ANNOTATION = `${ANNOTATION_PREFIX}secret-values`;

function declaredSecretPaths(obj: ManifestObject, name: string): string[] | undefined {
  const raw = objectAt(obj, 'metadata', 'annotations')[SECRET_VALUES_ANNOTATION];
  if (typeof raw !== 'string') return undefined;
  try {
    const declared = JSON.parse(raw) as JsonValue;
    const paths = isJsonObject(declared) ? declared[name] : undefined;
    return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The values Helm gets, as helm-controller composes them: each `valuesFrom`
 * ConfigMap or Secret in order (found among the objects checked together),
 * then `spec.values` over them; with each source that could not be read.
 * Values SOPS encrypted (a Secret generated from an encrypted values file)
 * are placeholders of their type: the keys and types are still checked. A
 * Secret that cannot be read at all (not among the objects, or encrypted
 * whole) but whose value paths the release declares gives placeholders there.
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
    const declared = ref.kind === 'Secret' ? declaredSecretPaths(obj, String(ref.name)) : undefined;
    if (declared !== undefined && (source === undefined || isJsonObject(source.sops))) {
      values = declared.reduce((v, path) => setPath(v, path, ENCRYPTED_PLACEHOLDER), values);
      continue;
    }
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
  const checked = checkedChart(obj, context);
  return { repository: releaseChartRef(obj, context).repository ?? null, chart: checked.ref ? { ...checked.ref } : null, values: releaseValues(obj, context).values };
}

/**
 * The one chart version the checks use: the exact pin, or for a range allowed
 * with a reason, the newest version among the available archives that the
 * range matches (`note` says which); or why there is none.
 */
export function checkedChart(obj: ManifestObject, context: CheckContext): { ref: ChartRef; note?: string; why?: undefined } | { ref?: undefined; why: string } {
  const { chart, version, rangeReason } = releaseChart(obj, context);
  const ref = releaseChartRef(obj, context);
  if (isExactVersion(version)) return { ref };
  if (version === '' || rangeReason === undefined) return { why: `version ${JSON.stringify(version)} names no single chart; pin an exact version` };
  const newest = newestInRange(chart, version, context.options);
  if (newest.version === undefined) return { why: `range ${JSON.stringify(version)}: ${newest.why}` };
  return { ref: { ...ref, version: newest.version }, note: `checked against chart ${chart} ${newest.version}, the newest available archive the range ${JSON.stringify(version)} matches` };
}

/** A HelmRelease pins one chart version, unless a reason allows a range. */
export const chartVersionCheck: ManifestCheck = {
  name: 'chart-version',
  run: (obj, context) => {
    if (!isHelmRelease(obj)) return undefined;
    const { chart, version, versionField, rangeReason } = releaseChart(obj, context);
    if (isExactVersion(version)) return [];
    if (rangeReason && version !== '') {
      const checked = checkedChart(obj, context);
      return [{ severity: 'warning', message: `chart ${chart} version ${JSON.stringify(version)} is not an exact pin, so upgrades bypass review; allowed: ${rangeReason}; ${checked.ref ? checked.note : `not checked: ${checked.why}`}` }];
    }
    return [{ severity: 'error', message: `${versionField} ${JSON.stringify(version)} of chart ${chart} is not an exact version: pin one release such as "1.2.3" (no range, "*", "v" prefix or empty), or set allow.versionRange to the reason` }];
  },
};

/** Paths of the release's values files inside its chart archive (from the source root for a folder in Git or a bucket). */
function valuesFilesInArchive(obj: ManifestObject, context: CheckContext): { file: string; inArchive: string }[] {
  const { valuesFiles, folder } = releaseChart(obj, context);
  const root = folder?.replace(/^\.\//, '').replace(/\/+$/, '');
  return valuesFiles.map((file) => {
    const path = file.replace(/^\.\//, '');
    return { file, inArchive: root && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path };
  });
}

/** The values files' contents, in order, from the chart archive; or the files the archive lacks. */
export function releaseValuesFiles(obj: ManifestObject, context: CheckContext, archive: string): { values: JsonObject[]; missing: string[] } {
  const wanted = valuesFilesInArchive(obj, context);
  if (wanted.length === 0) return { values: [], missing: [] };
  const files = readChartArchive(archive);
  const values: JsonObject[] = [];
  const missing: string[] = [];
  for (const { file, inArchive } of wanted) {
    const body = files.get(inArchive);
    if (body === undefined) missing.push(file);
    else values.push((parse(body.toString('utf8')) ?? {}) as JsonObject);
  }
  return { values, missing };
}

/** A HelmRelease's values are keys and types its exact chart knows, with no `image.tag` split from the chart. */
export const chartValuesCheck: ManifestCheck = {
  name: 'chart-values',
  run: (obj, context) => {
    if (!isHelmRelease(obj)) return undefined;
    const { chart } = releaseChart(obj, context);
    const { values, unresolved } = releaseValues(obj, context);
    const checked = checkedChart(obj, context);
    if (checked.ref === undefined) {
      return [
        { severity: 'unchecked', message: `values were NOT checked against chart ${chart}: ${checked.why}` },
        ...exposureProblems(values, annotationReason(obj, ALLOW_EXPOSURE_ANNOTATION)),
      ];
    }
    const { version } = checked.ref;
    const lookup = lookupChart(checked.ref, context.options);
    const problems: CheckProblem[] = unresolved.map((why) => ({ severity: 'unchecked', message: `${why}, so the values it holds were NOT checked` }));
    if (lookup.facts) {
      problems.push(...valuesProblems(values, lookup.facts).map((message) => ({ severity: 'error' as const, message })));
      const { missing } = releaseValuesFiles(obj, context, lookup.archive);
      problems.push(...missing.map((file) => ({ severity: 'error' as const, message: `valuesFiles entry ${JSON.stringify(file)} is not in chart ${chart} ${version} (${lookup.archive}), so Flux fails to build the chart: fix the path (inside the chart, e.g. "values-prod.yaml"), or drop it` })));
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
