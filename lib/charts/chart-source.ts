// Where a chart version's archive comes from, in order: the committed chart
// folder (`charts/`, offline), the chart cache, then `helm pull` into the cache
// when helm and the network are there.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir } from '../cache-dir';
import { findTool, runTool } from '../tools/binaries';
import { readChartArchive } from './chart-archive';
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
}

export interface ChartSourceOptions {
  /**
   * Folders of committed `<chart>-<version>.tgz` archives, searched first.
   * @default - `charts/` in the current working directory
   */
  readonly chartDirs?: readonly string[];

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
  return [...(options.chartDirs ?? ['charts']).map((dir) => resolve(dir)), chartCacheDir(options)];
}

/** The archive of `chart` in a chart folder or the cache, or undefined. */
export function findChartArchive(chart: ChartRef, options: ChartSourceOptions = {}): string | undefined {
  return searchedDirs(options).map((dir) => join(dir, archiveName(chart))).find((path) => existsSync(path));
}

const pulled = new Map<string, string | undefined>();

/** `helm pull`s the chart into the cache once per process; returns the archive or why it failed. */
function pull(chart: ChartRef, options: ChartSourceOptions): { archive?: string; why: string } {
  if (chart.repository === undefined) return { why: 'no repository is known to pull it from' };
  const helm = findTool('helm');
  if (helm === undefined) return { why: 'no helm binary found (install devDependencies, or put helm on PATH)' };
  const dir = chartCacheDir(options);
  const key = `${dir}\n${chart.repository}\n${chart.name}\n${chart.version}`;
  if (!pulled.has(key)) {
    const oci = chart.repository.startsWith('oci://');
    const source = oci ? [`${chart.repository.replace(/\/$/, '')}/${chart.name}`] : [chart.name, '--repo', chart.repository];
    try {
      mkdirSync(dir, { recursive: true });
      runTool(helm, ['pull', ...source, '--version', chart.version, '--destination', dir], { timeoutMs: 30_000 });
    } catch {
      // offline or unknown version: reported below
    }
    pulled.set(key, existsSync(join(dir, archiveName(chart))) ? join(dir, archiveName(chart)) : undefined);
  }
  const archive = pulled.get(key);
  return archive ? { archive, why: '' } : { why: `helm pull of ${chart.name} ${chart.version} from ${chart.repository} failed (offline, or no such version)` };
}

/** The archive of `chart`, pulling it when allowed; or why there is none. */
export function chartArchive(chart: ChartRef, options: ChartSourceOptions = {}): { archive?: string; why: string } {
  const found = findChartArchive(chart, options);
  if (found) return { archive: found, why: '' };
  const why = `${archiveName(chart)} is in none of ${searchedDirs(options).join(', ')}`;
  if (options.pull === false) return { why };
  const result = pull(chart, options);
  return result.archive ? result : { why: `${why}, and ${result.why}` };
}

const factsOf = new Map<string, ChartFacts>();

/** Finds the facts of `chart` from its archive. */
export function lookupChart(chart: ChartRef, options: ChartSourceOptions = {}): ChartLookup {
  const { archive, why } = chartArchive(chart, options);
  if (archive === undefined) return { why };
  const { size, mtimeMs } = statSync(archive);
  const key = `${archive}\n${size}\n${mtimeMs}`;
  let facts = factsOf.get(key);
  if (facts === undefined) {
    facts = chartFactsFromFiles(readChartArchive(archive));
    factsOf.set(key, facts);
  }
  if (facts.name !== chart.name || facts.version !== chart.version) {
    return { why: `${archive} holds chart ${facts.name} ${facts.version}, not ${chart.name} ${chart.version}` };
  }
  return { facts, archive };
}
