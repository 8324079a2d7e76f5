// npm run e2e: builds (or reuses) the pinned binaries, starts a control plane and Flux on
// 127.0.0.1, bootstraps the committed dist/ through a local Git server, then runs the
// assertions, the GitOps scenarios and the negative tests. Ends every process it started
// and deletes its temp dir (E2E_KEEP=1 keeps it); the build cache stays.
// Last line: "N passed, N failed"; exit 1 when anything failed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  dryRunDist, fluxReady, headlampApiAccess, loginKubeconfig, loginToken, noFailedCreate, podsReady, podSecurityEnforced, tokenPermissions, tunnelSecretMatches,
} from './assertions';
import { buildAll, CACHE_ROOT } from './build';
import { CHART_HOST, findChartArchives, startChartServer } from './chart-server';
import { allowedArchitectures, apiGet, ControlPlane, installCrds, startControlPlane } from './control-plane';
import { bootstrap, controllerErrors, revisionOf, startFlux, Flux } from './flux';
import { startGitServer } from './git-server';
import { kubectlBinary } from './kubectl';
import { elapsed, log } from './log';
import { runNegatives, negativeTimings } from './negatives';
import { makeCa, makeCert } from './pki';
import { deadProcesses, killAllSync, registerTempDir, stopAll } from './processes';
import { expectPass, failures, recordError, summary } from './results';
import { printTimings, runScenarios, timings } from './scenarios';
import { createScratchRepo, pushHead } from './scratch-repo';
import { KUBERNETES_VERSION } from './versions';

const PROJECT_ROOT = resolve(__dirname, '..');
/** Bootstrap limit: from the first push to every Kustomization and HelmRelease Ready. */
const BOOTSTRAP_LIMIT_MS = 240_000;

/** The CRD fixtures must be the files their README lists (SHA-256). */
function verifyCrdFixtures(): void {
  const dir = join(__dirname, 'fixtures', 'crds');
  const sums = [...readFileSync(join(dir, 'README.md'), 'utf8').matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)];
  if (sums.length === 0) throw new Error('e2e/fixtures/crds/README.md lists no SHA-256 sums');
  for (const [, sum, file] of sums) {
    const actual = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
    if (actual !== sum) throw new Error(`e2e/fixtures/crds/${file}: SHA-256 ${actual}, README says ${sum}`);
  }
}

/** What the run needs from the machine, checked before the long build. */
function preflight(): void {
  const missing = ['go', 'git', 'openssl', 'unshare', 'mount', 'tar'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) throw new Error(`not on PATH: ${missing.join(', ')} (the e2e needs Go with the module proxy, git, openssl and util-linux)`);
  if (process.getuid?.() !== 0) throw new Error('the e2e must run as root: the chart server listens on 127.0.0.1:443 and source-controller runs in its own mount namespace');
}

async function main(): Promise<void> {
  preflight();
  verifyCrdFixtures();
  const buildSeconds = await buildAll();
  const tmp = mkdtempSync(join(tmpdir(), 'headlamp-e2e-'));
  if (process.env.E2E_KEEP !== '1') registerTempDir(tmp);
  log(`run dir ${tmp}${process.env.E2E_KEEP === '1' ? ' (kept: E2E_KEEP=1)' : ''}`);
  let cp: ControlPlane | undefined;
  try {
    cp = await startControlPlane(join(tmp, 'cluster'), kubectlBinary(PROJECT_ROOT), allowedArchitectures(PROJECT_ROOT));
    await runAll(cp, tmp);
  } finally {
    if (failures().length > 0 && cp) {
      const keep = join(CACHE_ROOT, 'logs', 'last-failed-run');
      rmSync(keep, { recursive: true, force: true });
      mkdirSync(keep, { recursive: true });
      cpSync(cp.logDir, keep, { recursive: true });
      log(`logs of the failed run copied to ${keep}`);
    }
  }
  if (buildSeconds > 0) log(`(the build took ${buildSeconds} s of this run)`);
}

