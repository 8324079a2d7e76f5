// Least-privilege RBAC for apps that must not be able to hurt the cluster,
// judged by effect: what a role grants, whom a binding lets in, and what an
// aggregated ClusterRole would collect.
import { JsonObject, JsonValue, listAt, objectAt } from '../json';
import { ANNOTATION_PREFIX } from '../project';
import { ManifestObject } from './finding';
import { CheckProblem, ManifestCheck } from './manifest-check';

/**
 * Built-in ClusterRoles no binding may reference: `cluster-admin` controls
 * everything; `admin` and `edit` read Secrets and change workloads.
 */
export const FORBIDDEN_CLUSTER_ROLES: Readonly<Record<string, string>> = {
  'cluster-admin': 'grants full control of the cluster',
  admin: 'can read Secrets and change workloads',
  edit: 'can read Secrets and change workloads',
};

/** Groups every request of a kind belongs to: binding them grants everyone (or every signed-in identity) the role. */
const EVERYONE: Readonly<Record<string, string>> = {
  'system:unauthenticated': 'every anonymous request',
  'system:anonymous': 'every anonymous request',
  'system:authenticated': 'every identity that can sign in (every ServiceAccount of every namespace included)',
};

/** Labels whose aggregation feeds a built-in role that can read Secrets or change anything. */
const AGGREGATE_TO = ['rbac.authorization.k8s.io/aggregate-to-admin', 'rbac.authorization.k8s.io/aggregate-to-edit', 'rbac.authorization.k8s.io/aggregate-to-cluster-admin'];

const READ_VERBS = ['get', 'list', 'watch', '*'];
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const DANGEROUS_VERBS = ['escalate', 'bind', 'impersonate'];
/** Subresources that run or reach code inside pods and nodes: as good as a shell there. */
const SHELL_RESOURCES: Readonly<Record<string, string>> = {
  'pods/exec': 'runs commands in any pod',
  'pods/attach': 'attaches to any pod',
  'pods/portforward': 'opens connections into any pod',
  'nodes/proxy': 'reaches the kubelet API of every node (exec into any pod)',
};

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Why binding the role named `name` is refused, or undefined when it is allowed. */
export function forbiddenClusterRole(name: string): string | undefined {
  const builtIn = Object.keys(FORBIDDEN_CLUSTER_ROLES).find((role) => role === name.toLowerCase());
  if (builtIn !== undefined) {
    return `ClusterRole "${name}" ${builtIn === name ? FORBIDDEN_CLUSTER_ROLES[builtIn] : `is the built-in "${builtIn}" by another spelling: it ${FORBIDDEN_CLUSTER_ROLES[builtIn]}`}: bind "view" or a read-only ClusterRole of your own`;
  }
  if (name.startsWith('system:')) return `ClusterRole "${name}" is one of Kubernetes' own system roles, made for its components and controllers: bind "view" or a read-only ClusterRole of your own`;
  return undefined;
}

function bindingViolations(obj: ManifestObject): string[] {
  const problems: string[] = [];
  const ref = objectAt(obj, 'roleRef');
  const why = typeof ref.name === 'string' ? forbiddenClusterRole(ref.name) : undefined;
  if (why) problems.push(`roleRef ${why.replace(/^ClusterRole/, String(ref.kind ?? 'ClusterRole'))}`);
  listAt(obj, 'subjects').forEach((subject, i) => {
    const name = String(subject.name ?? '');
    if (subject.kind === 'Group' && EVERYONE[name]) problems.push(`subjects[${i}] is the group ${name}: the role would apply to ${EVERYONE[name]}; bind the ServiceAccounts, users or groups that need it`);
    if (subject.kind === 'User' && name === 'system:anonymous') problems.push(`subjects[${i}] is the user system:anonymous: the role would apply to ${EVERYONE[name]}; bind the ServiceAccounts, users or groups that need it`);
  });
  return problems;
}

function ruleViolations(obj: ManifestObject): string[] {
  const problems: string[] = [];
  listAt(obj, 'rules').forEach((rule, i) => {
    const at = `rules[${i}]`;
    const verbs = strings(rule.verbs);
    const resources = strings(rule.resources);
    const groups = strings(rule.apiGroups);
    const urls = strings(rule.nonResourceURLs);
    const any = (list: string[], ...wanted: string[]) => list.includes('*') || wanted.some((w) => list.includes(w));
    if (verbs.includes('*')) problems.push(`${at}.verbs has "*": list only the verbs needed, e.g. get, list, watch`);
    if (resources.includes('*')) problems.push(`${at}.resources has "*": list the resources by name`);
    if (groups.includes('*')) problems.push(`${at}.apiGroups has "*": list the API groups by name`);
    if (urls.some((u) => u === '*' || u.endsWith('*'))) problems.push(`${at}.nonResourceURLs has "${urls.find((u) => u.endsWith('*'))}": list the paths needed, e.g. /healthz`);
    const coreGroup = any(groups, '');
    if (coreGroup && any(resources, 'secrets') && verbs.some((v) => READ_VERBS.includes(v))) {
      problems.push(`${at} can read secrets: drop "secrets" (a dashboard never needs Secret contents)`);
    }
    if (coreGroup && any(resources, 'secrets') && verbs.some((v) => WRITE_VERBS.includes(v))) {
      problems.push(`${at} can write secrets (${verbs.filter((v) => WRITE_VERBS.includes(v)).join(', ')}): drop "secrets", or those verbs`);
    }
    if (!resources.includes('*') && coreGroup && resources.includes('services/proxy')) {
      problems.push(`${at} grants services/proxy, which reaches the HTTP API of every Service it covers through the API server (internal endpoints included): remove it`);
    }
    for (const verb of verbs.filter((v) => DANGEROUS_VERBS.includes(v))) {
      problems.push(`${at}.verbs has "${verb}", which lets its holder gain permissions it was not given: remove it`);
    }
    if (coreGroup && any(resources, 'serviceaccounts/token') && any(verbs, 'create')) {
      problems.push(`${at} can create serviceaccounts/token, i.e. mint tokens for any ServiceAccount: remove it`);
    }
    for (const [resource, what] of Object.entries(SHELL_RESOURCES)) {
      if (!resources.includes('*') && coreGroup && resources.includes(resource) && any(verbs, 'create', 'get')) problems.push(`${at} grants ${resource}, which ${what}: remove it`);
    }
  });
  const selectors = listAt(obj, 'aggregationRule', 'clusterRoleSelectors');
  for (const selector of selectors) {
    const labels = Object.keys(objectAt(selector, 'matchLabels'));
    const feeds = labels.filter((label) => AGGREGATE_TO.includes(label));
    if (feeds.length > 0) problems.push(`aggregationRule selects ${feeds.join(', ')}: the role would collect every rule of the built-in admin/edit roles (Secrets included); aggregate only read-only roles, e.g. rbac.authorization.k8s.io/aggregate-to-view`);
  }
  const aggregatesInto = Object.keys(objectAt(obj, 'metadata', 'labels')).filter((label) => AGGREGATE_TO.includes(label));
  if (aggregatesInto.length > 0 && obj.kind === 'ClusterRole') problems.push(`labels ${aggregatesInto.join(', ')} add this role to the built-in admin/edit roles: remove them`);
  return problems;
}

