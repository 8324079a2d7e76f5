// Headlamp's own checks, on top of the generic ones: the ways Headlamp broke
// before (a read-only root with nothing writable, mounts of volumes the values
// do not define), the chart's binding role, the OIDC secret in plain text; and
// on what the chart renders, that home and tmp are mounted and the binding is `view`.
import { allowAnnotation, annotationReason, isHelmRelease, releaseChart, releaseValues } from '../../charts/release-checks';
import { at, JsonObject, listAt, objectAt } from '../../json';
import { ManifestObject } from '../../policy/finding';
import { CheckContext, CheckProblem, errorCheck, ManifestCheck } from '../../policy/manifest-check';
import { allContainers, podTemplateOf } from '../../policy/pod-spec';
import { imageTag } from '../../policy/image-policy';
import { forbiddenClusterRole } from '../../policy/rbac-policy';
import { HEADLAMP_WRITABLE_PATHS } from './hardened-values';
import { floatingPluginProblems } from './plugins';

/** Name of the Headlamp chart. */
export const HEADLAMP_CHART = 'headlamp';

/** Whether a HelmRelease installs the Headlamp chart. */
export function isHeadlampRelease(obj: ManifestObject): boolean {
  return isHelmRelease(obj) && releaseChart(obj).chart === HEADLAMP_CHART;
}

function writablePathProblems(values: JsonObject): string[] {
  if (at(values, 'securityContext', 'readOnlyRootFilesystem') !== true) return [];
  const volumes = new Set(listAt(values, 'volumes').map((v) => v.name));
  const mounts = listAt(values, 'volumeMounts').filter((m) => volumes.has(m.name));
  const problems: string[] = [];
  for (const [name, path] of Object.entries(HEADLAMP_WRITABLE_PATHS)) {
    const covered = mounts.some((m) => typeof m.mountPath === 'string' && (path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)));
    if (!covered) {
      const symptom = name === 'home' ? `Headlamp crashloops with "mkdir ${path}/.config: read-only file system"` : `Headlamp cannot write its temporary files`;
      problems.push(`values.securityContext.readOnlyRootFilesystem is true but no volume is mounted at ${path}, so ${symptom}: add {name: ${name}, emptyDir: {}} to values.volumes and {name: ${name}, mountPath: ${path}} to values.volumeMounts`);
    }
  }
  return problems;
}

function mountProblems(values: JsonObject): string[] {
  const volumes = new Set(listAt(values, 'volumes').map((v) => v.name));
  return listAt(values, 'volumeMounts').flatMap((mount, i) => (volumes.has(mount.name) ? [] : [
    `values.volumeMounts[${i}] mounts volume ${JSON.stringify(mount.name)}, which is not in values.volumes: add {name: ${JSON.stringify(mount.name)}, emptyDir: {}} to values.volumes, or fix the name`,
  ]));
}

function rbacProblems(values: JsonObject): string[] {
  const binding = at(values, 'clusterRoleBinding');
  if (at(binding, 'create') === false) return [];
  const role = at(binding, 'clusterRoleName');
  const why = typeof role === 'string' ? forbiddenClusterRole(role) : undefined;
  return why ? [`values.clusterRoleBinding.clusterRoleName: ${why}`] : [];
}

function plaintextProblems(values: JsonObject): string[] {
  const secret = at(values, 'config', 'oidc', 'clientSecret');
  return typeof secret === 'string' && secret !== ''
    ? ['values.config.oidc.clientSecret is a secret in plain text in the HelmRelease: leave it empty and use config.oidc.externalSecret with a SOPS-encrypted Secret under secrets/']
    : [];
}

