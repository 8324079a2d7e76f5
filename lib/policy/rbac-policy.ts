// Least-privilege RBAC for a dashboard that must not be able to hurt the cluster.
import { JsonValue, listAt, objectAt } from '../json';
import { ManifestObject } from './finding';

/**
 * Built-in ClusterRoles no binding may reference: `cluster-admin` controls
 * everything; `admin` and `edit` read Secrets and change workloads.
 */
export const FORBIDDEN_CLUSTER_ROLES: Readonly<Record<string, string>> = {
  'cluster-admin': 'grants full control of the cluster',
  admin: 'can read Secrets and change workloads',
  edit: 'can read Secrets and change workloads',
};

const READ_VERBS = ['get', 'list', 'watch', '*'];
const DANGEROUS_VERBS = ['escalate', 'bind', 'impersonate'];

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Why binding `clusterRole` is refused, or undefined when it is allowed. */
export function forbiddenClusterRole(clusterRole: string): string | undefined {
  const why = FORBIDDEN_CLUSTER_ROLES[clusterRole];
  return why === undefined ? undefined : `ClusterRole "${clusterRole}" ${why}: bind "view" or a read-only ClusterRole of your own`;
}

function bindingViolations(obj: ManifestObject): string[] {
  const ref = objectAt(obj, 'roleRef');
  const why = ref.kind === 'ClusterRole' && typeof ref.name === 'string' ? forbiddenClusterRole(ref.name) : undefined;
  return why ? [`roleRef ${why}`] : [];
}

function ruleViolations(obj: ManifestObject): string[] {
  const problems: string[] = [];
  listAt(obj, 'rules').forEach((rule, i) => {
    const at = `rules[${i}]`;
    const verbs = strings(rule.verbs);
    const resources = strings(rule.resources);
    const groups = strings(rule.apiGroups);
    if (verbs.includes('*')) problems.push(`${at}.verbs has "*": list only the verbs needed, e.g. get, list, watch`);
    if (resources.includes('*')) problems.push(`${at}.resources has "*": list the resources by name`);
    if (groups.includes('*')) problems.push(`${at}.apiGroups has "*": list the API groups by name`);
    const coreGroup = groups.includes('') || groups.includes('*');
    if (coreGroup && (resources.includes('secrets') || resources.includes('*')) && verbs.some((v) => READ_VERBS.includes(v))) {
      problems.push(`${at} can read secrets: drop "secrets" (a dashboard never needs Secret contents)`);
    }
    for (const verb of verbs.filter((v) => DANGEROUS_VERBS.includes(v))) {
      problems.push(`${at}.verbs has "${verb}", which lets its holder gain permissions it was not given: remove it`);
    }
    if (coreGroup && (resources.includes('serviceaccounts/token') || resources.includes('*')) && (verbs.includes('create') || verbs.includes('*'))) {
      problems.push(`${at} can create serviceaccounts/token, i.e. mint tokens for any ServiceAccount: remove it`);
    }
  });
  return problems;
}

/** RBAC violations of a (Cluster)Role or (Cluster)RoleBinding, or undefined for other kinds. */
export function rbacViolations(obj: ManifestObject): string[] | undefined {
  if (!obj.apiVersion.startsWith('rbac.authorization.k8s.io/')) return undefined;
  if (obj.kind === 'ClusterRoleBinding' || obj.kind === 'RoleBinding') return bindingViolations(obj);
  if (obj.kind === 'ClusterRole' || obj.kind === 'Role') return ruleViolations(obj);
  return undefined;
}
