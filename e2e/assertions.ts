// The checks, each returning ok + a message that says what is wrong. The same functions
// serve the positive assertions and the negative tests (which expect them to fail).
import { parseAllDocuments } from 'yaml';
import { apiGet, ControlPlane, tokenKubeconfig } from './control-plane';
import { notReady } from './flux';
import { condition, Kubectl, KubeObject } from './kubectl';
import { run, waitFor } from './processes';
import { CheckResult } from './results';
import { TUNNEL_SECRET } from './scratch-repo';

export const APP_NAMESPACE = 'headlamp';
export const LOGIN_TOKEN_SECRET = 'headlamp-login-token';

/** Every Flux Kustomization and HelmRelease Ready (at `revision`, when given) within `timeoutMs`. */
export async function fluxReady(cp: ControlPlane, timeoutMs: number, revision?: string): Promise<CheckResult> {
  const start = Date.now();
  let last: string[] = [];
  const ok = await waitFor(() => {
    last = notReady(cp, revision);
    return last.length === 0 ? true : undefined;
  }, timeoutMs, 1000);
  const seconds = ((Date.now() - start) / 1000).toFixed(1);
  return ok
    ? { ok: true, detail: `all Kustomizations and HelmReleases Ready${revision ? ` at ${revision.replace(/sha1:(\w{7})\w+/, 'sha1:$1')}` : ''} after ${seconds} s (limit ${timeoutMs / 1000} s)` }
    : { ok: false, detail: `not Ready within ${timeoutMs / 1000} s:\n${last.join('\n')}` };
}

/** Every pod Running and Ready, and every Deployment fully rolled out. */
export async function podsReady(cp: ControlPlane, timeoutMs = 60_000): Promise<CheckResult> {
  let problems: string[] = [];
  let count = 0;
  await waitFor(() => {
    const pods = cp.kubectl.list(['pods', '-A']);
    count = pods.length;
    problems = pods.filter((p) => p.status?.phase !== 'Running' || condition(p, 'Ready')?.status !== 'True')
      .map((p) => `pod ${p.metadata.namespace}/${p.metadata.name}: phase ${p.status?.phase}, Ready=${condition(p, 'Ready')?.status ?? 'none'}`);
    for (const d of cp.kubectl.list(['deployments', '-A'])) {
      const want = d.spec?.replicas ?? 1;
      if ((d.status?.readyReplicas ?? 0) !== want || (d.status?.updatedReplicas ?? 0) !== want) {
        problems.push(`deployment ${d.metadata.namespace}/${d.metadata.name}: ${d.status?.readyReplicas ?? 0}/${want} ready, ${d.status?.updatedReplicas ?? 0} updated`);
      }
    }
    if (pods.length === 0) problems.push('no pods at all');
    return problems.length === 0 ? true : undefined;
  }, timeoutMs, 1000);
  return problems.length === 0 ? { ok: true, detail: `${count} pods Running and Ready` } : { ok: false, detail: problems.join('\n') };
}

function eventTime(e: KubeObject): number {
  const t = (e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp) as string | undefined;
  return t ? Date.parse(t) : 0;
}

/** No FailedCreate event since `since` (the controllers could not create a pod: PodSecurity, quota, …). */
export async function noFailedCreate(cp: ControlPlane, since: number, settleMs = 0): Promise<CheckResult> {
  let events: KubeObject[] = [];
  const found = await waitFor(() => {
    events = cp.kubectl.list(['events', '-A', '--field-selector', 'reason=FailedCreate']).filter((e) => eventTime(e) >= since - 1000);
    return events.length > 0 ? true : undefined;
  }, settleMs, 1000);
  if (!found) return { ok: true, detail: 'no FailedCreate event' };
  const inv = (e: KubeObject): string => { const o = e.involvedObject as { kind: string; namespace: string; name: string }; return `${o.kind} ${o.namespace}/${o.name}`; };
  const shown = events.slice(0, 2).map((e) => `FailedCreate on ${inv(e)}: ${String(e.message).slice(0, 240)}`);
  return { ok: false, detail: [...shown, ...(events.length > 2 ? [`… ${events.length} FailedCreate events in all`] : [])].join('\n') };
}

