/** Strict semantic version (semver.org 2.0.0): what Helm and Renovate treat as an exact pin. */
const EXACT_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Whether `version` pins one chart version (no range, wildcard or `v` prefix). */
export function isExactVersion(version: string): boolean {
  return EXACT_VERSION.test(version);
}
