// The one shape every check has. Checks are registered on an app's Policy
// (policy.ts); the generic ones are in default-checks.ts, apps add their own.
import type { ChartSourceOptions } from '../charts/chart-source';
import { ManifestObject, Severity } from './finding';

/** One problem a check found on one object. */
export interface CheckProblem {
  readonly severity: Severity;
  readonly message: string;
}

/** What the checks of a policy run with. */
export interface CheckOptions extends ChartSourceOptions {
  /**
   * Validate each object against its API schema.
   * @default true
   */
  readonly schema?: boolean;

  /**
   * Render HelmReleases with `helm template` and check what they render.
   * @default false
   */
  readonly render?: boolean;
}

/** What a check knows besides the object. */
export interface CheckContext {
  readonly options: CheckOptions;
  /** The HelmRelease the object was rendered from, when it comes from a chart render. */
  readonly renderedFrom?: ManifestObject;
  /** An object among those checked together (the same app, or the same cluster), by kind, namespace and name. */
  find(kind: string, namespace: string, name: string): ManifestObject | undefined;
}

/** A check of single objects. */
export interface ManifestCheck {
  /** Short name shown in reports, e.g. `rbac`. */
  readonly name: string;
  /**
   * Whether an `<project>/allow-<name>: <why>` annotation on the object turns
   * its errors into warnings that carry the reason.
   * @default false
   */
  readonly exemptable?: boolean;
  /** Problems of `obj`, or undefined when the check does not apply to it. */
  run(obj: ManifestObject, context: CheckContext): readonly CheckProblem[] | undefined;
}

/** A check from a function that returns error messages (or undefined when it does not apply). */
export function errorCheck(name: string, find: (obj: ManifestObject, context: CheckContext) => readonly string[] | undefined, exemptable = false): ManifestCheck {
  return { name, exemptable, run: (obj, context) => find(obj, context)?.map((message) => ({ severity: 'error', message })) };
}
