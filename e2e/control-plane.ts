// A Kubernetes control plane on 127.0.0.1 only: etcd, kube-apiserver (RBAC, the default
// admission plugins, PodSecurity included), kube-controller-manager, kube-scheduler, and
// kwok as the kubelet of one fake node per architecture the committed manifests allow.
import https from 'node:https';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { binary } from './build';
import { Kubectl } from './kubectl';
import { log } from './log';
import { KeyPair, makeCa, makeCert, makeServiceAccountKey } from './pki';
import { freePort, run, startProcess, waitFor } from './processes';

export interface ControlPlane {
  server: string;
  ca: KeyPair;
  adminKubeconfig: string;
  kubectl: Kubectl;
  /** Where the run keeps logs and state. */
  dir: string;
  logDir: string;
}

/** Used when no manifest in dist/ restricts kubernetes.io/arch. */
const DEFAULT_ARCHITECTURES = ['amd64', 'arm64'];

/** The architectures the committed manifests allow: every value of a `kubernetes.io/arch` In expression in dist/. */
export function allowedArchitectures(projectRoot: string): string[] {
  const found = new Set<string>();
  const files = run('git', ['-C', projectRoot, 'ls-files', 'dist']).stdout.split('\n').filter((f) => /\.ya?ml$/.test(f));
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.key === 'kubernetes.io/arch' && o.operator === 'In' && Array.isArray(o.values)) o.values.forEach((v) => found.add(String(v)));
    Object.values(o).forEach(visit);
  };
  for (const file of files) {
    for (const doc of parseAllDocuments(run('git', ['-C', projectRoot, 'show', `HEAD:${file}`]).stdout)) visit(doc.toJS());
  }
  return found.size > 0 ? [...found].sort() : DEFAULT_ARCHITECTURES;
}

function kubeconfig(server: string, caFile: string, user: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name: 'e2e', user }],
    contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'e2e' } }],
    'current-context': 'e2e',
  }, null, 2);
}

/** GET `path` from the API server with the admin client certificate; the status code (0 when unreachable). */
export function apiGet(server: string, ca: string, path: string, auth: { cert?: string; key?: string; token?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = https.get(`${server}${path}`, {
      ca: readFileSync(ca),
      cert: auth.cert ? readFileSync(auth.cert) : undefined,
      key: auth.key ? readFileSync(auth.key) : undefined,
      headers: auth.token ? { Authorization: `Bearer ${auth.token}` } : {},
      timeout: 5000,
    }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.on('timeout', () => { req.destroy(); });
  });
}

