// Where a chart version's archive comes from, in order: the committed chart
// folder (`charts/`, offline), the chart cache, then `helm pull` when helm and
// the network are there. The chart folder is a lock: `charts/SHA256SUMS` holds
// the digest of each archive, an archive that does not match is refused, and a
// pull into the folder (a new pin) adds its digest.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { maxSatisfying, valid, validRange } from 'semver';
import { cacheDir } from '../cache-dir';
import { packageRoot } from '../package-root';
import { findTool, runTool, toolHint } from '../tools/binaries';
import { readChartArchive } from './chart-archive';
import { fileSha256 } from '../file-digest';
import { cachedJson } from '../json-cache';
import { ChartFacts, chartFactsFromFiles } from './chart-facts';

/** One version of a chart and where it is published. */
export interface ChartRef {
  /** Chart name, e.g. `headlamp`. */
  readonly name: string;
  /** Exact chart version, e.g. `0.45.0`. */
  readonly version: string;
  /**
   * Repository URL (`https://…` index or `oci://…` registry), for `helm pull`.
   * @default - not pulled
   */
  readonly repository?: string;
  /**
   * Whether `repository` is the chart's own OCI artifact (an OCIRepository's url) rather than the registry folder holding it.
   * @default false
   */
  readonly artifact?: boolean;
}

export interface ChartSourceOptions {
  /**
   * Folders of committed `<chart>-<version>.tgz` archives, searched first.
   * @default - `charts/` in the current working directory, then the one this package ships (the charts it pins)
   */
  readonly chartDirs?: readonly string[];

  /**
   * Where `helm pull` saves a missing archive: `lock`, into the first chart
   * folder with its digest added to its SHA256SUMS (what synth does, so a new
   * pin is committed with its chart); `cache`, into the cache folder.
   * @default 'cache'
   */
  readonly pullInto?: 'lock' | 'cache';

  /**
   * Folder where `helm pull` saves archives, searched after `chartDirs`.
   * @default - ~/.cache/flux-helm-apps/charts
   */
  readonly cacheDir?: string;

  /**
   * Try `helm pull` from the chart's repository when no folder has the archive.
   * @default true
   */
  readonly pull?: boolean;
}

/** Facts found, with the archive they came from; or why none were found. */
export type ChartLookup =
  | { readonly facts: ChartFacts; readonly archive: string }
  | { readonly facts?: undefined; readonly why: string };

function archiveName(chart: ChartRef): string {
  return `${chart.name}-${chart.version}.tgz`;
}

function chartCacheDir(options: ChartSourceOptions): string {
  return resolve(options.cacheDir ?? cacheDir('charts'));
}

function searchedDirs(options: ChartSourceOptions): string[] {
  const dirs = (options.chartDirs ?? ['charts', join(packageRoot(), 'charts')]).map((dir) => resolve(dir));
  return [...new Set([...dirs, chartCacheDir(options)])];
}

const locks = new Map<string, ReadonlyMap<string, string>>();

/** The lock of a chart folder: archive name → SHA-256, from its SHA256SUMS (sha256sum's format). */
export function readChartLock(dir: string): Map<string, string> {
  const path = join(dir, 'SHA256SUMS');
  if (!existsSync(path)) return new Map();
  const { size, mtimeMs } = statSync(path);
  const key = `${path}\n${size}\n${mtimeMs}`;
  const known = locks.get(key);
  if (known) return new Map(known);
  const lock = new Map(readFileSync(path, 'utf8').split('\n').map((line) => /^([0-9a-f]{64}) [ *](?:\.\/)?(\S+)$/.exec(line.trim())).filter((m) => m !== null).map((m) => [m[2], m[1]]));
  locks.set(key, lock);
  return new Map(lock);
}

/** Why an archive in a chart folder is not the one locked, or undefined when it is. */
export function lockProblem(dir: string, name: string): string | undefined {
  const lock = readChartLock(dir);
  if (lock.size === 0 && !existsSync(join(dir, 'SHA256SUMS'))) return undefined;
  const expected = lock.get(name);
  if (expected === undefined) return `${join(dir, name)} is not listed in ${join(dir, 'SHA256SUMS')}: add its digest (sha256sum ${name} >> SHA256SUMS, in that folder) after checking where it came from`;
  const actual = fileSha256(join(dir, name));
  return actual === expected ? undefined : `${join(dir, name)} has SHA-256 ${actual}, but ${join(dir, 'SHA256SUMS')} locks ${expected}: the archive changed; restore it (git checkout) or pull it again`;
}

/** The archive of `chart` in a chart folder or the cache, or undefined. */
export function findChartArchive(chart: ChartRef, options: ChartSourceOptions = {}): string | undefined {
  return searchedDirs(options).map((dir) => join(dir, archiveName(chart))).find((path) => existsSync(path));
}

/** Adds (or replaces) one archive's digest in a chart folder's SHA256SUMS, sorted. */
function lockArchive(dir: string, name: string): void {
  const lock = readChartLock(dir);
  lock.set(name, fileSha256(join(dir, name)));
  writeFileSync(join(dir, 'SHA256SUMS'), [...lock].sort(([a], [b]) => a.localeCompare(b)).map(([n, digest]) => `${digest}  ${n}\n`).join(''));
}