/** Negative control: a privileged pod in the app namespace must be refused by PodSecurity. */
export function podSecurityEnforced(cp: ControlPlane): CheckResult {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'e2e-privileged-probe', namespace: APP_NAMESPACE },
    spec: { containers: [{ name: 'probe', image: 'busybox:1.36', securityContext: { privileged: true } }] },
  };
  const r = cp.kubectl.run(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(pod), allowFail: true });
  if (r.status === 0) return { ok: false, detail: `a privileged pod was accepted in namespace ${APP_NAMESPACE}: PodSecurity is not enforced` };
  if (!/violates PodSecurity "restricted/.test(r.stderr)) return { ok: false, detail: `the privileged pod was refused, but not by PodSecurity restricted: ${r.stderr.trim()}` };
  return { ok: true, detail: `refused: ${r.stderr.trim().replace(/^Error from server \(Forbidden\): (error when creating "STDIN": )?/, '').slice(0, 160)}…` };
}

/** `kubectl apply --server-side --dry-run=server` of every object in dist/ as committed. */
export function dryRunDist(cp: ControlPlane, projectRoot: string): CheckResult {
  const files = run('git', ['-C', projectRoot, 'ls-files', 'dist']).stdout.split('\n').filter((f) => /\.ya?ml$/.test(f));
  const failures: string[] = [];
  let objects = 0;
  for (const file of files) {
    const text = run('git', ['-C', projectRoot, 'show', `HEAD:${file}`]).stdout;
    const docs = parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && typeof o === 'object');
    // kustomization.yaml files are kustomize's input, not API objects.
    const apiObjects = docs.filter((o) => o.apiVersion !== 'kustomize.config.k8s.io/v1beta1');
    if (apiObjects.length === 0) continue;
    objects += apiObjects.length;
    const r = cp.kubectl.run(['apply', '--server-side', '--dry-run=server', '--force-conflicts', '--field-manager=e2e-dry-run', '-f', '-'], { input: text, allowFail: true });
    if (r.status !== 0) failures.push(`${file}: ${r.stderr.trim()}`);
  }
  return failures.length === 0
    ? { ok: true, detail: `${objects} objects in ${files.length} files accepted` }
    : { ok: false, detail: failures.join('\n') };
}

/** The login token Secret filled in by the controller-manager's token controller; the token. */
export async function loginToken(cp: ControlPlane): Promise<{ result: CheckResult; token?: string; ca?: string }> {
  const secret = await waitFor(() => {
    const s = cp.kubectl.get(['secret', LOGIN_TOKEN_SECRET, '-n', APP_NAMESPACE]);
    return s?.data?.token && s.data['ca.crt'] ? s : undefined;
  }, 30_000);
  if (!secret?.data) return { result: { ok: false, detail: `secret ${APP_NAMESPACE}/${LOGIN_TOKEN_SECRET} has no token after 30 s (is the serviceaccount-token controller running with the SA key?)` } };
  const token = Buffer.from(secret.data.token, 'base64').toString();
  const ca = Buffer.from(secret.data['ca.crt'], 'base64').toString();
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, string>;
  const sub = payload.sub ?? payload['kubernetes.io/serviceaccount/service-account.name'];
  return { result: { ok: true, detail: `token for ${sub}` }, token, ca };
}

function forbidden(r: { status: number; stderr: string }): boolean {
  return r.status !== 0 && /forbidden/i.test(r.stderr);
}

