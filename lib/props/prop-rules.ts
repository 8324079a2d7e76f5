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
  const long = bare.split('.').find((label) => label.length > 63);
  if (DNS1123_SUBDOMAIN.test(bare) && value.length <= 253 && long === undefined) return undefined;
  if (DNS1123_SUBDOMAIN.test(bare) && long !== undefined) return `${prop}: Invalid value: "${value}": each part between dots must be no more than 63 characters ("${long.slice(0, 20)}…" has ${long.length})`;
  const hint = /^[a-z]+:\/\//i.test(value) ? ' (drop the scheme)' : /[:/]/.test(value) ? ' (drop the port or path)' : '';
  return `${prop}: Invalid value: "${value}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'app.example.net')${hint}`;
}

/** Unless `value` is one exact chart version, or `rangeReason` allows a range. */
export function exactVersionProblem(prop: string, value: string, rangeReason?: string): string | undefined {
  if (isExactVersion(value) || (rangeReason?.trim() && value.trim() !== '')) return undefined;
  return `${prop}: Invalid value: "${value}": must be an exact chart version such as "1.2.3" (no range, "*", "v" prefix or empty); to accept a range, set allow.versionRange to the reason`;
}

/** Unless `value` is a whole number from `min` to `max` (default: what an int32 field holds). */
export function countProblem(prop: string, value: number, min: number, fix = '', max = MAX_INT32): string | undefined {
  if (Number.isInteger(value) && value >= min && value <= max) return undefined;
  return `${prop}: Invalid value: ${value}: must be a whole number ≥ ${min}${value > max ? ` and ≤ ${max}` : ''}${fix ? `; ${fix}` : ''}`;
}

/** Unless `value` is an RFC 1123 subdomain of at most 253 characters (a Secret, a ServiceAccount, a Deployment, …). */
export function dnsSubdomainProblem(prop: string, value: string): string | undefined {
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return `${prop}: Invalid value: "${value}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')`;
  }
  return value.length > 253 ? `${prop}: Invalid value: "${value}": must be no more than 253 characters (it has ${value.length})` : undefined;
}

/** Unless `value` is a TCP port number, 1 to 65535. */
export function portProblem(prop: string, value: number): string | undefined {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? undefined : `${prop}: Invalid value: ${value}: must be between 1 and 65535, inclusive`;
}

/** The most a Kubernetes count (replicas) can hold: an int32. */
export const MAX_INT32 = 2_147_483_647;

/** Unless `value` is a folder path relative to the repository root that stays inside it. */
export function repoPathProblem(prop: string, value: string): string | undefined {
  const normal = value.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value) || normal.length === 0 || normal.includes('..')) {
    return `${prop}: Invalid value: "${value}": must be a folder inside the repository, relative to its root and without "..", e.g. "secrets"`;
  }
  return undefined;
}

/** Unless `value` is an http(s) URL with a host and nothing after the port (where cloudflared sends requests). */
export function originProblem(prop: string, value: string): string | undefined {
  return /^https?:\/\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?$/.test(value) ? undefined
    : `${prop}: Invalid value: "${value}": must be an http:// or https:// URL of a host and port, without a path, e.g. "http://traefik-tunnel.kube-system.svc.cluster.local:8100"`;
}

/** Unless `value` is an IPv4 or IPv6 CIDR such as `192.168.1.10/32`. */
export function cidrProblem(prop: string, value: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (v4 && v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32) return undefined;
  if (/^[0-9a-f:]+\/\d{1,3}$/i.test(value) && value.includes(':') && Number(value.split('/')[1]) <= 128) return undefined;
  return `${prop}: Invalid value: "${value}": must be a CIDR, e.g. "192.168.1.10/32" or "10.0.0.0/8"`;
}
