// The four Flux controllers, out of cluster, each on its own loopback ports, with
// RUNTIME_NAMESPACE=flux-system; and the helpers that watch what they do.
//
// source-controller runs under `unshare -m` with a private /etc/hosts bind-mounted over the
// real one, so that for it alone kubernetes-sigs.github.io is 127.0.0.1 (the chart server);
// SSL_CERT_FILE makes it trust the chart server's test CA and nothing else.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binary } from './build';
import { CHART_HOST } from './chart-server';
import { ControlPlane } from './control-plane';
import { condition, isReady, KubeObject } from './kubectl';
import { log } from './log';
import { freePort, startProcess, waitFor } from './processes';
import { WATCHED_BRANCH } from './scratch-repo';

export interface Flux {
  receiverUrl: string;
  webhookToken: string;
}

async function waitHealthy(name: string, healthAddr: string): Promise<void> {
  const ok = await waitFor(async () => {
    const r = await fetch(`http://${healthAddr}/readyz`).catch(() => undefined);
    return r?.ok ? true : undefined;
  }, 60_000, 500);
  if (!ok) throw new Error(`${name} did not report ready on http://${healthAddr}/readyz in 60 s (see ${name}.log)`);
}

export async function startFlux(cp: ControlPlane, chartCa: string): Promise<Flux> {
  const eventsPort = await freePort();
  const receiverPort = await freePort();
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: cp.adminKubeconfig, RUNTIME_NAMESPACE: 'flux-system', ...extra,
  });
  const common = async (): Promise<{ args: string[]; health: string }> => {
    const [metrics, health] = [await freePort(), await freePort()];
    return {
      health: `127.0.0.1:${health}`,
      args: [`--metrics-addr=127.0.0.1:${metrics}`, `--health-addr=127.0.0.1:${health}`, '--watch-all-namespaces=true', '--log-encoding=json', '--log-level=info'],
    };
  };
  const eventsUrl = `--events-addr=http://127.0.0.1:${eventsPort}/`;
  const started: Array<[string, string]> = [];

  const nc = await common();
  startProcess('notification-controller', binary('notification-controller'), [...nc.args, `--events-addr=127.0.0.1:${eventsPort}`, `--receiverAddr=127.0.0.1:${receiverPort}`], { env: env(), logDir: cp.logDir });
  started.push(['notification-controller', nc.health]);

  const sc = await common();
  const storagePort = await freePort();
  const storage = join(cp.dir, 'source-controller-storage');
  mkdirSync(storage, { recursive: true });
  const hosts = join(cp.dir, 'source-controller.hosts');
  writeFileSync(hosts, `127.0.0.1 localhost\n127.0.0.1 ${CHART_HOST}\n`);
  const emptyCertDir = join(cp.dir, 'empty-cert-dir');
  mkdirSync(emptyCertDir, { recursive: true });
  startProcess('source-controller', 'unshare', [
    '--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hosts,
    binary('source-controller'), ...sc.args, eventsUrl,
    `--storage-path=${storage}`, `--storage-addr=127.0.0.1:${storagePort}`, `--storage-adv-addr=127.0.0.1:${storagePort}`,
    '--requeue-dependency=5s',
  ], { env: env({ SSL_CERT_FILE: chartCa, SSL_CERT_DIR: emptyCertDir }), logDir: cp.logDir });
  started.push(['source-controller', sc.health]);

  const kc = await common();
  startProcess('kustomize-controller', binary('kustomize-controller'), [
    ...kc.args, eventsUrl, '--requeue-dependency=5s', '--no-remote-bases=true',
    // A new revision cancels a health check that waits on a broken rollout (otherwise the fix
    // commit waits for the Kustomization's 5 m timeout). Not the default in Flux 2.9.
    '--feature-gates=CancelHealthCheckOnNewRevision=true',
  ], { env: env(), logDir: cp.logDir });
  started.push(['kustomize-controller', kc.health]);

  const hc = await common();
  startProcess('helm-controller', binary('helm-controller'), [...hc.args, eventsUrl, '--requeue-dependency=5s'], { env: env(), logDir: cp.logDir });
  started.push(['helm-controller', hc.health]);

  for (const [name, health] of started) await waitHealthy(name, health);
  log('flux: four controllers ready');
  return { receiverUrl: `http://127.0.0.1:${receiverPort}`, webhookToken: '' };
}

/**
 * What `flux bootstrap` does once the controllers run: the flux-system namespace, the
 * sops-age Secret, then the sync manifests from the repository (after that Flux manages
 * itself). Plus a Receiver that the git server calls on every push, as a Git host's webhook would.
 */