/** RBAC violations of a (Cluster)Role or (Cluster)RoleBinding, or undefined for other kinds. */
export function rbacViolations(obj: ManifestObject): string[] | undefined {
  if (!obj.apiVersion.startsWith('rbac.authorization.k8s.io/')) return undefined;
  if (obj.kind === 'ClusterRoleBinding' || obj.kind === 'RoleBinding') return bindingViolations(obj);
  if (obj.kind === 'ClusterRole' || obj.kind === 'Role') return ruleViolations(obj);
  return undefined;
}

/** Annotation of a Role that grants a dashboard read access to Helm releases and the service proxy, with the reason. */
export const ALLOW_HELM_RELEASES_ANNOTATION = `${ANNOTATION_PREFIX}allow-helm-releases`;

/** Annotation of such a Role that also lets the dashboard install, upgrade and uninstall releases, with the reason. */
export const ALLOW_HELM_WRITE_ANNOTATION = `${ANNOTATION_PREFIX}allow-helm-write`;

/**
 * What a Helm release view needs in one namespace, by resource: releases are
 * Secrets (`owner=helm`); the service proxy reads Services and sends every
 * HTTP method through `services/proxy`. Writing releases adds Secret writes.
 */
export const HELM_RELEASE_GRANTS: Readonly<Record<string, readonly string[]>> = {
  secrets: ['get', 'list'],
  services: ['get', 'list'],
  'services/proxy': ['get', 'create', 'update', 'patch', 'delete'],
};
const HELM_WRITE_GRANTS: Readonly<Record<string, readonly string[]>> = { ...HELM_RELEASE_GRANTS, secrets: ['get', 'list', 'create', 'update', 'delete'] };

function annotation(obj: ManifestObject, key: string): string | undefined {
  const value = objectAt(obj, 'metadata', 'annotations')[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Whether a rule grants nothing beyond `grants` (core group, named resources, their verbs). */
function within(rule: JsonObject, grants: Readonly<Record<string, readonly string[]>>): boolean {
  const groups = strings(rule.apiGroups);
  const resources = strings(rule.resources);
  const verbs = strings(rule.verbs);
  return groups.length === 1 && groups[0] === '' && strings(rule.nonResourceURLs).length === 0 && resources.length > 0
    && resources.every((r) => grants[r] !== undefined && verbs.every((v) => grants[r].includes(v)));
}

/**
 * The RBAC check: `rbacViolations` as errors, except in a namespaced Role
 * annotated `allow-helm-releases` (and `allow-helm-write` for Secret writes):
 * there the rules that grant no more than a Helm release view needs are
 * accepted, as warnings that carry the reason. The same rules anywhere else,
 * in a ClusterRole, or beside other grants, stay errors.
 */
export const rbacCheck: ManifestCheck = {
  name: 'rbac',
  exemptable: true,
  run: (obj) => {
    const violations = rbacViolations(obj);
    if (violations === undefined) return undefined;
    const reason = obj.kind === 'Role' ? annotation(obj, ALLOW_HELM_RELEASES_ANNOTATION) : undefined;
    if (reason === undefined) return violations.map((message): CheckProblem => ({ severity: 'error', message }));
    const write = annotation(obj, ALLOW_HELM_WRITE_ANNOTATION);
    const granted = new Set(listAt(obj, 'rules').flatMap((rule, i) => (within(rule, write ? HELM_WRITE_GRANTS : HELM_RELEASE_GRANTS) ? [`rules[${i}]`] : [])));
    return violations.map((message): CheckProblem => {
      const ruleAt = /^rules\[\d+\]/.exec(message)?.[0];
      if (ruleAt === undefined || !granted.has(ruleAt)) return { severity: 'error', message };
      const why = /can write secrets/.test(message) ? `${reason}; ${write}` : reason;
      return { severity: 'warning', message: `allowed for the Helm release view (${why}): ${message}` };
    });
  },
};
