// Builds every binary the end-to-end run needs from the Go module proxy, pinned
// (e2e/versions.ts) and cached outside the repository:
//
//   ~/.cache/flux-helm-apps/e2e/bin/<component>-<version>/<binary>   (E2E_CACHE overrides the root)
//   ~/.cache/flux-helm-apps/e2e/wrap/<component>-<version>/go.mod    (generated wrapper module)
//   ~/.cache/flux-helm-apps/e2e/go/{mod,build}                        (GOMODCACHE, GOCACHE)
//
// Kubernetes, etcd and the Flux controllers cannot be `go install`ed at a version: their
// go.mod files carry `replace` directives. For each, a wrapper module is generated that
// requires the component and copies its non-local replaces, read at build time from the
// component's own go.mod (`go mod download -json` → GoMod). Local replaces are dropped,
// except Kubernetes' `./staging/src/k8s.io/*`, which map to the published k8s.io/* modules.
// kwok, sops and age are plain `go install`s.
//
// Run alone: node --import tsx e2e/build.ts
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as v from './versions';
import { log } from './log';

export const CACHE_ROOT = process.env.E2E_CACHE ?? join(homedir(), '.cache', 'flux-helm-apps', 'e2e');

interface WrappedComponent {
  kind: 'wrapped';
  name: string;
  module: string;
  version: string;
  /** binary name → main package path */
  mains: Record<string, string>;
  ldflags?: string;
  /** Maps a local replace target (e.g. ./staging/src/k8s.io/api) to a published module version, or undefined to drop it. */
  mapLocal?: (from: string, to: string) => string | undefined;
}

interface InstalledComponent {
  kind: 'install';
  name: string;
  version: string;
  /** go install patterns, each `<path>@<version>` */
  patterns: string[];
  binaries: string[];
}

type Component = WrappedComponent | InstalledComponent;

const k8sLdflags = [
  `-X k8s.io/component-base/version.gitVersion=${v.KUBERNETES_VERSION}`,
  `-X k8s.io/component-base/version.gitMajor=1`,
  `-X k8s.io/component-base/version.gitMinor=${v.KUBERNETES_VERSION.split('.')[1]}`,
  `-X k8s.io/component-base/version.gitTreeState=clean`,
].join(' ');

export const COMPONENTS: Component[] = [
  {
    kind: 'wrapped', name: 'etcd', module: 'go.etcd.io/etcd/server/v3', version: v.ETCD_VERSION,
    mains: { etcd: 'go.etcd.io/etcd/server/v3' },
  },
  {
    kind: 'wrapped', name: 'kubernetes', module: 'k8s.io/kubernetes', version: v.KUBERNETES_VERSION,
    mains: {
      'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
      'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
      'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
    },
    ldflags: k8sLdflags,
    mapLocal: (from, to) => to.startsWith('./staging/src/k8s.io/') ? `${from} ${v.KUBERNETES_STAGING_VERSION}` : undefined,
  },
  { kind: 'install', name: 'kwok', version: v.KWOK_VERSION, patterns: [`sigs.k8s.io/kwok/cmd/kwok@${v.KWOK_VERSION}`], binaries: ['kwok'] },
  ...([
    ['source-controller', v.SOURCE_CONTROLLER_VERSION],
    ['kustomize-controller', v.KUSTOMIZE_CONTROLLER_VERSION],
    ['helm-controller', v.HELM_CONTROLLER_VERSION],
    ['notification-controller', v.NOTIFICATION_CONTROLLER_VERSION],
  ] as const).map(([name, version]): Component => ({
    kind: 'wrapped', name, module: `github.com/fluxcd/${name}`, version, mains: { [name]: `github.com/fluxcd/${name}` },
  })),
  { kind: 'install', name: 'sops', version: v.SOPS_VERSION, patterns: [`github.com/getsops/sops/v3/cmd/sops@${v.SOPS_VERSION}`], binaries: ['sops'] },
  { kind: 'install', name: 'age', version: v.AGE_VERSION, patterns: [`filippo.io/age/cmd/...@${v.AGE_VERSION}`], binaries: ['age', 'age-keygen'] },
];

function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: join(CACHE_ROOT, 'go', 'mod'),
    GOCACHE: join(CACHE_ROOT, 'go', 'build'),
    GOFLAGS: '-mod=mod -buildvcs=false',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOWORK: 'off',
    ...extra,
  };
}