const pulled = new Map<string, string | undefined>();

/** `helm pull`s the chart into the cache once per process; returns the archive or why it failed. */
function pull(chart: ChartRef, options: ChartSourceOptions): { archive?: string; why: string } {
  if (chart.repository === undefined) return { why: 'no repository is known to pull it from' };
  const helm = findTool('helm');
  if (helm === undefined) return { why: `no helm binary found: ${toolHint('helm')}` };
  const dir = options.pullInto === 'lock' ? resolve((options.chartDirs ?? ['charts'])[0]) : chartCacheDir(options);
  const key = `${dir}\n${chart.repository}\n${chart.name}\n${chart.version}`;
  if (!pulled.has(key)) {
    const oci = chart.repository.startsWith('oci://');
    const source = chart.artifact ? [chart.repository] : oci ? [`${chart.repository.replace(/\/$/, '')}/${chart.name}`] : [chart.name, '--repo', chart.repository];
    try {
      mkdirSync(dir, { recursive: true });
      runTool(helm, ['pull', ...source, '--version', chart.version, '--destination', dir], { timeoutMs: 30_000 });
    } catch {
      // offline or unknown version: reported below
    }
    const archive = join(dir, archiveName(chart));
    if (existsSync(archive) && options.pullInto === 'lock') lockArchive(dir, archiveName(chart));
    pulled.set(key, existsSync(archive) ? archive : undefined);
  }
  const archive = pulled.get(key);
  return archive ? { archive, why: '' } : { why: `helm pull of ${chart.name} ${chart.version} from ${chart.repository} failed (offline, or no such version)` };
}

/** The archive of `chart`, pulling it when allowed; or why there is none. */
export function chartArchive(chart: ChartRef, options: ChartSourceOptions = {}): { archive?: string; why: string } {
  const found = findChartArchive(chart, options);
  if (found) {
    const locked = (options.chartDirs ?? ['charts']).map((dir) => resolve(dir)).includes(resolve(found, '..'));
    const problem = locked ? lockProblem(resolve(found, '..'), archiveName(chart)) : undefined;
    return problem === undefined ? { archive: found, why: '' } : { why: problem };
  }
  const why = `${archiveName(chart)} is in none of ${searchedDirs(options).join(', ')}`;
  if (options.pull === false) return { why };
  const result = pull(chart, options);
  return result.archive ? result : { why: `${why}, and ${result.why}` };
}

const factsOf = new Map<string, ChartFacts>();
let factsCode: string | undefined;
/** The code that reads facts, as a digest: a change to it invalidates cached facts. Read on the first cache miss of a process. */
function factsCodeDigest(): string {
  factsCode ??= createHash('sha256').update(readFileSync(require.resolve('./chart-facts'))).update(readFileSync(require.resolve('./chart-archive'))).digest('hex');
  return factsCode;
}

/** Finds the facts of `chart` from its archive. */
export function lookupChart(chart: ChartRef, options: ChartSourceOptions = {}): ChartLookup {
  const { archive, why } = chartArchive(chart, options);
  if (archive === undefined) return { why };
  const { size, mtimeMs } = statSync(archive);
  const key = `${archive}\n${size}\n${mtimeMs}`;
  let facts = factsOf.get(key);
  if (facts === undefined) {
    // Reading facts parses values.yaml, the slowest step of a warm synth: kept
    // in the cache by the archive's content and the code that reads it.
    facts = cachedJson('chart-facts', [fileSha256(archive), factsCodeDigest()], () => chartFactsFromFiles(readChartArchive(archive)));
    factsOf.set(key, facts);
  }
  if (facts.name !== chart.name || facts.version !== chart.version) {
    return { why: `${archive} holds chart ${facts.name} ${facts.version}, not ${chart.name} ${chart.version}` };
  }
  return { facts, archive };
}

/**
 * The newest version of `name` among the archives in the chart folders and the
 * cache that the range matches (Flux's constraint syntax: `,` or space for
 * and, `||` for or); or why there is none.
 */
export function newestInRange(name: string, range: string, options: ChartSourceOptions = {}): { version: string; why?: undefined } | { version?: undefined; why: string } {
  const npmRange = validRange(range.replace(/,/g, ' '));
  if (npmRange === null) return { why: `"${range}" is not a semver range` };
  const prefix = `${name}-`;
  const versions = searchedDirs(options).filter((dir) => existsSync(dir)).flatMap((dir) => readdirSync(dir))
    .filter((file) => file.startsWith(prefix) && file.endsWith('.tgz')).map((file) => file.slice(prefix.length, -'.tgz'.length))
    .filter((v) => valid(v) === v);
  const newest = maxSatisfying(versions, npmRange, { includePrerelease: false });
  return newest === null
    ? { why: `no ${name}-<version>.tgz matching "${range}" is in ${searchedDirs(options).join(', ')} (found: ${[...new Set(versions)].sort().join(', ') || 'none'})` }
    : { version: newest };
}
