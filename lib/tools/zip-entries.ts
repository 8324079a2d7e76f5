import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';

/** The named entries of a zip file, decompressed; the others are skipped unread. */
export function readZipEntries(path: string, names: readonly string[]): Map<string, Buffer> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(path), { filter: (file) => names.includes(file.name) });
  } catch (error) {
    throw new Error(`${path} is not a zip file: ${(error as Error).message}`);
  }
  return new Map(Object.entries(entries).map(([name, data]) => [name, Buffer.from(data)]));
}
