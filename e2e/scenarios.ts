// GitOps scenarios: commits pushed to the scratch repository as a user or Renovate would push
// them, each timed from push to the state it should reach.
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { APP_NAMESPACE, fluxReady, podsReady } from './assertions';
import { CHART_VERSIONS, readFromTgz } from './chart-server';
import { ControlPlane } from './control-plane';
import { gitRepository, latestSnapshot, revisionOf } from './flux';
import { condition, KubeObject } from './kubectl';
import { log } from './log';
import { run, waitFor } from './processes';
import { CheckResult, expectPass, recordError } from './results';
import { commitAndPush, editFile, git, ScratchRepo, WATCHED_BRANCH } from './scratch-repo';

export const RELEASE_FILE = 'dist/apps/headlamp/release.yaml';
export const NEVER_READY = { 'e2e.headlamp-homelab/kwok-stage': 'never-ready' };

export interface Timing { scenario: string; seconds: number; outcome: string }

export const timings: Timing[] = [];

export function printTimings(title: string, rows: Timing[]): void {
  if (rows.length === 0) return;
  const w = Math.max(...rows.map((r) => r.scenario.length), 8);
  const lines = [
    title,
    `  ${'scenario'.padEnd(w)}  push → state  outcome`,
    `  ${'-'.repeat(w)}  ------------  -------`,
    ...rows.map((r) => `  ${r.scenario.padEnd(w)}  ${`${r.seconds.toFixed(1)} s`.padStart(12)}  ${r.outcome}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function headlampRelease(cp: ControlPlane): KubeObject | undefined {
  return cp.kubectl.get(['helmrelease', 'headlamp', '-n', APP_NAMESPACE]);
}

function appVersionOf(archives: string[], version: string): string {
  const archive = archives.find((a) => a.endsWith(`headlamp-${version}.tgz`));
  const chart = archive ? readFromTgz(readFileSync(archive), (n) => /^[^/]+\/Chart\.yaml$/.test(n)) : undefined;
  const appVersion = chart ? /^appVersion:\s*"?([^"\s]+)"?/m.exec(chart)?.[1] : undefined;
  if (!appVersion) throw new Error(`no appVersion for chart ${version}`);
  return appVersion;
}

/** Renovate's edit: the chart version line, and nothing else. */
function setChartVersion(repo: ScratchRepo, from: string, to: string): void {
  editFile(repo, RELEASE_FILE, (text) => {
    const lines = text.split('\n');
    const i = lines.findIndex((l) => new RegExp(`^\\s+version: "?${from.replace(/\./g, '\\.')}"?\\s*$`).test(l));
    if (i < 0) throw new Error(`${RELEASE_FILE}: no "version: ${from}" line`);
    lines[i] = lines[i].replace(from, to);
    return lines.join('\n');
  });
}

/** Waits until the Headlamp release is deployed with `chartVersion` and its pods run the matching image. */
async function releaseAt(cp: ControlPlane, chartVersion: string, appVersion: string, revision: string, timeoutMs: number): Promise<CheckResult> {
  const flux = await fluxReady(cp, timeoutMs, revision);
  if (!flux.ok) return flux;
  const h = headlampRelease(cp);
  const snap = latestSnapshot(h);
  if (snap.chartVersion !== chartVersion || snap.status !== 'deployed') return { ok: false, detail: `release is chart ${snap.chartVersion} (${snap.status}), expected ${chartVersion} deployed` };
  if (snap.appVersion !== appVersion) return { ok: false, detail: `release appVersion ${snap.appVersion}, expected ${appVersion}` };
  const deploy = cp.kubectl.get(['deployment', 'headlamp', '-n', APP_NAMESPACE]);
  const image = String(deploy?.spec?.template?.spec?.containers?.[0]?.image ?? '');
  if (!image.endsWith(`:v${appVersion}`)) return { ok: false, detail: `Deployment headlamp runs ${image}, expected tag v${appVersion}` };
  const pods = await podsReady(cp, 60_000);
  if (!pods.ok) return pods;
  return { ok: true, detail: `Helm release v${snap.version}: chart ${chartVersion}, appVersion ${appVersion}, image ${image}; ${pods.detail}` };
}

async function timed(scenario: string, push: () => string, until: (revision: string) => Promise<CheckResult>): Promise<CheckResult> {
  const start = Date.now();
  const commit = push();
  const result = await until(revisionOf(commit));
  const seconds = (Date.now() - start) / 1000;
  timings.push({ scenario, seconds, outcome: result.ok ? 'as expected' : 'FAILED' });
  expectPass(`scenario: ${scenario}`, { ok: result.ok, detail: `${result.detail} (${seconds.toFixed(1)} s after push)` });
  return result;
}

/** Chart one version back, then Renovate's bump. */
async function chartUpgrade(cp: ControlPlane, repo: ScratchRepo, archives: string[]): Promise<void> {
  const [previous, current] = CHART_VERSIONS;
  await timed(`pin chart ${previous} (one back)`, () => {
    setChartVersion(repo, current, previous);
    return commitAndPush(repo, `headlamp: pin chart ${previous}`);
  }, (rev) => releaseAt(cp, previous, appVersionOf(archives, previous), rev, 180_000));
  await timed(`Renovate bump to ${current}`, () => {
    setChartVersion(repo, previous, current);
    return commitAndPush(repo, `chore(deps): update helm release headlamp to v${current}`);
  }, (rev) => releaseAt(cp, current, appVersionOf(archives, current), rev, 180_000));
}

/**
 * A values change whose pods never become Ready (kwok's never-ready stage, selected by a pod
 * annotation): the upgrade times out, remediation rolls back, the app keeps serving on the
 * previous revision; then the fix recovers it with no manual step.
 */
async function failedUpgrade(cp: ControlPlane, repo: ScratchRepo, archives: string[]): Promise<void> {
  const good = latestSnapshot(headlampRelease(cp));
  const original = readFileSync(join(repo.dir, RELEASE_FILE), 'utf8');
  const start = Date.now();
  editFile(repo, RELEASE_FILE, (text) => {
    const doc = parseDocument(text);
    doc.setIn(['spec', 'values', 'podAnnotations'], doc.createNode(NEVER_READY));
    // Shortened from 5m so that the failing upgrade times out within the CI budget.
    doc.setIn(['spec', 'timeout'], '30s');
    return doc.toString();
  });
  const badCommit = commitAndPush(repo, 'headlamp: values whose pods never become Ready');
  let last = '';
  const rolledBack = await waitFor(() => {
    const h = headlampRelease(cp);
    const remediated = condition(h, 'Remediated');
    const history = (h?.status?.history ?? []) as Array<{ version?: number; status?: string; configDigest?: string; chartVersion?: string }>;
    const failed = history.find((s) => s.status === 'failed' && (s.version ?? 0) > (good.version ?? 0));
    const rollback = history.find((s) => (s.version ?? 0) > (failed?.version ?? Infinity) && s.configDigest === good.configDigest && s.chartVersion === good.chartVersion);
    last = `Remediated=${remediated?.status ?? 'none'} ${remediated?.reason ?? ''}; history ${history.map((s) => `v${s.version}:${s.status}`).join(' ')}`;
    return remediated?.status === 'True' && remediated.reason === 'RollbackSucceeded' && failed && rollback ? { h, failed, rollback } : undefined;
  }, 240_000, 250);
  const seconds = (Date.now() - start) / 1000;
  if (!rolledBack) {
    timings.push({ scenario: 'bad values: rollback', seconds, outcome: 'FAILED' });
    expectPass('scenario: failed upgrade is rolled back', { ok: false, detail: `no rollback within 240 s of the push (${last})` });
  } else {
    // The previous revision keeps serving: every Ready pod of the Deployment runs the old template.
    const pods = cp.kubectl.list(['pods', '-n', APP_NAMESPACE, '-l', 'app.kubernetes.io/name=headlamp']);
    const readyOld = pods.filter((p) => condition(p, 'Ready')?.status === 'True' && !p.metadata.annotations?.['e2e.headlamp-homelab/kwok-stage']);
    const readyBad = pods.filter((p) => condition(p, 'Ready')?.status === 'True' && p.metadata.annotations?.['e2e.headlamp-homelab/kwok-stage']);
    const ready = condition(rolledBack.h, 'Ready');
    const ok = readyOld.length >= 1 && readyBad.length === 0;
    timings.push({ scenario: 'bad values: rollback', seconds, outcome: ok ? 'rolled back' : 'FAILED' });
    expectPass('scenario: failed upgrade is rolled back, previous revision serving', {
      ok,
      detail: `upgrade v${rolledBack.failed.version} failed, rollback v${rolledBack.rollback.version} to the previous values (${rolledBack.rollback.status}); `
        + `${readyOld.length} Ready pod(s) on the previous template, ${readyBad.length} on the bad one; HelmRelease Ready=${ready?.status} (${ready?.reason}) (${seconds.toFixed(1)} s after push of ${badCommit.slice(0, 7)})`,
    });
  }
  await timed('fix pushed: recovers', () => {
    editFile(repo, RELEASE_FILE, () => original);
    return commitAndPush(repo, 'headlamp: revert the values whose pods never become Ready');
  }, async (rev) => {
    const r = await releaseAt(cp, CHART_VERSIONS[1], appVersionOf(archives, CHART_VERSIONS[1]), rev, 240_000);
    if (!r.ok) return r;
    const snap = latestSnapshot(headlampRelease(cp));
    return snap.configDigest === good.configDigest ? r : { ok: false, detail: `recovered, but the values digest ${snap.configDigest} differs from the original ${good.configDigest}` };
  });
}

/**
 * A push to a branch Flux does not watch changes nothing; `npm run doctor`, run in a clone on
 * that branch (its gotk-sync.yaml names the watched branch), says so.
 */
async function unwatchedBranch(cp: ControlPlane, repo: ScratchRepo, workDir: string): Promise<void> {
  const branch = 'feature/more-replicas';
  const laptop = join(workDir, 'laptop');
  git(workDir, ['clone', '--quiet', repo.url, laptop]);
  git(laptop, ['checkout', '--quiet', '-b', branch]);
  const repoBefore = gitRepository(cp);
  const before = repoBefore?.status?.artifact?.revision as string;
  const requestedBefore = repoBefore?.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
  const deployBefore = cp.kubectl.get(['deployment', 'cloudflared', '-n', APP_NAMESPACE]);
  const file = join(laptop, 'dist/apps/headlamp/cloudflared.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/^(\s+replicas:) 2$/m, '$1 3'));
  const start = Date.now();
  git(laptop, ['commit', '--quiet', '-am', 'cloudflared: 3 replicas (on a branch Flux does not watch)']);
  git(laptop, ['push', '--quiet', 'origin', branch]);
  // The push webhook makes Flux fetch now; give it time to (not) act.
  const fetched = await waitFor(() => {
    const g = gitRepository(cp);
    const requested = g?.metadata.annotations?.['reconcile.fluxcd.io/requestedAt'];
    return requested && requested !== requestedBefore && g?.status?.lastHandledReconcileAt === requested ? true : undefined;
  }, 30_000);
  await new Promise((r) => setTimeout(r, 10_000));
  const after = gitRepository(cp)?.status?.artifact?.revision as string;
  const deployAfter = cp.kubectl.get(['deployment', 'cloudflared', '-n', APP_NAMESPACE]);
  const unchanged = after === before && deployAfter?.spec?.replicas === deployBefore?.spec?.replicas && deployAfter?.metadata.generation === deployBefore?.metadata.generation;
  const seconds = (Date.now() - start) / 1000;
  expectPass(`scenario: push to unwatched branch ${branch} changes nothing`, {
    ok: unchanged,
    detail: unchanged
      ? `GitRepository still at ${after.replace(/(sha1:\w{7})\w+/, '$1')}${fetched ? ' after a webhook-triggered fetch' : ''}; cloudflared replicas ${deployAfter?.spec?.replicas}`
      : `changed: revision ${before} → ${after}, replicas ${deployBefore?.spec?.replicas} → ${deployAfter?.spec?.replicas}`,
  });
  // npm run doctor in the clone (node_modules linked from the project).
  symlinkSync(join(__dirname, '..', 'node_modules'), join(laptop, 'node_modules'));
  const doctor = run('npm', ['run', '--silent', 'doctor'], { cwd: laptop, allowFail: true, timeoutMs: 300_000 });
  const out = `${doctor.stdout}${doctor.stderr}`;
  const names = out.includes(`"${WATCHED_BRANCH}"`) && out.includes(`"${branch}"`);
  const branchLine = out.split('\n').find((l) => l.includes(`"${branch}"`))?.trim() ?? '';
  timings.push({ scenario: 'push to unwatched branch', seconds, outcome: unchanged ? 'nothing changed' : 'FAILED' });
  expectPass('scenario: npm run doctor names the watched branch', {
    ok: names && doctor.status !== 0,
    detail: names ? `exit ${doctor.status}: ${branchLine}` : `npm run doctor (exit ${doctor.status}) did not name "${WATCHED_BRANCH}" and "${branch}":\n${out.trim().slice(0, 1500)}`,
  });
}

export async function runScenarios(cp: ControlPlane, repo: ScratchRepo, archives: string[], workDir: string): Promise<void> {
  for (const [name, scenario] of [
    ['chart pin and Renovate bump', () => chartUpgrade(cp, repo, archives)],
    ['failed upgrade, rollback, fix', () => failedUpgrade(cp, repo, archives)],
    ['unwatched branch', () => unwatchedBranch(cp, repo, workDir)],
  ] as const) {
    log(`scenario: ${name}`);
    try {
      await scenario();
    } catch (error) {
      recordError(`scenario: ${name}`, error);
    }
  }
}