/** Read-only login: get pods works; get secrets, delete pod and every create are Forbidden. */
export function tokenPermissions(cp: ControlPlane, kubeconfig: string): Record<'getPods' | 'getSecrets' | 'deletePod' | 'create', CheckResult> {
  const k = new Kubectl(cp.kubectl.binary, kubeconfig);
  const pods = k.run(['get', 'pods', '-A', '-o', 'name'], { allowFail: true });
  const podName = cp.kubectl.list(['pods', '-n', APP_NAMESPACE])[0]?.metadata.name ?? 'headlamp-0';
  const secrets = k.run(['get', 'secrets', '-n', APP_NAMESPACE], { allowFail: true });
  const del = k.run(['delete', 'pod', podName, '-n', APP_NAMESPACE, '--dry-run=server'], { allowFail: true });
  const creates = [
    ['create', 'configmap', 'e2e-probe', '-n', APP_NAMESPACE, '--dry-run=server'],
    ['create', 'secret', 'generic', 'e2e-probe', '-n', APP_NAMESPACE, '--dry-run=server'],
    ['create', 'namespace', 'e2e-probe', '--dry-run=server'],
    ['create', 'clusterrolebinding', 'e2e-probe', '--clusterrole=cluster-admin', '--user=x', '--dry-run=server'],
  ].map((args) => ({ args, r: k.run(args, { allowFail: true }) }));
  // Every rule the token has: apart from the self-reviews every authenticated user may create, no write verb.
  const list = k.run(['auth', 'can-i', '--list', '-n', APP_NAMESPACE], { allowFail: true });
  const writeRules = list.stdout.split('\n').slice(1).filter((line) => /\[[^\]]*\b(create|update|patch|delete|deletecollection|escalate|bind|impersonate|\*)\b[^\]]*\]\s*$/.test(line))
    .filter((line) => !/^self\w+reviews\.(authorization|authentication)\.k8s\.io\s/.test(line.trim()));
  const allowedCreates = creates.filter((c) => !forbidden(c.r));
  return {
    getPods: pods.status === 0
      ? { ok: true, detail: `${pods.stdout.trim().split('\n').filter(Boolean).length} pods listed` }
      : { ok: false, detail: `kubectl get pods -A with the login token failed: ${pods.stderr.trim()}` },
    getSecrets: forbidden(secrets)
      ? { ok: true, detail: 'Forbidden' }
      : { ok: false, detail: secrets.status === 0 ? `the login token can read Secrets in ${APP_NAMESPACE}:\n${secrets.stdout.trim()}` : `unexpected error: ${secrets.stderr.trim()}` },
    deletePod: forbidden(del)
      ? { ok: true, detail: 'Forbidden' }
      : { ok: false, detail: del.status === 0 ? `the login token may delete pod ${APP_NAMESPACE}/${podName}` : `unexpected error: ${del.stderr.trim()}` },
    create: allowedCreates.length === 0 && writeRules.length === 0
      ? { ok: true, detail: `${creates.length} creates Forbidden; auth can-i --list shows no write verb` }
      : { ok: false, detail: [...allowedCreates.map((c) => `allowed or unexpected: kubectl ${c.args.join(' ')}: ${(c.r.stderr || c.r.stdout).trim()}`), ...writeRules.map((l) => `write rule: ${l.trim()}`)].join('\n') },
  };
}

/** The tunnel Secret in the cluster holds exactly the plaintext the test encrypted. */
export function tunnelSecretMatches(cp: ControlPlane, plaintext: Record<string, string>): CheckResult {
  const s = cp.kubectl.get(['secret', TUNNEL_SECRET.name, '-n', TUNNEL_SECRET.namespace]);
  if (!s) return { ok: false, detail: `secret ${TUNNEL_SECRET.namespace}/${TUNNEL_SECRET.name} does not exist` };
  const data = s.data ?? {};
  const keys = Object.keys(data).sort();
  const wantKeys = Object.keys(plaintext).sort();
  if (keys.join(',') !== wantKeys.join(',')) return { ok: false, detail: `keys ${keys.join(', ')}; expected ${wantKeys.join(', ')}` };
  const diff = wantKeys.filter((k) => Buffer.from(data[k], 'base64').toString() !== plaintext[k]);
  return diff.length === 0
    ? { ok: true, detail: `${wantKeys.join(', ')} equal the plaintext that was encrypted` }
    : { ok: false, detail: `${diff.join(', ')} differ from the plaintext the test encrypted (decryption did not apply the committed Secret)` };
}

/** The login token works against the API the way Headlamp uses it: bearer-token GETs. */
export async function headlampApiAccess(cp: ControlPlane, token: string, caFile: string): Promise<CheckResult> {
  const problems: string[] = [];
  const details: string[] = [];
  for (const [path, kind] of [['/api/v1/namespaces', 'NamespaceList'], ['/apis', 'APIGroupList'], ['/api/v1/pods', 'PodList']] as const) {
    const r = await apiGet(cp.server, caFile, path, { token });
    const got = r.status === 200 ? (JSON.parse(r.body) as { kind?: string }).kind : undefined;
    if (r.status !== 200 || got !== kind) problems.push(`GET ${path}: HTTP ${r.status} ${got ?? r.body.slice(0, 200)}`);
    else details.push(`${path} ${r.status} ${kind}`);
  }
  const secrets = await apiGet(cp.server, caFile, `/api/v1/namespaces/${APP_NAMESPACE}/secrets`, { token });
  if (secrets.status !== 403) problems.push(`GET /api/v1/namespaces/${APP_NAMESPACE}/secrets: HTTP ${secrets.status}, expected 403`);
  else details.push('secrets 403');
  return problems.length === 0 ? { ok: true, detail: details.join(', ') } : { ok: false, detail: problems.join('\n') };
}

/** The token's kubeconfig (server + CA from the token Secret + bearer token). */
export function loginKubeconfig(cp: ControlPlane, token: string, caFile: string): string {
  return tokenKubeconfig(cp, token, caFile, 'headlamp-login');
}