export async function bootstrap(cp: ControlPlane, flux: Flux, clone: string, ageKeyFile: string): Promise<void> {
  const k = cp.kubectl;
  k.run(['create', 'namespace', 'flux-system']);
  k.run(['-n', 'flux-system', 'create', 'secret', 'generic', 'sops-age', `--from-file=age.agekey=${ageKeyFile}`]);
  flux.webhookToken = randomBytes(24).toString('hex');
  k.run(['-n', 'flux-system', 'create', 'secret', 'generic', 'e2e-push-webhook', `--from-literal=token=${flux.webhookToken}`]);
  k.apply(JSON.stringify({
    apiVersion: 'notification.toolkit.fluxcd.io/v1', kind: 'Receiver',
    metadata: { name: 'e2e-git-push', namespace: 'flux-system' },
    spec: { type: 'generic', secretRef: { name: 'e2e-push-webhook' }, resources: [{ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name: 'flux-system' }] },
  }));
  log('bootstrap: kubectl apply -k dist/clusters/homelab/flux-system (from the scratch clone)');
  k.run(['apply', '-k', join(clone, 'dist/clusters/homelab/flux-system')]);
  const path = await waitFor(() => {
    const r = k.get(['receiver', 'e2e-git-push', '-n', 'flux-system']);
    return isReady(r) ? String(r?.status?.webhookPath) : undefined;
  }, 60_000);
  if (!path) throw new Error('the flux-system Receiver did not become Ready in 60 s (notification-controller.log)');
  flux.receiverUrl = `${flux.receiverUrl}${path}`;
}

export const KUSTOMIZATIONS = ['flux-system', 'headlamp-namespace', 'headlamp-secrets', 'headlamp'] as const;

export function revisionOf(commit: string, branch = WATCHED_BRANCH): string {
  return `${branch}@sha1:${commit}`;
}

export function gitRepository(cp: ControlPlane): KubeObject | undefined {
  return cp.kubectl.get(['gitrepository', 'flux-system', '-n', 'flux-system']);
}

export function kustomizations(cp: ControlPlane): KubeObject[] {
  return cp.kubectl.list(['kustomizations.kustomize.toolkit.fluxcd.io', '-A']);
}

export function helmReleases(cp: ControlPlane): KubeObject[] {
  return cp.kubectl.list(['helmreleases.helm.toolkit.fluxcd.io', '-A']);
}

/** One line per Kustomization/HelmRelease that is not Ready (at `revision`, when given). */
export function notReady(cp: ControlPlane, revision?: string): string[] {
  const problems: string[] = [];
  const ks = kustomizations(cp);
  for (const name of KUSTOMIZATIONS) if (!ks.some((k) => k.metadata.name === name)) problems.push(`Kustomization flux-system/${name} does not exist`);
  for (const k of ks) {
    const ready = condition(k, 'Ready');
    const at = k.status?.lastAppliedRevision as string | undefined;
    if (!isReady(k)) problems.push(`Kustomization ${k.metadata.namespace}/${k.metadata.name}: Ready=${ready?.status ?? 'none'} ${ready?.reason ?? ''}: ${(ready?.message ?? '').slice(0, 300)}`);
    else if (revision && at !== revision) problems.push(`Kustomization ${k.metadata.namespace}/${k.metadata.name}: applied ${at}, not ${revision}`);
  }
  const hrs = helmReleases(cp);
  if (hrs.length === 0) problems.push('no HelmRelease exists');
  for (const h of hrs) {
    const ready = condition(h, 'Ready');
    if (!isReady(h)) problems.push(`HelmRelease ${h.metadata.namespace}/${h.metadata.name}: Ready=${ready?.status ?? 'none'} ${ready?.reason ?? ''}: ${(ready?.message ?? '').slice(0, 300)}`);
  }
  return problems;
}

/** The latest Helm release snapshot of a HelmRelease (status.history[0]). */
export function latestSnapshot(h: KubeObject | undefined): { version?: number; status?: string; chartVersion?: string; appVersion?: string; configDigest?: string } {
  return (h?.status?.history?.[0] ?? {}) as { version?: number; status?: string; chartVersion?: string; appVersion?: string; configDigest?: string };
}

/** The Flux controllers' error lines, for a failure message. */
export function controllerErrors(cp: ControlPlane, name: string, lines = 5): string {
  try {
    return readFileSync(join(cp.logDir, `${name}.log`), 'utf8').split('\n').filter((l) => l.includes('"level":"error"')).slice(-lines).map((l) => `    ${l.slice(0, 400)}`).join('\n');
  } catch {
    return '';
  }
}


