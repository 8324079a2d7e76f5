import { JsonObject, JsonValue, isJsonObject } from '../json';

/**
 * How bad a finding is:
 * - `error`: refused by synth and by `npm run validate`;
 * - `warning`: printed on every synth (an explicit opt-in, with its reason);
 * - `unchecked`: something could not be checked (e.g. an unknown chart version):
 *   synth prints it prominently, `npm run validate` fails on it.
 */
export type Severity = 'error' | 'warning' | 'unchecked';

/** One result of a check on one object. */
export interface Finding {
  /** The object, e.g. `Deployment headlamp/cloudflared`. */
  readonly object: string;
  /** The check that produced it, e.g. `pod-security`. */
  readonly check: string;
  readonly severity: Severity;
  readonly message: string;
}

/** A Kubernetes object as read from YAML, loosely typed. */
export interface ManifestObject extends JsonObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: JsonObject;
}

export function isManifestObject(value: JsonValue | undefined): value is ManifestObject {
  return isJsonObject(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string' && isJsonObject(value.metadata);
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function describeObject(obj: ManifestObject): string {
  const { name, namespace } = obj.metadata;
  return `${obj.kind} ${typeof namespace === 'string' ? `${namespace}/` : ''}${String(name)}`;
}

/** Findings that fail `synth` (errors) or `validate` (errors and unchecked). */
export function failures(findings: readonly Finding[], strict: boolean): Finding[] {
  return findings.filter((f) => f.severity === 'error' || (strict && f.severity === 'unchecked'));
}
