// npm run renovate:check
// Runs the real Renovate (44, from npm, installed on first use into the cache
// folder) on Node 24 (the build for this machine, from npm: scripts/node-dist.ts) in offline extract mode over this repository's
// tracked files, and checks that every pin of lib/versions.ts is found with the
// right depName, currentValue, datasource and registryUrl, both in lib/versions.ts
// and in the generated dist/ files, so one Renovate PR bumps both; then the same
// for the renovate.json and main.ts that `flux-helm-apps init` scaffolds in a
// subfolder of a scratch repository, with the dist/ this repository generates.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLOUDFLARED_VERSION, HEADLAMP_CHART_REPOSITORY, HEADLAMP_CHART_VERSION, HEADLAMP_PLUGINCTL_VERSION, HEADLAMP_PLUGINS_NODE_VERSION } from '../lib/versions';
import { cacheDir } from '../lib/cache-dir';
import { init } from '../cli/init';
import { nodeBinary } from './node-dist';

const RENOVATE = 'renovate@44.121.2';
/** Renovate 44 needs Node.js 24. */
const NODE_MAJOR = 24;
const root = resolve(__dirname, '..');
const cache = cacheDir('renovate');
const cli = join(cache, 'node_modules', 'renovate', 'dist', 'renovate.js');

interface Dep { depName: string; currentValue?: string; datasource?: string; registryUrls?: string[] }
interface PackageFile { packageFile: string; deps: Dep[] }

/** What must be extracted: manager, file, depName, version, datasource, registry. */
const EXPECTED: readonly { manager: string; file: string; depName: string; currentValue: string; datasource: string; registryUrl?: string }[] = [
  { manager: 'regex', file: 'lib/versions.ts', depName: 'headlamp', currentValue: HEADLAMP_CHART_VERSION, datasource: 'helm', registryUrl: HEADLAMP_CHART_REPOSITORY },
  { manager: 'flux', file: 'dist/apps/headlamp/release.yaml', depName: 'headlamp', currentValue: HEADLAMP_CHART_VERSION, datasource: 'helm', registryUrl: HEADLAMP_CHART_REPOSITORY },
  { manager: 'regex', file: 'lib/versions.ts', depName: 'cloudflare/cloudflared', currentValue: CLOUDFLARED_VERSION, datasource: 'docker' },
  { manager: 'kubernetes', file: 'dist/apps/headlamp/cloudflared.yaml', depName: 'cloudflare/cloudflared', currentValue: CLOUDFLARED_VERSION, datasource: 'docker' },
  // Plugin pins reach dist/ only when a stack lists plugins, so only their lib/versions.ts entries are expected.
  { manager: 'regex', file: 'lib/versions.ts', depName: 'node', currentValue: HEADLAMP_PLUGINS_NODE_VERSION, datasource: 'docker' },
  { manager: 'regex', file: 'lib/versions.ts', depName: '@headlamp-k8s/pluginctl', currentValue: HEADLAMP_PLUGINCTL_VERSION, datasource: 'npm' },
];

function install(): void {
  if (existsSync(cli)) return;
  console.log(`installing ${RENOVATE} into ${cache} (once)…`);
  mkdirSync(cache, { recursive: true });
  const result = spawnSync('npm', ['install', '--prefix', cache, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', RENOVATE], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install of ${RENOVATE} failed; it needs the npm registry once`);
}

function extract(node: string, repo: string): Record<string, PackageFile[]> {
  const work = mkdtempSync(join(tmpdir(), 'renovate-'));
  try {
    // An empty global config, so no config.js of the caller's leaks in.
    writeFileSync(join(work, 'global.json'), '{}\n');
    const result = spawnSync(node, [cli, '--platform=local', '--dry-run=extract'], {
      cwd: repo,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'debug', RENOVATE_BASE_DIR: work, RENOVATE_CONFIG_FILE: join(work, 'global.json') },
    });
    const records = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string; level?: number; packageFiles?: Record<string, PackageFile[]> });
    const problems = records.filter((r) => (r.level ?? 0) >= 50).map((r) => r.msg);
    const extracted = records.find((r) => r.msg === 'Extracted dependencies');
    if (!extracted?.packageFiles) {
      throw new Error(`renovate logged no "Extracted dependencies" record (exit ${result.status}): renovate.json is probably invalid${problems.length ? `: ${problems.join('; ')}` : ''}`);
    }
    return extracted.packageFiles;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

type Expected = typeof EXPECTED;

/** Compares what Renovate found with what it must find; returns how many were not found as expected. */
function compare(found: Record<string, PackageFile[]>, expected: Expected): number {
  let failed = 0;
  for (const want of expected) {
    const files = found[want.manager] ?? [];
    const dep = files.find((f) => f.packageFile === want.file)?.deps.find((d) => d.depName === want.depName);
    const got = dep ? `${dep.depName} ${dep.currentValue} ${dep.datasource} ${dep.registryUrls?.join(',') ?? ''}`.trim() : 'not found';
    const wanted = `${want.depName} ${want.currentValue} ${want.datasource} ${want.registryUrl ?? ''}`.trim();
    const ok = got === wanted;
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${want.manager.padEnd(10)} ${want.file.padEnd(44)} ${ok ? got : `expected ${wanted}, got ${got}`}`);
  }
  return failed;
}

/** A Git repository with a project scaffolded by init in gitops/headlamp/, its dist/ copied from this repository's. */
function scaffolded(): string {
  const repo = mkdtempSync(join(tmpdir(), 'renovate-scaffold-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.net', ...args], { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  const log = console.log;
  console.log = () => undefined;
  try {
    init(['--path', 'gitops/headlamp'], repo);
  } finally {
    console.log = log;
  }
  cpSync(join(root, 'dist'), join(repo, 'gitops/headlamp/dist'), { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'scaffold');
  return repo;
}

const SCAFFOLD_EXPECTED: Expected = [
  { manager: 'regex', file: 'gitops/headlamp/main.ts', depName: 'headlamp', currentValue: HEADLAMP_CHART_VERSION, datasource: 'helm', registryUrl: HEADLAMP_CHART_REPOSITORY },
  { manager: 'flux', file: 'gitops/headlamp/dist/apps/headlamp/release.yaml', depName: 'headlamp', currentValue: HEADLAMP_CHART_VERSION, datasource: 'helm', registryUrl: HEADLAMP_CHART_REPOSITORY },
];

install();
const node = nodeBinary(NODE_MAJOR);
let failed = compare(extract(node, root), EXPECTED);
console.log('a project made by flux-helm-apps init --path gitops/headlamp:');
const scratch = scaffolded();
try {
  failed += compare(extract(node, scratch), SCAFFOLD_EXPECTED);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (failed > 0) {
  console.error(`renovate:check: ${failed} pin(s) not detected as expected; see renovate.json (or cli/scaffold.ts) and the renovate: comments in lib/versions.ts (or main.ts)`);
  process.exitCode = 1;
}