function binDir(c: Component): string {
  return join(CACHE_ROOT, 'bin', `${c.name}-${c.version}`);
}

/** Absolute path of a built binary, e.g. binary('kube-apiserver'). */
export function binary(name: string): string {
  const c = COMPONENTS.find((x) => (x.kind === 'wrapped' ? Object.keys(x.mains) : x.binaries).includes(name));
  if (!c) throw new Error(`no component builds ${name}`);
  return join(binDir(c), name);
}

function isBuilt(c: Component): boolean {
  return existsSync(join(binDir(c), '.complete'));
}

/** Runs a go command under `nice -n 10`, printing a heartbeat with the package count every 30 s. */
function go(label: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('nice', ['-n', '10', 'go', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let packages = 0;
    const tail: string[] = [];
    const onLine = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        if (/^[\w.~-]+(\/[\w.~+-]+)*$/.test(line)) packages++;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on('data', onLine);
    child.stderr.on('data', onLine);
    const start = Date.now();
    const timer = setInterval(() => log(`  ${label}: ${Math.round((Date.now() - start) / 1000)} s, ${packages} packages`), 30_000);
    child.on('error', (e) => { clearInterval(timer); reject(e); });
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) {
        if (packages > 0) log(`  ${label}: ${packages} packages in ${Math.round((Date.now() - start) / 1000)} s`);
        resolve();
      }
      else reject(new Error(`${label}: go ${args.join(' ')} failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
}

/** The component's own go.mod, as published on the module proxy. */
function upstreamGoMod(c: WrappedComponent, env: NodeJS.ProcessEnv, cwd: string): string {
  const r = spawnSync('go', ['mod', 'download', '-json', `${c.module}@${c.version}`], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`go mod download ${c.module}@${c.version} failed: ${r.stdout}${r.stderr}`);
  const info = JSON.parse(r.stdout) as { GoMod?: string; Error?: string };
  if (info.Error || !info.GoMod) throw new Error(`go mod download ${c.module}@${c.version}: ${info.Error ?? 'no GoMod'}`);
  return readFileSync(info.GoMod, 'utf8');
}

/** `replace` lines of a go.mod, as [left, right] pairs (right keeps its version, if any). */
export function replaceDirectives(goMod: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const lines = goMod.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim());
  let inBlock = false;
  for (const line of lines) {
    if (inBlock) {
      if (line === ')') { inBlock = false; continue; }
      if (line.includes('=>')) out.push(splitReplace(line));
    } else if (/^replace\s*\($/.test(line)) {
      inBlock = true;
    } else if (line.startsWith('replace ')) {
      out.push(splitReplace(line.slice('replace '.length)));
    }
  }
  return out;
}

function splitReplace(line: string): [string, string] {
  const [left, right] = line.split('=>').map((s) => s.trim());
  return [left, right];
}

const isLocal = (target: string): boolean => target.startsWith('./') || target.startsWith('../') || target.startsWith('/');

/** Whether `module@version` can be downloaded from the module proxy. */
function downloadable(target: string, env: NodeJS.ProcessEnv, cwd: string): boolean {
  const r = spawnSync('go', ['mod', 'download', '-json', target], { cwd, env, encoding: 'utf8' });
  return r.status === 0 && !(JSON.parse(r.stdout || '{}') as { Error?: string }).Error;
}

/**
 * go.mod for the wrapper module of `c`, given the component's own go.mod. A non-local replace
 * whose target the module proxy does not serve (e.g. a fork tagged vX.Y.Z-fork.N that exists
 * only on GitHub) falls back to the replaced module's own release vX.Y.Z, with a warning.
 */
export function wrapperGoMod(c: WrappedComponent, upstream: string, available: (target: string) => boolean = () => true): string {
  const replaces: string[] = [];
  for (const [left, right] of replaceDirectives(upstream)) {
    const from = left.split(/\s+/)[0];
    if (isLocal(right)) {
      const mapped = c.mapLocal?.(from, right);
      if (mapped) replaces.push(`\t${from} => ${mapped}`);
      continue;
    }
    const [target, version] = right.split(/\s+/);
    const base = /^(v\d+\.\d+\.\d+)-[a-z]/.exec(version ?? '')?.[1];
    if (version && base && !available(`${target}@${version}`)) {
      log(`  ${c.name}: WARNING: replace ${from} => ${right} is not on the module proxy; using ${from} ${base} (its base release) instead`);
      replaces.push(`\t${from} => ${from} ${base}`);
      continue;
    }
    replaces.push(`\t${left} => ${right}`);
  }
  return [
    `// Generated by flux-helm-apps e2e/build.ts: builds ${c.module}@${c.version}.`,
    `module flux-helm-apps.e2e/${c.name}`,
    '',
    'go 1.24',
    '',
    `require ${c.module} ${c.version}`,
    '',
    ...Object.values(c.mains).map((m) => `tool ${m}`),
    '',
    replaces.length ? `replace (\n${replaces.join('\n')}\n)` : '',
    '',
  ].join('\n');
}

async function buildWrapped(c: WrappedComponent): Promise<void> {
  const wrapDir = join(CACHE_ROOT, 'wrap', `${c.name}-${c.version}`);
  mkdirSync(wrapDir, { recursive: true });
  const env = goEnv();
  // A throwaway module to run `go mod download` in (outside any other module).
  writeFileSync(join(wrapDir, 'go.mod'), `module flux-helm-apps.e2e/${c.name}\n\ngo 1.24\n`);
  rmSync(join(wrapDir, 'go.sum'), { force: true });
  log(`  ${c.name}: reading ${c.module}@${c.version} go.mod from the module proxy`);
  writeFileSync(join(wrapDir, 'go.mod'), wrapperGoMod(c, upstreamGoMod(c, env, wrapDir), (target) => downloadable(target, env, wrapDir)));
  log(`  ${c.name}: resolving dependencies (go mod tidy)`);
  await go(`${c.name} tidy`, ['mod', 'tidy'], wrapDir, env);
  const out = binDir(c);
  mkdirSync(out, { recursive: true });
  for (const [bin, main] of Object.entries(c.mains)) {
    log(`  ${c.name}: go build ${bin}`);
    const args = ['build', '-v', '-trimpath', '-o', join(out, `${bin}.tmp`)];
    args.push('-ldflags', `-s -w${c.ldflags ? ` ${c.ldflags}` : ''}`);
    await go(bin, [...args, main], wrapDir, env);
    renameSync(join(out, `${bin}.tmp`), join(out, bin));
  }
}

async function buildInstalled(c: InstalledComponent): Promise<void> {
  const out = binDir(c);
  mkdirSync(out, { recursive: true });
  const tmp = join(CACHE_ROOT, 'tmp');
  mkdirSync(tmp, { recursive: true });
  for (const p of c.patterns) {
    log(`  ${c.name}: go install ${p}`);
    await go(c.name, ['install', '-v', '-trimpath', '-ldflags', '-s -w', p], tmp, goEnv({ GOBIN: out, GOFLAGS: '-buildvcs=false' }));
  }
}

/** Builds every component that is not in the cache yet; returns the seconds spent (0 when all were cached). */
export async function buildAll(): Promise<number> {
  const check = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error('go is not on PATH: the e2e builds its binaries with the Go toolchain');
  const missing = COMPONENTS.filter((c) => !isBuilt(c));
  if (missing.length === 0) {
    log(`build: all ${COMPONENTS.length} components cached in ${join(CACHE_ROOT, 'bin')}`);
    return 0;
  }
  log(`build: ${missing.map((c) => `${c.name} ${c.version}`).join(', ')} (${check.stdout.trim()}, cache ${CACHE_ROOT})`);
  const start = Date.now();
  for (const c of missing) {
    const t0 = Date.now();
    log(`build: ${c.name} ${c.version}`);
    rmSync(binDir(c), { recursive: true, force: true });
    if (c.kind === 'wrapped') await buildWrapped(c); else await buildInstalled(c);
    const seconds = Math.round((Date.now() - t0) / 1000);
    writeFileSync(join(binDir(c), '.complete'), `${c.name} ${c.version} ${check.stdout.trim()} built in ${seconds} s\n`);
    log(`build: ${c.name} ${c.version} done in ${seconds} s`);
  }
  const total = Math.round((Date.now() - start) / 1000);
  log(`build: ${missing.length} components built in ${total} s`);
  return total;
}

if (require.main === module) {
  buildAll().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
