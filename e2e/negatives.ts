// Negative tests: a generated object made unsafe is pushed as a commit to the scratch
// repository; the e2e's own check must FAIL on it (proof the check catches it); then the
// commit is reverted and the cluster must come back.
import { parseAllDocuments, parseDocument } from 'yaml';
import { APP_NAMESPACE, fluxReady, noFailedCreate, podsReady, tokenPermissions, tunnelSecretMatches } from './assertions';
import { ControlPlane } from './control-plane';
import { kustomizations, revisionOf } from './flux';
import { condition } from './kubectl';
import { log } from './log';
import { waitFor } from './processes';
import { CheckResult, expectCaught, expectPass, recordError } from './results';
import { commitAndPush, editFile, git, newAgeKey, pushHead, ScratchRepo, SECRETS_DIR, TUNNEL_SECRET, tunnelPlaintext, writeEncryptedTunnelSecret } from './scratch-repo';
import { Timing } from './scenarios';

export const negativeTimings: Timing[] = [];

/** Edits every YAML document of a multi-document file through `edit(doc)`. */
function editDocs(repo: ScratchRepo, path: string, edit: (obj: { kind?: string; metadata?: { name?: string } }, doc: ReturnType<typeof parseDocument>) => void): void {
  editFile(repo, path, (text) => {
    const docs = parseAllDocuments(text);
    for (const d of docs) edit(d.toJS() ?? {}, d as unknown as ReturnType<typeof parseDocument>);
    return docs.map((d) => d.toString()).join('---\n');
  });
}

/** Reverts HEAD, pushes, and checks that everything is Ready again. */
async function restore(cp: ControlPlane, repo: ScratchRepo, name: string, recheck?: () => CheckResult): Promise<void> {
  const start = Date.now();
  git(repo.dir, ['revert', '--no-edit', 'HEAD']);
  const rev = revisionOf(pushHead(repo));
  const ready = await fluxReady(cp, 240_000, rev);
  let pods = ready.ok ? await podsReady(cp, 60_000) : ready;
  if (pods.ok && recheck) {
    const again = recheck();
    pods = again.ok ? { ok: true, detail: `${pods.detail}; ${again.detail}` } : again;
  }
  negativeTimings.push({ scenario: `${name}: revert`, seconds: (Date.now() - start) / 1000, outcome: pods.ok ? 'restored' : 'FAILED' });
  expectPass(`negative ${name}: reverted, cluster healthy again`, { ok: pods.ok, detail: pods.ok ? `${ready.detail}; ${pods.detail}` : pods.detail });
}

/** A privileged cloudflared container: PodSecurity refuses its pods, so FailedCreate appears. */
async function privilegedCloudflared(cp: ControlPlane, repo: ScratchRepo): Promise<void> {
  const since = Date.now();
  editDocs(repo, 'dist/apps/headlamp/cloudflared.yaml', (obj, doc) => {
    if (obj.kind !== 'Deployment') return;
    // privileged implies privilege escalation (the API refuses privileged with allowPrivilegeEscalation: false)
    doc.setIn(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'], true);
    doc.setIn(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'allowPrivilegeEscalation'], true);
  });
  const commit = commitAndPush(repo, 'cloudflared: privileged (unsafe, negative test)');
  const applied = await waitFor(() => {
    const d = cp.kubectl.get(['deployment', 'cloudflared', '-n', APP_NAMESPACE]);
    return d?.spec?.template?.spec?.containers?.[0]?.securityContext?.privileged === true ? true : undefined;
  }, 120_000);
  if (!applied) throw new Error(`the privileged Deployment (${commit.slice(0, 7)}) was not applied within 120 s`);
  const result = await noFailedCreate(cp, since, 60_000);
  negativeTimings.push({ scenario: 'privileged cloudflared: caught', seconds: (Date.now() - since) / 1000, outcome: result.ok ? 'NOT CAUGHT' : 'caught' });
  expectCaught('negative privileged cloudflared: no FailedCreate event', result);
  await restore(cp, repo, 'privileged cloudflared');
}

