import index from './chart-index.json';

/** Facts about one Headlamp chart version, read from its archive by `npm run index-charts`. */
export interface ChartFacts {
  /** Headlamp release the chart was tested with; the image tag is `v<appVersion>`. */
  readonly appVersion: string;
}

const CHARTS: Readonly<Record<string, ChartFacts>> = index;

/** Chart versions with committed facts, oldest first. */
export const INDEXED_CHART_VERSIONS: readonly string[] = Object.keys(CHARTS);

/** Facts about `version`, or undefined when it is not in the committed index. */
export function chartFacts(version: string): ChartFacts | undefined {
  return Object.prototype.hasOwnProperty.call(CHARTS, version) ? CHARTS[version] : undefined;
}
