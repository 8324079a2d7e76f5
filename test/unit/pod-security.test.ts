// Pod Security `restricted` (Kubernetes 1.34): each control is shown to fire on a
// crafted pod, in the admission controller's words, and to pass on a compliant one.
// Cases follow the shape of the upstream pod-security-admission test data: one
// compliant pod, then one change per control. Expected messages are those of the
// upstream evaluator (k8s.io/pod-security-admission v0.34.13) for the same pods; the
// upstream fixtures themselves are run in pod-security-upstream.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeadlampInstall, ManifestObject } from '../../lib';
import { podSecurityViolations } from '../../lib/policy/pod-security';
import { synthStack } from '../helpers';

type Mutable = Record<string, any>;

function pod(edit: (spec: Mutable) => void = () => undefined, kind = 'Pod'): ManifestObject {
  const spec: Mutable = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    initContainers: [{ name: 'init', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }],
    volumes: [{ name: 'cache', emptyDir: {} }, { name: 'config', configMap: { name: 'c' } }],
  };
  edit(spec);
  const base = { apiVersion: 'v1', kind, metadata: { name: 'p', namespace: 'n' } };
  if (kind === 'Pod') return { ...base, spec } as unknown as ManifestObject;
  if (kind === 'CronJob') return { ...base, apiVersion: 'batch/v1', spec: { jobTemplate: { spec: { template: { spec } } } } } as unknown as ManifestObject;
  return { ...base, apiVersion: 'apps/v1', spec: { template: { spec } } } as unknown as ManifestObject;
}

const app = (s: Mutable) => s.containers[0];
const init = (s: Mutable) => s.initContainers[0];

