import { isExactVersion } from './flux/helm-release';

// Kubernetes name rules (apimachinery validation), with errors that name the prop,
// the value and the fix in the API server's own words.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Throws unless `value` is an RFC 1123 label of at most `max` characters (a namespace, a release, …). */
export function assertDnsLabel(prop: string, value: string, max = 63): void {
  if (!DNS1123_LABEL.test(value)) {
    throw new Error(`${prop}: Invalid value: "${value}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')`);
  }
  if (value.length > max) {
    throw new Error(`${prop}: Invalid value: "${value}": must be no more than ${max} characters (it has ${value.length})`);
  }
}

/** Throws unless `value` is a bare DNS hostname (RFC 1123 subdomain, optional leading `*.`): no scheme, port or path. */
export function assertHostname(prop: string, value: string): void {
  const bare = value.startsWith('*.') ? value.slice(2) : value;
  if (!DNS1123_SUBDOMAIN.test(bare) || value.length > 253) {
    const hint = /^[a-z]+:\/\//i.test(value) ? ' (drop the scheme)' : /[:/]/.test(value) ? ' (drop the port or path)' : '';
    throw new Error(`${prop}: Invalid value: "${value}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'headlamp.example.net')${hint}`);
  }
}

/** Throws unless `value` is one exact version (strict semver: no range, `*`, `v` prefix or empty). */
export function assertExactVersion(prop: string, value: string): void {
  if (!isExactVersion(value)) {
    throw new Error(`${prop}: Invalid value: "${value}": must be an exact chart version such as "0.45.0" (no range, "*", "v" prefix or empty); to accept a range, set allow.versionRange to the reason`);
  }
}