export async function startControlPlane(dir: string, kubectlBinary: string, architectures: string[]): Promise<ControlPlane> {
  const logDir = join(dir, 'logs');
  const pki = join(dir, 'pki');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(pki, { recursive: true });

  log('control plane: certificates (openssl)');
  const ca = makeCa(pki, 'ca', 'headlamp-homelab-e2e-ca');
  const serving = makeCert(pki, ca, 'apiserver', '/CN=kube-apiserver', 'server',
    'IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local');
  const admin = makeCert(pki, ca, 'admin', '/O=system:masters/CN=e2e-admin', 'client');
  const sa = makeServiceAccountKey(pki);

  const [etcdClient, etcdPeer, apiPort, kcmPort, schedPort, kwokPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const server = `https://127.0.0.1:${apiPort}`;
  const adminKubeconfig = join(dir, 'admin.kubeconfig');
  writeFileSync(adminKubeconfig, kubeconfig(server, ca.cert, { 'client-certificate': admin.cert, 'client-key': admin.key }));

  startProcess('etcd', binary('etcd'), [
    '--name=e2e', `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=e2e=http://127.0.0.1:${etcdPeer}`, '--unsafe-no-fsync', '--log-level=warn',
  ], { logDir });

  startProcess('kube-apiserver', binary('kube-apiserver'), [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
    `--tls-cert-file=${serving.cert}`, `--tls-private-key-file=${serving.key}`, `--client-ca-file=${ca.cert}`,
    '--authorization-mode=Node,RBAC',
    // Admission: the defaults (PodSecurity, ServiceAccount, NamespaceLifecycle, …), none disabled.
    '--allow-privileged=true', // as on k3s/kubeadm: PodSecurity, not this flag, must refuse privileged pods
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${sa.pub}`, `--service-account-signing-key-file=${sa.key}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    '--endpoint-reconciler-type=none', // the "kubernetes" Endpoints may not point at a loopback address
    '--profiling=false', '--v=1',
  ], { logDir });

  log('control plane: waiting for kube-apiserver /readyz');
  const ready = await waitFor(async () => ((await apiGet(server, ca.cert, '/readyz', admin)).status === 200 ? true : undefined), 90_000, 500);
  if (!ready) throw new Error(`kube-apiserver did not become ready in 90 s (see ${join(logDir, 'kube-apiserver.log')})`);

  startProcess('kube-controller-manager', binary('kube-controller-manager'), [
    `--kubeconfig=${adminKubeconfig}`, `--authentication-kubeconfig=${adminKubeconfig}`, `--authorization-kubeconfig=${adminKubeconfig}`,
    '--bind-address=127.0.0.1', `--secure-port=${kcmPort}`, `--cert-dir=${join(dir, 'kcm-certs')}`,
    '--leader-elect=false', '--use-service-account-credentials=true',
    // Default controller set: replicaset, deployment, serviceaccount-token, clusterrole-aggregation, namespace, garbage collector, …
    '--controllers=*',
    `--root-ca-file=${ca.cert}`, `--service-account-private-key-file=${sa.key}`,
    '--cluster-name=e2e', '--v=1',
  ], { logDir });

  startProcess('kube-scheduler', binary('kube-scheduler'), [
    `--kubeconfig=${adminKubeconfig}`, `--authentication-kubeconfig=${adminKubeconfig}`, `--authorization-kubeconfig=${adminKubeconfig}`,
    '--bind-address=127.0.0.1', `--secure-port=${schedPort}`, `--cert-dir=${join(dir, 'scheduler-certs')}`,
    '--leader-elect=false', '--v=1',
  ], { logDir });

  startProcess('kwok', binary('kwok'), [
    `--kubeconfig=${adminKubeconfig}`, `--config=${join(__dirname, 'fixtures', 'kwok-stages.yaml')}`,
    '--manage-all-nodes=false', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--cidr=10.244.0.0/16', '--node-ip=10.0.0.1', `--server-address=127.0.0.1:${kwokPort}`,
    '--node-lease-duration-seconds=40',
  ], { logDir });

  const kubectl = new Kubectl(kubectlBinary, adminKubeconfig);
  log(`control plane: fake nodes (${architectures.join(', ')})`);
  kubectl.apply(architectures.map((arch) => JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `kwok-${arch}`,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': `kwok-${arch}`, type: 'kwok' },
    },
    spec: {},
    // What a real node reports: kwok keeps a status set on create, and pods that request
    // ephemeral storage (cloudflared, Headlamp) only schedule on a node that has some.
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '64Gi' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '64Gi' },
    },
  })).join('\n'));
  const nodesReady = await waitFor(() => {
    const nodes = kubectl.list(['nodes']);
    return nodes.length === architectures.length && nodes.every((n) => (n.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')) ? true : undefined;
  }, 60_000);
  if (!nodesReady) throw new Error('kwok nodes did not become Ready in 60 s (see kwok.log)');
  // Namespaced service accounts (default, …) are created by the controller-manager: proof it runs.
  const sa0 = await waitFor(() => kubectl.get(['serviceaccount', 'default', '-n', 'default']), 60_000);
  if (!sa0) throw new Error('kube-controller-manager did not create the default ServiceAccount in 60 s (see kube-controller-manager.log)');
  log('control plane: ready');
  return { server, ca, adminKubeconfig, kubectl, dir, logDir };
}

/** A kubeconfig that authenticates with a bearer token (as Headlamp's login does). */
export function tokenKubeconfig(cp: ControlPlane, token: string, caFile: string, name: string): string {
  const file = join(cp.dir, `${name}.kubeconfig`);
  writeFileSync(file, kubeconfig(cp.server, caFile, { token }));
  return file;
}

/** Applies the Flux and Traefik CRDs from e2e/fixtures/crds and waits until they are established. */
export function installCrds(cp: ControlPlane): void {
  const crdDir = join(__dirname, 'fixtures', 'crds');
  log('control plane: Flux and Traefik CRDs');
  cp.kubectl.run(['apply', '--server-side', '-R', '-f', crdDir], { timeoutMs: 120_000 });
  cp.kubectl.run(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
}