const CASES: [string, (s: Mutable) => void, RegExp][] = [
  ['hostNetwork', (s) => { s.hostNetwork = true; }, /^violates PodSecurity "restricted:latest": host namespaces \(hostNetwork=true\)$/],
  ['hostPID and hostIPC', (s) => { s.hostPID = true; s.hostIPC = true; }, /host namespaces \(hostPID=true, hostIPC=true\)/],
  ['hostProcess', (s) => { app(s).securityContext.windowsOptions = { hostProcess: true }; }, /hostProcess \(container "app" must not set securityContext\.windowsOptions\.hostProcess=true\)/],
  ['privileged', (s) => { app(s).securityContext.privileged = true; }, /privileged \(container "app" must not set securityContext\.privileged=true\)/],
  // At restricted, baseline's capabilities and hostPath checks are replaced by the restricted ones.
  ['baseline capabilities', (s) => { init(s).securityContext.capabilities.add = ['SYS_ADMIN']; }, /^violates PodSecurity "restricted:latest": unrestricted capabilities \(container "init" must not include "SYS_ADMIN" in securityContext\.capabilities\.add\)$/],
  ['hostPath volume', (s) => { s.volumes.push({ name: 'host', hostPath: { path: '/' } }); }, /^violates PodSecurity "restricted:latest": restricted volume types \(volume "host" uses restricted volume type "hostPath"\)$/],
  ['hostPort', (s) => { app(s).ports = [{ containerPort: 80, hostPort: 8080 }]; }, /hostPort \(container "app" uses hostPort 8080\)/],
  ['AppArmor field', (s) => { s.securityContext.appArmorProfile = { type: 'Unconfined' }; }, /forbidden AppArmor profile \(pod must not set AppArmor profile type to "Unconfined"\)/],
  ['AppArmor fields of pod and containers', (s) => { s.securityContext.appArmorProfile = { type: 'Unconfined' }; app(s).securityContext.appArmorProfile = { type: 'Unconfined' }; init(s).securityContext.appArmorProfile = { type: 'Other' }; },
    /forbidden AppArmor profiles \(pod and containers "init", "app" must not set AppArmor profile type to "Other", "Unconfined"\)/],
  ['SELinux type', (s) => { app(s).securityContext.seLinuxOptions = { type: 'spc_t' }; }, /seLinuxOptions \(container "app" set forbidden securityContext\.seLinuxOptions: type "spc_t"\)/],
  ['SELinux user and role', (s) => { s.securityContext.seLinuxOptions = { user: 'root', role: 'r' }; }, /seLinuxOptions \(pod set forbidden securityContext\.seLinuxOptions: user may not be set; role may not be set\)/],
  ['SELinux on pod and containers', (s) => { s.securityContext.seLinuxOptions = { user: 'root', role: 'r' }; app(s).securityContext.seLinuxOptions = { type: 'spc_t' }; init(s).securityContext.seLinuxOptions = { type: 'a_t', role: 'x' }; },
    /seLinuxOptions \(pod and containers "init", "app" set forbidden securityContext\.seLinuxOptions: types "a_t", "spc_t"; user may not be set; role may not be set\)/],
  ['procMount', (s) => { app(s).securityContext.procMount = 'Unmasked'; }, /procMount \(container "app" must not set securityContext\.procMount to "Unmasked"\)/],
  ['sysctls', (s) => { s.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '1' }]; }, /forbidden sysctls \(kernel\.msgmax\)$/],
  ['probe host', (s) => { app(s).livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } }; }, /probe or lifecycle host \(container "app" uses probe or lifecycle host "10\.0\.0\.1"\)/],
  ['lifecycle host', (s) => { app(s).lifecycle = { preStop: { tcpSocket: { host: 'example.com', port: 1 } } }; }, /probe or lifecycle host \(container "app" uses probe or lifecycle host "example\.com"\)/],
  ['restricted volume type', (s) => { s.volumes.push({ name: 'nfs', nfs: { server: 's', path: '/' } }); }, /restricted volume types \(volume "nfs" uses restricted volume type "nfs"\)/],
  ['allowPrivilegeEscalation unset', (s) => { delete init(s).securityContext.allowPrivilegeEscalation; }, /^violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "init" must set securityContext\.allowPrivilegeEscalation=false\)$/],
  ['runAsNonRoot unset', (s) => { delete s.securityContext.runAsNonRoot; }, /runAsNonRoot != true \(pod or containers "init", "app" must set securityContext\.runAsNonRoot=true\)/],
  ['runAsNonRoot false', (s) => { app(s).securityContext.runAsNonRoot = false; }, /runAsNonRoot != true \(container "app" must not set securityContext\.runAsNonRoot=false\)/],
  ['runAsNonRoot false on pod and container', (s) => { s.securityContext.runAsNonRoot = false; app(s).securityContext.runAsNonRoot = false; }, /runAsNonRoot != true \(pod and container "app" must not set securityContext\.runAsNonRoot=false\)$/],
  ['runAsUser 0', (s) => { s.securityContext.runAsUser = 0; }, /runAsUser=0 \(pod must not set runAsUser=0\)/],
  ['seccomp unset', (s) => { delete s.securityContext.seccompProfile; }, /seccompProfile \(pod or containers "init", "app" must set securityContext\.seccompProfile\.type to "RuntimeDefault" or "Localhost"\)/],
  ['seccomp Unconfined', (s) => { app(s).securityContext.seccompProfile = { type: 'Unconfined' }; }, /seccompProfile \(container "app" must not set securityContext\.seccompProfile\.type to "Unconfined"\)/],
  ['seccomp on pod and containers', (s) => { s.securityContext.seccompProfile = { type: 'Unconfined' }; app(s).securityContext.seccompProfile = { type: 'Unconfined' }; init(s).securityContext.seccompProfile = { type: 'Other' }; },
    /seccompProfile \(pod and containers "init", "app" must not set securityContext\.seccompProfile\.type to "Other", "Unconfined"\)$/],
  ['hostPorts of two containers', (s) => { app(s).ports = [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 12345 }]; init(s).ports = [{ containerPort: 80, hostPort: 8080 }]; },
    /hostPort \(containers "init", "app" use hostPorts 12345, 8080\)/],
  ['capabilities not dropped', (s) => { app(s).securityContext.capabilities.drop = ['NET_RAW']; }, /unrestricted capabilities \(container "app" must set securityContext\.capabilities\.drop=\["ALL"\]\)/],
  ['restricted capability add', (s) => { app(s).securityContext.capabilities.add = ['CHOWN']; }, /unrestricted capabilities \(container "app" must not include "CHOWN" in securityContext\.capabilities\.add\)/],
  ['capabilities of two containers', (s) => { app(s).securityContext.capabilities.add = ['SYS_ADMIN', 'NET_BIND_SERVICE']; init(s).securityContext.capabilities = { add: ['CHOWN'] }; },
    /unrestricted capabilities \(container "init" must set securityContext\.capabilities\.drop=\["ALL"\]; containers "init", "app" must not include "CHOWN", "SYS_ADMIN" in securityContext\.capabilities\.add\)/],
  ['restricted volumes', (s) => { s.volumes.push({ name: 'nfs', nfs: { server: 's', path: '/' } }, { name: 'host', hostPath: { path: '/' } }, { name: 'host2', hostPath: { path: '/x' } }); },
    /restricted volume types \(volumes "nfs", "host", "host2" use restricted volume types "hostPath", "nfs"\)/],
  ['ephemeral container', (s) => { s.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36', securityContext: { capabilities: { drop: ['ALL'] } } }]; }, /allowPrivilegeEscalation != false \(container "debug" must set/],
];

describe('podSecurityViolations', () => {
  it('passes a compliant pod, and ignores objects that run no pods', () => {
    assert.deepEqual(podSecurityViolations(pod()), []);
    assert.equal(podSecurityViolations({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }), undefined);
  });

  for (const [control, edit, message] of CASES) {
    it(`fires on ${control}`, () => {
      const found = podSecurityViolations(pod(edit)) ?? [];
      assert.ok(found.some((m) => message.test(m)), `expected ${message} in:\n${found.join('\n')}`);
    });
  }

  it('reports baseline capabilities and hostPath volumes only under the restricted controls that replace them', () => {
    const found = podSecurityViolations(pod((s) => { init(s).securityContext.capabilities.add = ['SYS_ADMIN']; s.volumes.push({ name: 'host', hostPath: { path: '/' } }); }));
    assert.deepEqual(found, [
      'violates PodSecurity "restricted:latest": unrestricted capabilities (container "init" must not include "SYS_ADMIN" in securityContext.capabilities.add)',
      'violates PodSecurity "restricted:latest": restricted volume types (volume "host" uses restricted volume type "hostPath")',
    ]);
  });

  it('finds the pod template of every workload kind', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']) {
      assert.match((podSecurityViolations(pod((s) => { s.hostNetwork = true; }, kind)) ?? []).join(), /host namespaces/, kind);
    }
  });

  it('checks AppArmor annotations on the pod template', () => {
    const obj = pod(undefined, 'Deployment') as unknown as Mutable;
    obj.spec.template.metadata = { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } };
    assert.match(podSecurityViolations(obj as ManifestObject)!.join(), /forbidden AppArmor profile \(annotation must not set AppArmor profile type to "container\.apparmor\.security\.beta\.kubernetes\.io\/app="unconfined""\)/);
  });

  it('exempts Windows pods from the Linux-only controls', () => {
    const windows = pod((s) => { s.os = { name: 'windows' }; delete s.securityContext.seccompProfile; delete app(s).securityContext.capabilities; });
    assert.deepEqual(podSecurityViolations(windows), []);
  });

  it('passes every workload of the default stack, in both install modes', () => {
    for (const install of [HeadlampInstall.HELM, HeadlampInstall.RAW]) {
      const workloads = synthStack({ install }).objects.filter((o) => ['Deployment'].includes(o.kind));
      assert.ok(workloads.length >= 1);
      for (const w of workloads) assert.deepEqual(podSecurityViolations(w as unknown as ManifestObject), [], `${install}: ${w.metadata.name}`);
    }
  });
});
