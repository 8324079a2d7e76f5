import index from './chart-index.json';
import { ChartFacts } from './chart-facts';

const CHARTS = index as unknown as Readonly<Record<string, Omit<ChartFacts, 'version'>>>;

/** Chart versions with committed facts, oldest first. */
export const INDEXED_CHART_VERSIONS: readonly string[] = Object.keys(CHARTS);

/** Facts about `version` from the committed index, or undefined when it is not indexed. */
export function chartFacts(version: string): ChartFacts | undefined {
  return Object.prototype.hasOwnProperty.call(CHARTS, version) ? { version, ...CHARTS[version] } : undefined;
}