/** An OIDC client secret passed as a flag or an environment variable: as plain as in `config.oidc.clientSecret`. */
function secretArgProblems(values: JsonObject): string[] {
  const args = listStrings(at(values, 'config', 'extraArgs'));
  const fromArgs = args.filter((a) => /^-{1,2}oidc-client-secret(=|$)/.test(a) && !/=\$\(/.test(a)).map(() => 'values.config.extraArgs passes -oidc-client-secret in plain text in the HelmRelease');
  const env = listAt(values, 'env').filter((e) => /OIDC_CLIENT_SECRET|CLIENT_SECRET/i.test(String(e.name)) && typeof e.value === 'string' && e.value !== '')
    .map((e) => `values.env ${String(e.name)} holds the OIDC client secret in plain text in the HelmRelease`);
  return [...fromArgs, ...env].map((p) => `${p}: use config.oidc.externalSecret with a SOPS-encrypted Secret under secrets/`);
}

/** Annotation that records why a Headlamp release may use its ServiceAccount's token for every visitor. */
export const ALLOW_SERVICE_ACCOUNT_TOKEN_ANNOTATION = allowAnnotation('serviceAccountToken');

/** Headlamp settings that widen what the dashboard can reach or run. */
function reachProblems(values: JsonObject, obj: ManifestObject): CheckProblem[] {
  const problems: CheckProblem[] = [];
  if (at(values, 'config', 'unsafeUseServiceAccountToken') === true) {
    const what = 'values.config.unsafeUseServiceAccountToken is true: every visitor of the dashboard acts with its ServiceAccount\'s token, without signing in';
    const reason = annotationReason(obj, ALLOW_SERVICE_ACCOUNT_TOKEN_ANNOTATION);
    problems.push(reason
      ? { severity: 'warning', message: `${what}; allowed: ${reason}` }
      : { severity: 'error', message: `${what}: leave it false and sign in with the login token, or set allow.serviceAccountToken to the reason` });
  }
  const debugImage = at(values, 'config', 'podDebugImage');
  if (typeof debugImage === 'string' && debugImage !== '') {
    const tag = imageTag(debugImage);
    if (tag === undefined || tag === 'latest') problems.push({ severity: 'error', message: `values.config.podDebugImage "${debugImage}" is not pinned (Headlamp runs it in the pods it debugs): pin a version, e.g. "busybox:1.37.0"` });
  }
  return problems;
}

function listStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Value problems of a Headlamp release's final merged values (`obj`, the HelmRelease, carries the opt-ins). */
export function headlampValuesProblems(values: JsonObject, obj: ManifestObject): CheckProblem[] {
  const errors = [...writablePathProblems(values), ...mountProblems(values), ...rbacProblems(values), ...plaintextProblems(values), ...secretArgProblems(values), ...floatingPluginProblems(values)];
  return [...errors.map((message): CheckProblem => ({ severity: 'error', message })), ...reachProblems(values, obj)];
}

const READ_ONLY_VERBS = new Set(['get', 'list', 'watch']);

/**
 * The chart's binding: never a forbidden role; a ClusterRole of the same
 * tree must be read-only (get, list, watch), one from elsewhere is trusted
 * by name, as `view` is.
 */
function bindingViolations(obj: ManifestObject, context: CheckContext): string[] {
  const role = String(objectAt(obj, 'roleRef').name ?? '');
  if (role === '') return ['names no ClusterRole (a null values.clusterRoleBinding.clusterRoleName removes the chart\'s default): set it to "view", or turn the chart\'s binding off'];
  const why = forbiddenClusterRole(role);
  if (why) return [`roleRef (values.clusterRoleBinding.clusterRoleName): ${why}`];
  const own = context.find('ClusterRole', '', role);
  const writes = own === undefined ? [] : listAt(own, 'rules').flatMap((rule) => listStrings(rule.verbs)).filter((v) => !READ_ONLY_VERBS.has(v));
  return writes.length === 0 ? [] : [`binds ClusterRole ${JSON.stringify(role)}, which grants ${[...new Set(writes)].join(', ')}: a dashboard's role only gets, lists and watches; bind "view" or drop those verbs`];
}

/**
 * Checks of what the Headlamp chart renders: under a read-only root the
 * Deployment mounts a volume at each writable path, and the chart's
 * ClusterRoleBinding binds a read-only role.
 */
export function renderedHeadlampViolations(obj: ManifestObject, context: CheckContext): string[] | undefined {
  if (obj.kind === 'ClusterRoleBinding') return bindingViolations(obj, context);
  const template = obj.kind === 'Deployment' ? podTemplateOf(obj) : undefined;
  if (template === undefined) return undefined;
  const volumes = new Set(listAt(template.spec, 'volumes').map((v) => v.name));
  const headlamp = allContainers(template.spec).find((c) => c.name === 'headlamp');
  if (headlamp === undefined) return ['has no container named "headlamp"'];
  // A writable root needs no volumes: Headlamp writes its home and tmp there.
  if (at(headlamp.container, 'securityContext', 'readOnlyRootFilesystem') !== true) return [];
  const mounts = listAt(headlamp.container, 'volumeMounts').filter((m) => volumes.has(m.name));
  return Object.values(HEADLAMP_WRITABLE_PATHS)
    .filter((path) => !mounts.some((m) => m.mountPath === path))
    .map((path) => `container "headlamp" has a read-only root filesystem and mounts no volume at ${path}: add it to values.volumes and values.volumeMounts`);
}

/** Headlamp's checks, registered on the app's Policy by HeadlampStack and by `npm run validate`. */
export const HEADLAMP_CHECKS: readonly ManifestCheck[] = [
  { name: 'headlamp-values', run: (obj, context) => (isHeadlampRelease(obj) ? headlampValuesProblems(releaseValues(obj, context).values, obj) : undefined) },
  errorCheck('headlamp-render', (obj, context) => (context.renderedFrom && isHeadlampRelease(context.renderedFrom) ? renderedHeadlampViolations(obj, context) : undefined)),
];
