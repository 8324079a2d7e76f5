import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The files of a packaged Helm chart (`.tgz`), by path inside the chart folder. */
export type ChartFiles = ReadonlyMap<string, Buffer>;

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/**
 * Reads a `helm package` archive in memory (ustar with optional PAX headers),
 * so chart facts need no helm binary. Paths drop the chart's top folder.
 */
export function readChartArchive(path: string): ChartFiles {
  const tar = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  let longName: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1] ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if (type === '0' || type === '\0') files.set(name.replace(/^[^/]+\//, ''), Buffer.from(body));
  }
  if (!files.has('Chart.yaml')) throw new Error(`${path} is not a Helm chart archive: it has no Chart.yaml in its top folder`);
  return files;
}