/** The login binding points at `edit`: the token can read Secrets. */
async function loginBindingEdit(cp: ControlPlane, repo: ScratchRepo, loginKubeconfig: string): Promise<void> {
  const since = Date.now();
  editDocs(repo, 'dist/apps/headlamp/rbac.yaml', (obj, doc) => {
    // rbac.yaml also binds Headlamp's own ServiceAccount (headlamp-view): edit the login's binding only.
    if (obj.kind !== 'ClusterRoleBinding' || obj.metadata?.name !== 'headlamp-login-view') return;
    // roleRef is immutable: a generator binding `edit` writes a binding of its own name.
    doc.setIn(['metadata', 'name'], 'headlamp-login-edit');
    doc.setIn(['roleRef', 'name'], 'edit');
  });
  const commit = commitAndPush(repo, 'headlamp login: bind edit (unsafe, negative test)');
  const applied = await waitFor(() => cp.kubectl.get(['clusterrolebinding', 'headlamp-login-edit']) ? true : undefined, 120_000);
  if (!applied) throw new Error(`the edit binding (${commit.slice(0, 7)}) was not applied within 120 s`);
  const result = tokenPermissions(cp, loginKubeconfig).getSecrets;
  negativeTimings.push({ scenario: 'login bound to edit: caught', seconds: (Date.now() - since) / 1000, outcome: result.ok ? 'NOT CAUGHT' : 'caught' });
  expectCaught('negative login bound to edit: login token cannot get secrets', result);
  await restore(cp, repo, 'login bound to edit', () => tokenPermissions(cp, loginKubeconfig).getSecrets);
}

/** The tunnel Secret re-encrypted (with new values) for an age key the cluster does not have. */
async function wrongAgeKey(cp: ControlPlane, repo: ScratchRepo, keyDir: string): Promise<void> {
  const since = Date.now();
  const wrong = newAgeKey(keyDir, 'wrong');
  const rotated = tunnelPlaintext(repo.dir);
  writeEncryptedTunnelSecret(repo.dir, rotated, wrong.publicKey);
  const commit = commitAndPush(repo, `${SECRETS_DIR}: re-encrypt for another age key (negative test)`);
  const rev = revisionOf(commit);
  const attempted = await waitFor(() => {
    const k = kustomizations(cp).find((x) => x.metadata.name === 'headlamp-secrets');
    return k?.status?.lastAttemptedRevision === rev && condition(k, 'Ready')?.status === 'False' ? true : undefined;
  }, 120_000);
  if (!attempted) log('negative wrong age key: headlamp-secrets did not report a failed attempt within 120 s');
  const secret = tunnelSecretMatches(cp, rotated);
  expectCaught(`negative wrong age key: ${TUNNEL_SECRET.namespace}/${TUNNEL_SECRET.name} equals the committed plaintext`, secret);
  const ready = await fluxReady(cp, 15_000, rev);
  negativeTimings.push({ scenario: 'wrong age key: caught', seconds: (Date.now() - since) / 1000, outcome: secret.ok || ready.ok ? 'NOT CAUGHT' : 'caught' });
  expectCaught('negative wrong age key: every Kustomization Ready', ready);
  await restore(cp, repo, 'wrong age key', () => tunnelSecretMatches(cp, repo.tunnelPlaintext));
}

export async function runNegatives(cp: ControlPlane, repo: ScratchRepo, loginKubeconfig: string | undefined, keyDir: string): Promise<void> {
  const tests: Array<[string, () => Promise<void>]> = [
    ['privileged cloudflared', () => privilegedCloudflared(cp, repo)],
    ['login bound to edit', async () => {
      if (!loginKubeconfig) throw new Error('no login token (an earlier assertion failed), so this check cannot run');
      await loginBindingEdit(cp, repo, loginKubeconfig);
    }],
    ['wrong age key', () => wrongAgeKey(cp, repo, keyDir)],
  ];
  for (const [name, test] of tests) {
    log(`negative: ${name}`);
    try {
      await test();
    } catch (error) {
      recordError(`negative ${name}`, error);
    }
  }
}
