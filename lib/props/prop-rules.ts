// Rules for props, each returning the problem (or undefined), in the API
// server's own words where Kubernetes has a rule: the prop, the value, the fix.
import { isExactVersion } from '../charts/version';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Unless `value` is an RFC 1123 label of at most `max` characters (a namespace, a release, …). */
export function dnsLabelProblem(prop: string, value: string, max = 63): string | undefined {
  if (!DNS1123_LABEL.test(value)) {
    return `${prop}: Invalid value: "${value}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')`;
  }
  if (value.length > max) return `${prop}: Invalid value: "${value}": must be no more than ${max} characters (it has ${value.length})`;
  return undefined;
}

/** Unless `value` is a bare DNS hostname (RFC 1123 subdomain, optional leading `*.`): no scheme, port or path. */
export function hostnameProblem(prop: string, value: string): string | undefined {
  const bare = value.startsWith('*.') ? value.slice(2) : value;
  if (DNS1123_SUBDOMAIN.test(bare) && value.length <= 253) return undefined;
  const hint = /^[a-z]+:\/\//i.test(value) ? ' (drop the scheme)' : /[:/]/.test(value) ? ' (drop the port or path)' : '';
  return `${prop}: Invalid value: "${value}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'app.example.net')${hint}`;
}

/** Unless `value` is one exact chart version, or `rangeReason` allows a range. */
export function exactVersionProblem(prop: string, value: string, rangeReason?: string): string | undefined {
  if (isExactVersion(value) || (rangeReason?.trim() && value.trim() !== '')) return undefined;
  return `${prop}: Invalid value: "${value}": must be an exact chart version such as "1.2.3" (no range, "*", "v" prefix or empty); to accept a range, set allow.versionRange to the reason`;
}

/** Unless `value` is a whole number of at least `min`. */
export function countProblem(prop: string, value: number, min: number, fix = ''): string | undefined {
  return Number.isInteger(value) && value >= min ? undefined : `${prop}: Invalid value: ${value}: must be a whole number ≥ ${min}${fix ? `; ${fix}` : ''}`;
}