async function runAll(cp: ControlPlane, tmp: string): Promise<void> {
  const version = await apiGet(cp.server, cp.ca.cert, '/version', { cert: join(cp.dir, 'pki', 'admin.crt'), key: join(cp.dir, 'pki', 'admin.key') });
  const gitVersion = version.status === 200 ? (JSON.parse(version.body) as { gitVersion: string }).gitVersion : `HTTP ${version.status}`;
  expectPass('control plane: /version', { ok: gitVersion === KUBERNETES_VERSION, detail: `gitVersion ${gitVersion} (expected ${KUBERNETES_VERSION})` });
  installCrds(cp);

  const pki = join(cp.dir, 'pki');
  const chartCa = makeCa(pki, 'chart-ca', 'e2e chart repository CA');
  const chartCert = makeCert(pki, chartCa, 'chart-server', `/CN=${CHART_HOST}`, 'server', `DNS:${CHART_HOST}`);
  const archives = findChartArchives(PROJECT_ROOT);
  await startChartServer(archives, chartCert, chartCa.cert, cp.logDir);
  const flux: Flux = await startFlux(cp, chartCa.cert);
  const webhookFile = join(tmp, 'push-webhook.url');
  const git = await startGitServer(join(tmp, 'git'), cp.logDir, webhookFile);

  const keys = join(tmp, 'keys');
  mkdirSync(keys, { recursive: true });
  const repo = createScratchRepo(PROJECT_ROOT, join(tmp, 'git'), join(tmp, 'work'), git.url, keys);
  const bootStart = Date.now();
  const commit = pushHead(repo);
  await bootstrap(cp, flux, repo.dir, repo.ageKey.file);
  writeFileSync(webhookFile, flux.receiverUrl);
  const boot = await fluxReady(cp, BOOTSTRAP_LIMIT_MS, revisionOf(commit));
  const bootSeconds = (Date.now() - bootStart) / 1000;
  timings.push({ scenario: 'bootstrap (dist/ as committed)', seconds: bootSeconds, outcome: boot.ok ? 'Ready' : 'FAILED' });
  if (!expectPass(`bootstrap: every Kustomization and HelmRelease Ready within ${BOOTSTRAP_LIMIT_MS / 1000} s`, boot)) {
    for (const c of ['source-controller', 'kustomize-controller', 'helm-controller']) {
      const errors = controllerErrors(cp, c);
      if (errors) log(`${c} errors:\n${errors}`);
    }
  }

  expectPass('every pod Running and Ready', await podsReady(cp));
  expectPass('no FailedCreate event', await noFailedCreate(cp, 0));
  expectPass('PodSecurity enforced: privileged pod refused in namespace headlamp', podSecurityEnforced(cp));
  expectPass('server-side dry-run of every object in dist/', dryRunDist(cp, PROJECT_ROOT));
  const login = await loginToken(cp);
  expectPass('headlamp-login-token filled by the token controller', login.result);
  let loginConfig: string | undefined;
  if (login.token && login.ca) {
    const caFile = join(cp.dir, 'login-ca.crt');
    writeFileSync(caFile, login.ca);
    loginConfig = loginKubeconfig(cp, login.token, caFile);
    const perms = tokenPermissions(cp, loginConfig);
    expectPass('login token: get pods allowed', perms.getPods);
    expectPass('login token: get secrets Forbidden', perms.getSecrets);
    expectPass('login token: delete pod Forbidden', perms.deletePod);
    expectPass('login token: create Forbidden', perms.create);
    expectPass('login token: Headlamp-style bearer GETs of /api/v1/namespaces and /apis', await headlampApiAccess(cp, login.token, caFile));
  }
  expectPass('decrypted tunnel Secret equals the plaintext the test encrypted', tunnelSecretMatches(cp, repo.tunnelPlaintext));

  if (boot.ok) {
    await runScenarios(cp, repo, archives, join(tmp, 'work'));
    await runNegatives(cp, repo, loginConfig, keys);
  } else {
    recordError('scenarios and negative tests', new Error('not run: the bootstrap did not become Ready'));
  }
  const dead = deadProcesses();
  expectPass('every control-plane and Flux process still running', { ok: dead.length === 0, detail: dead.length ? `exited: ${dead.join(', ')}` : 'none exited' });
  printTimings('Bootstrap and scenarios (push → state):', timings);
  printTimings('Negative tests (push → caught, revert → healthy):', negativeTimings);
}

let finished = false;
async function finish(code?: number): Promise<void> {
  if (finished) return;
  finished = true;
  await stopAll();
  const { passed, failed } = summary();
  log(`done in ${elapsed().toFixed(0)} s`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(code ?? (failed > 0 ? 1 : 0));
}

process.on('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping every process this run started`);
    recordError('run', new Error(`interrupted by ${signal}`));
    void finish(130);
  });
}

main().then(() => finish(), (error: Error) => {
  recordError('e2e run', error);
  if (error.stack && process.env.E2E_DEBUG) console.error(error.stack);
  return finish();
});
