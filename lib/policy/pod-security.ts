// Pod Security Standards, `restricted` profile (all baseline and restricted
// controls) as of Kubernetes 1.34, with messages in the admission controller's form.
import { at, isJsonObject, JsonObject, JsonValue, listAt, objectAt } from '../json';
import { ManifestObject } from './finding';
import { PodContainer, allContainers, podTemplateOf } from './pod-spec';

const PREFIX = 'violates PodSecurity "restricted:latest"';

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SECCOMP_RESTRICTED = new Set(['RuntimeDefault', 'Localhost']);
const APPARMOR_TYPES = new Set(['RuntimeDefault', 'Localhost']);

/** `container "a"` or `containers "a", "b"`, as the admission controller writes it. */
function containersPhrase(names: readonly string[]): string {
  return `${names.length === 1 ? 'container' : 'containers'} ${names.map((n) => `"${n}"`).join(', ')}`;
}

function quoteAll(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

/** `singular` for one, `many` otherwise. */
function plural(count: number, singular: string, many: string): string {
  return count === 1 ? singular : many;
}

/** Distinct values, sorted, as the admission controller lists them. */
function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** `pod and containers "a", "b"`: who set a forbidden value. */
function setters(pod: boolean, containerNames: readonly string[], ...more: string[]): string {
  return [pod ? 'pod' : '', containerNames.length ? containersPhrase(containerNames) : '', ...more].filter(Boolean).join(' and ');
}

function sc(c: PodContainer): JsonObject {
  return objectAt(c.container, 'securityContext');
}

type Control = (spec: JsonObject, containers: PodContainer[], annotations: JsonObject) => string | undefined;

// In the admission controller's order: baseline checks, then restricted ones, each
// by check id. At restricted, capabilities_restricted, restrictedVolumes and
// seccompProfile_restricted replace baseline's capabilities, hostPath volumes and
// seccomp checks, so those baseline controls have no message of their own.
const CONTROLS: readonly Control[] = [
  // baseline: appArmorProfile
  (spec, containers, annotations) => {
    const types: string[] = [];
    const podType = at(spec, 'securityContext', 'appArmorProfile', 'type');
    const pod = typeof podType === 'string' && !APPARMOR_TYPES.has(podType);
    if (pod) types.push(podType);
    const names: string[] = [];
    for (const c of containers) {
      const type = at(sc(c), 'appArmorProfile', 'type');
      if (typeof type === 'string' && !APPARMOR_TYPES.has(type)) {
        names.push(c.name);
        types.push(type);
      }
    }
    const forbidden = Object.entries(annotations)
      .filter(([key, value]) => key.startsWith('container.apparmor.security.beta.kubernetes.io/') && typeof value === 'string' && value !== '' && value !== 'runtime/default' && !value.startsWith('localhost/'))
      .map(([key, value]) => `${key}="${String(value)}"`).sort();
    const values = [...sortedSet(types), ...forbidden];
    if (!values.length) return undefined;
    const who = setters(pod, names, ...(forbidden.length ? [plural(forbidden.length, 'annotation', 'annotations')] : []));
    return `${plural(values.length, 'forbidden AppArmor profile', 'forbidden AppArmor profiles')} (${who} must not set AppArmor profile type to ${quoteAll(values)})`;
  },
  // baseline: hostNamespaces
  (spec) => {
    const set = ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => spec[f] === true);
    return set.length ? `host namespaces (${set.map((f) => `${f}=true`).join(', ')})` : undefined;
  },
  // baseline: hostPorts
  (_spec, containers) => {
    const ports: string[] = [];
    const names = containers.filter((c) => {
      const used = listAt(c.container, 'ports').filter((p) => typeof p.hostPort === 'number' && p.hostPort !== 0).map((p) => String(p.hostPort));
      ports.push(...used);
      return used.length > 0;
    }).map((c) => c.name);
    if (!names.length) return undefined;
    const listed = sortedSet(ports);
    return `hostPort (${containersPhrase(names)} ${plural(names.length, 'uses', 'use')} ${plural(listed.length, 'hostPort', 'hostPorts')} ${listed.join(', ')})`;
  },
  // baseline: hostProbesAndHostLifecycle
  (_spec, containers) => {
    const uses: string[] = [];
    for (const c of containers) {
      const handlers = [
        ...['livenessProbe', 'readinessProbe', 'startupProbe'].map((p) => objectAt(c.container, p)),
        ...['postStart', 'preStop'].map((h) => objectAt(c.container, 'lifecycle', h)),
      ];
      for (const handler of handlers) {
        for (const action of ['httpGet', 'tcpSocket']) {
          const host = at(handler, action, 'host');
          if (typeof host === 'string' && host !== '') uses.push(`${containersPhrase([c.name])} uses probe or lifecycle host "${host}"`);
        }
      }
    }
    return uses.length ? `probe or lifecycle host (${uses.join('; ')})` : undefined;
  },
  // baseline: privileged
  (_spec, containers) => {
    const names = containers.filter((c) => sc(c).privileged === true).map((c) => c.name);
    return names.length ? `privileged (${containersPhrase(names)} must not set securityContext.privileged=true)` : undefined;
  },
  // baseline: procMount
  (_spec, containers) => {
    const bad = containers.filter((c) => typeof sc(c).procMount === 'string' && sc(c).procMount !== 'Default');
    return bad.length ? `procMount (${bad.map((c) => `${containersPhrase([c.name])} must not set securityContext.procMount to "${String(sc(c).procMount)}"`).join(', ')})` : undefined;
  },
  // baseline: seLinuxOptions
  (spec, containers) => {
    const types: string[] = [];
    let user = false;
    let role = false;
    const forbidden = (options: JsonValue | undefined): boolean => {
      if (!isJsonObject(options)) return false;
      const type = typeof options.type === 'string' ? options.type : '';
      const badType = !SELINUX_TYPES.has(type);
      if (badType) types.push(type);
      const badUser = typeof options.user === 'string' && options.user !== '';
      const badRole = typeof options.role === 'string' && options.role !== '';
      user ||= badUser;
      role ||= badRole;
      return badType || badUser || badRole;
    };
    const pod = forbidden(at(spec, 'securityContext', 'seLinuxOptions'));
    const names = containers.filter((c) => forbidden(at(sc(c), 'seLinuxOptions'))).map((c) => c.name);
    if (!pod && !names.length) return undefined;
    const listed = sortedSet(types);
    const what = [
      listed.length ? `${plural(listed.length, 'type', 'types')} ${quoteAll(listed)}` : '',
      user ? 'user may not be set' : '',
      role ? 'role may not be set' : '',
    ].filter(Boolean);
    return `seLinuxOptions (${setters(pod, names)} set forbidden securityContext.seLinuxOptions: ${what.join('; ')})`;
  },
  // baseline: sysctls
  (spec) => {
    const bad = listAt(spec, 'securityContext', 'sysctls').map((s) => String(s.name)).filter((name) => !SAFE_SYSCTLS.has(name));
    return bad.length ? `forbidden sysctls (${bad.join(', ')})` : undefined;
  },
  // baseline: windowsHostProcess
  (spec, containers) => {
    const pod = at(spec, 'securityContext', 'windowsOptions', 'hostProcess') === true;
    const names = containers.filter((c) => at(sc(c), 'windowsOptions', 'hostProcess') === true).map((c) => c.name);
    if (!pod && names.length === 0) return undefined;
    return `hostProcess (${setters(pod, names)} must not set securityContext.windowsOptions.hostProcess=true)`;
  },
  // restricted: allowPrivilegeEscalation
  (spec, containers) => {
    if (isWindows(spec)) return undefined;
    const names = containers.filter((c) => sc(c).allowPrivilegeEscalation !== false).map((c) => c.name);
    return names.length ? `allowPrivilegeEscalation != false (${containersPhrase(names)} must set securityContext.allowPrivilegeEscalation=false)` : undefined;
  },
  // restricted: capabilities_restricted
  (spec, containers) => {
    if (isWindows(spec)) return undefined;
    const noDrop = containers.filter((c) => !stringList(at(sc(c), 'capabilities', 'drop')).includes('ALL')).map((c) => c.name);
    const added: string[] = [];
    const adding = containers.filter((c) => {
      const caps = stringList(at(sc(c), 'capabilities', 'add')).filter((cap) => cap !== 'NET_BIND_SERVICE');
      added.push(...caps);
      return caps.length > 0;
    }).map((c) => c.name);
    const bad = [
      noDrop.length ? `${containersPhrase(noDrop)} must set securityContext.capabilities.drop=["ALL"]` : '',
      adding.length ? `${containersPhrase(adding)} must not include ${quoteAll(sortedSet(added))} in securityContext.capabilities.add` : '',
    ].filter(Boolean);
    return bad.length ? `unrestricted capabilities (${bad.join('; ')})` : undefined;
  },
  // restricted: restrictedVolumes
  (spec) => {
    const bad = listAt(spec, 'volumes').map((v) => ({ name: String(v.name), type: Object.keys(v).find((k) => k !== 'name' && v[k] !== null) }))
      .filter((v): v is { name: string; type: string } => v.type !== undefined && !RESTRICTED_VOLUME_TYPES.has(v.type));
    if (!bad.length) return undefined;
    const types = sortedSet(bad.map((v) => v.type));
    return `restricted volume types (${plural(bad.length, 'volume', 'volumes')} ${quoteAll(bad.map((v) => v.name))} ${plural(bad.length, 'uses', 'use')} ${plural(types.length, 'restricted volume type', 'restricted volume types')} ${quoteAll(types)})`;
  },
  // restricted: runAsNonRoot
  (spec, containers) => {
    const pod = at(spec, 'securityContext', 'runAsNonRoot');
    const explicitFalse = containers.filter((c) => sc(c).runAsNonRoot === false).map((c) => c.name);
    if (pod === false || explicitFalse.length) return `runAsNonRoot != true (${setters(pod === false, explicitFalse)} must not set securityContext.runAsNonRoot=false)`;
    const unset = pod === true ? [] : containers.filter((c) => sc(c).runAsNonRoot !== true).map((c) => c.name);
    return unset.length ? `runAsNonRoot != true (pod or ${containersPhrase(unset)} must set securityContext.runAsNonRoot=true)` : undefined;
  },
  // restricted: runAsUser
  (spec, containers) => {
    const bad = [
      at(spec, 'securityContext', 'runAsUser') === 0 ? 'pod must not set runAsUser=0' : '',
      ...containers.filter((c) => sc(c).runAsUser === 0).map((c) => `${containersPhrase([c.name])} must not set runAsUser=0`),
    ].filter(Boolean);
    return bad.length ? `runAsUser=0 (${bad.join('; ')})` : undefined;
  },
  // restricted: seccompProfile_restricted
  (spec, containers) => {
    const typeOf = (options: JsonValue | undefined) => at(options, 'seccompProfile', 'type');
    const podType = typeOf(at(spec, 'securityContext'));
    const pod = typeof podType === 'string' && !SECCOMP_RESTRICTED.has(podType);
    const explicit = containers.filter((c) => typeof typeOf(sc(c)) === 'string' && !SECCOMP_RESTRICTED.has(String(typeOf(sc(c)))));
    if (pod || explicit.length) {
      const values = sortedSet([...(pod ? [String(podType)] : []), ...explicit.map((c) => String(typeOf(sc(c))))]);
      return `seccompProfile (${setters(pod, explicit.map((c) => c.name))} must not set securityContext.seccompProfile.type to ${quoteAll(values)})`;
    }
    if (isWindows(spec) || podType !== undefined) return undefined;
    const unset = containers.filter((c) => typeOf(sc(c)) === undefined).map((c) => c.name);
    return unset.length ? `seccompProfile (pod or ${containersPhrase(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")` : undefined;
  },
];

function stringList(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Windows pods are exempt from the Linux-only restricted controls. */
function isWindows(spec: JsonObject): boolean {
  return at(spec, 'os', 'name') === 'windows';
}

/**
 * Pod Security `restricted` violations of a workload, one message per control
 * (`violates PodSecurity "restricted:latest": <control> (<detail>)`), or
 * undefined when the object runs no pods.
 */
export function podSecurityViolations(obj: ManifestObject): string[] | undefined {
  const template = podTemplateOf(obj);
  if (template === undefined) return undefined;
  const containers = allContainers(template.spec);
  return CONTROLS.map((control) => control(template.spec, containers, template.annotations))
    .filter((m): m is string => m !== undefined)
    .map((m) => `${PREFIX}: ${m}`);
}
