// Pod Security Standards, `restricted` profile (all baseline and restricted
// controls) as of Kubernetes 1.34, with messages in the admission controller's form.
import { at, JsonObject, JsonValue, listAt, objectAt } from '../json';
import { ManifestObject } from './finding';
import { PodContainer, allContainers, podTemplateOf } from './pod-spec';

const PREFIX = 'violates PodSecurity "restricted:latest"';

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
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

function sc(c: PodContainer): JsonObject {
  return objectAt(c.container, 'securityContext');
}

type Control = (spec: JsonObject, containers: PodContainer[], annotations: JsonObject) => string | undefined;

const CONTROLS: readonly Control[] = [
  // baseline
  (spec) => {
    const set = ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => spec[f] === true);
    return set.length ? `host namespaces (${set.map((f) => `${f}=true`).join(', ')})` : undefined;
  },
  (spec, containers) => {
    const pod = at(spec, 'securityContext', 'windowsOptions', 'hostProcess') === true;
    const names = containers.filter((c) => at(sc(c), 'windowsOptions', 'hostProcess') === true).map((c) => c.name);
    if (!pod && names.length === 0) return undefined;
    const who = [pod ? 'pod' : '', names.length ? containersPhrase(names) : ''].filter(Boolean).join(' and ');
    return `hostProcess (${who} must not set securityContext.windowsOptions.hostProcess=true)`;
  },
  (_spec, containers) => {
    const names = containers.filter((c) => sc(c).privileged === true).map((c) => c.name);
    return names.length ? `privileged (${containersPhrase(names)} must not set securityContext.privileged=true)` : undefined;
  },
  (_spec, containers) => {
    const bad = containers.map((c) => ({ name: c.name, caps: stringList(at(sc(c), 'capabilities', 'add')).filter((cap) => !BASELINE_CAPABILITIES.has(cap)) }))
      .filter((c) => c.caps.length > 0);
    return bad.length ? `non-default capabilities (${bad.map((c) => `${containersPhrase([c.name])} must not include ${quoteAll(c.caps)} in securityContext.capabilities.add`).join('; ')})` : undefined;
  },
  (spec) => {
    const names = listAt(spec, 'volumes').filter((v) => v.hostPath !== undefined).map((v) => `"${String(v.name)}"`);
    return names.length ? `hostPath volumes (${names.length === 1 ? 'volume' : 'volumes'} ${names.join(', ')})` : undefined;
  },
  (_spec, containers) => {
    const uses = containers.flatMap((c) => listAt(c.container, 'ports').filter((p) => typeof p.hostPort === 'number' && p.hostPort !== 0)
      .map((p) => `${containersPhrase([c.name])} uses hostPort ${String(p.hostPort)}`));
    return uses.length ? `hostPort (${uses.join('; ')})` : undefined;
  },
  (spec, containers, annotations) => {
    const bad: string[] = [];
    for (const [key, value] of Object.entries(annotations)) {
      if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && typeof value === 'string' && value !== '' && value !== 'runtime/default' && !value.startsWith('localhost/')) {
        bad.push(`${key}="${value}"`);
      }
    }
    const podType = at(spec, 'securityContext', 'appArmorProfile', 'type');
    if (typeof podType === 'string' && !APPARMOR_TYPES.has(podType)) bad.push(`pod must not set securityContext.appArmorProfile.type to "${podType}"`);
    for (const c of containers) {
      const type = at(sc(c), 'appArmorProfile', 'type');
      if (typeof type === 'string' && !APPARMOR_TYPES.has(type)) bad.push(`${containersPhrase([c.name])} must not set securityContext.appArmorProfile.type to "${type}"`);
    }
    return bad.length ? `forbidden AppArmor profile (${bad.join(', ')})` : undefined;
  },
  (spec, containers) => {
    const bad: string[] = [];
    const check = (who: string, options: JsonValue | undefined) => {
      const type = at(options, 'type');
      const problems = [
        typeof type === 'string' && !SELINUX_TYPES.has(type) ? `type "${type}"` : '',
        typeof at(options, 'user') === 'string' && at(options, 'user') !== '' ? `user "${String(at(options, 'user'))}"` : '',
        typeof at(options, 'role') === 'string' && at(options, 'role') !== '' ? `role "${String(at(options, 'role'))}"` : '',
      ].filter(Boolean);
      if (problems.length) bad.push(`${who} set forbidden securityContext.seLinuxOptions: ${problems.join('; ')}`);
    };
    check('pod', at(spec, 'securityContext', 'seLinuxOptions'));
    for (const c of containers) check(containersPhrase([c.name]), at(sc(c), 'seLinuxOptions'));
    return bad.length ? `seLinuxOptions (${bad.join(', ')})` : undefined;
  },
  (_spec, containers) => {
    const bad = containers.filter((c) => typeof sc(c).procMount === 'string' && sc(c).procMount !== 'Default');
    return bad.length ? `procMount (${bad.map((c) => `${containersPhrase([c.name])} must not set securityContext.procMount to "${String(sc(c).procMount)}"`).join(', ')})` : undefined;
  },
  (spec) => {
    const bad = listAt(spec, 'securityContext', 'sysctls').map((s) => String(s.name)).filter((name) => !SAFE_SYSCTLS.has(name));
    return bad.length ? `forbidden sysctls (${bad.join(', ')})` : undefined;
  },
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
  // restricted
  (spec) => {
    const bad = listAt(spec, 'volumes').map((v) => ({ name: String(v.name), type: Object.keys(v).find((k) => k !== 'name' && v[k] !== null) }))
      .filter((v) => v.type !== undefined && !RESTRICTED_VOLUME_TYPES.has(v.type));
    return bad.length ? `restricted volume types (${bad.map((v) => `volume "${v.name}" uses restricted volume type "${v.type}"`).join(', ')})` : undefined;
  },
  (spec, containers) => {
    if (isWindows(spec)) return undefined;
    const names = containers.filter((c) => sc(c).allowPrivilegeEscalation !== false).map((c) => c.name);
    return names.length ? `allowPrivilegeEscalation != false (${containersPhrase(names)} must set securityContext.allowPrivilegeEscalation=false)` : undefined;
  },
  (spec, containers) => {
    const pod = at(spec, 'securityContext', 'runAsNonRoot');
    const explicitFalse = containers.filter((c) => sc(c).runAsNonRoot === false).map((c) => c.name);
    const unset = pod === true ? [] : containers.filter((c) => sc(c).runAsNonRoot !== true && sc(c).runAsNonRoot !== false).map((c) => c.name);
    const bad = [
      pod === false ? 'pod must not set securityContext.runAsNonRoot=false' : '',
      explicitFalse.length ? `${containersPhrase(explicitFalse)} must not set securityContext.runAsNonRoot=false` : '',
      unset.length ? `pod or ${containersPhrase(unset)} must set securityContext.runAsNonRoot=true` : '',
    ].filter(Boolean);
    return bad.length ? `runAsNonRoot != true (${bad.join('; ')})` : undefined;
  },
  (spec, containers) => {
    const bad = [
      at(spec, 'securityContext', 'runAsUser') === 0 ? 'pod must not set runAsUser=0' : '',
      ...containers.filter((c) => sc(c).runAsUser === 0).map((c) => `${containersPhrase([c.name])} must not set runAsUser=0`),
    ].filter(Boolean);
    return bad.length ? `runAsUser=0 (${bad.join('; ')})` : undefined;
  },
  (spec, containers) => {
    const podType = at(spec, 'securityContext', 'seccompProfile', 'type');
    const bad: string[] = [];
    if (typeof podType === 'string' && !SECCOMP_RESTRICTED.has(podType)) bad.push(`pod must not set securityContext.seccompProfile.type to "${podType}"`);
    const explicit = containers.filter((c) => typeof at(sc(c), 'seccompProfile', 'type') === 'string' && !SECCOMP_RESTRICTED.has(String(at(sc(c), 'seccompProfile', 'type'))));
    for (const c of explicit) bad.push(`${containersPhrase([c.name])} must not set securityContext.seccompProfile.type to "${String(at(sc(c), 'seccompProfile', 'type'))}"`);
    if (!isWindows(spec) && podType === undefined) {
      const unset = containers.filter((c) => at(sc(c), 'seccompProfile', 'type') === undefined).map((c) => c.name);
      if (unset.length) bad.push(`pod or ${containersPhrase(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
    }
    return bad.length ? `seccompProfile (${bad.join('; ')})` : undefined;
  },
  (spec, containers) => {
    if (isWindows(spec)) return undefined;
    const noDrop = containers.filter((c) => !stringList(at(sc(c), 'capabilities', 'drop')).includes('ALL')).map((c) => c.name);
    const adds = containers.map((c) => ({ name: c.name, caps: stringList(at(sc(c), 'capabilities', 'add')).filter((cap) => cap !== 'NET_BIND_SERVICE') }))
      .filter((c) => c.caps.length > 0);
    const bad = [
      noDrop.length ? `${containersPhrase(noDrop)} must set securityContext.capabilities.drop=["ALL"]` : '',
      ...adds.map((c) => `${containersPhrase([c.name])} must not include ${quoteAll(c.caps)} in securityContext.capabilities.add`),
    ].filter(Boolean);
    return bad.length ? `unrestricted capabilities (${bad.join('; ')})` : undefined;
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
