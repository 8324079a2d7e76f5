import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseTar } from 'nanotar';

/** The files of a packaged Helm chart (`.tgz`), by path inside the chart folder. */
export type ChartFiles = ReadonlyMap<string, Buffer>;

/**
 * Reads a `helm package` archive in memory, so chart facts need no helm
 * binary. Paths drop the chart's top folder.
 */
export function readChartArchive(path: string): ChartFiles {
  const files = new Map<string, Buffer>();
  for (const item of parseTar(gunzipSync(readFileSync(path)))) {
    if (item.type !== 'file' || item.data === undefined) continue;
    files.set(item.name.replace(/^[^/]+\//, ''), Buffer.from(item.data));
  }
  if (!files.has('Chart.yaml')) throw new Error(`${path} is not a Helm chart archive: it has no Chart.yaml in its top folder`);
  return files;
}
