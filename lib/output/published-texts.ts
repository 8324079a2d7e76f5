// The YAML texts a FluxApp published last time, found again by what they were
// written from: a synth whose objects did not change reads each file back
// instead of writing its YAML again (js-yaml is a fifth of a synth of a
// thousand apps; reading the files back, a sixth of that). The record (path →
// key of the objects, size and SHA-256 of the text) is kept in the cache
// folder, one per published folder and owner. A file is used only while it
// has exactly the recorded size and digest, so one changed since, by hand or
// by anything else, is written again; what is published never depends on the
// record, only how fast it is made.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir, writeAtomically } from '../cache-dir';
import { readRegularFile } from './publish-fs';
import { FluxTree, KnownTexts } from './render-tree';

interface Entry {
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
}

const RECORD_VERSION = 1;
// A lone surrogate does not survive UTF-8: such a text would not read back as it was made.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('base64');

/** The entries of a record file; none when it is missing, unreadable or not a record. */
function readRecord(file: string): Map<string, Entry> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; files?: Record<string, unknown> };
    if (data.version !== RECORD_VERSION || typeof data.files !== 'object' || data.files === null) return new Map();
    const entries = new Map<string, Entry>();
    for (const [path, entry] of Object.entries(data.files)) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number' || typeof entry[2] !== 'string') continue;
      entries.set(path, { key: entry[0], size: entry[1], sha256: entry[2] });
    }
    return entries;
  } catch {
    return new Map();
  }
}

/** The texts published in `root` by `owner`, as its last synth recorded them. */
export class PublishedTexts implements KnownTexts {
  private readonly file: string;
  private readonly before: ReadonlyMap<string, Entry>;
  private readonly now = new Map<string, Entry>();

  public constructor(private readonly root: string, owner: string) {
    this.file = cacheDir('published', `${createHash('sha256').update(`${resolve(root)}\n${owner}`).digest('hex')}.json`);
    this.before = readRecord(this.file);
  }

  public find(path: string, key: string): string | undefined {
    const entry = this.before.get(path);
    if (entry === undefined || entry.key !== key) return undefined;
    const bytes = readRegularFile(join(this.root, path), entry.size);
    if (bytes === undefined || sha256(bytes) !== entry.sha256) return undefined;
    this.now.set(path, entry);
    return bytes.toString('utf8');
  }

  public made(path: string, key: string, text: string): void {
    if (!LONE_SURROGATE.test(text)) this.now.set(path, { key, size: Buffer.byteLength(text), sha256: sha256(text) });
  }

  /**
   * Records the texts of `tree` made or found in this synth; call it once the
   * tree is published. A cache that cannot be written only costs time.
   */
  public save(tree: FluxTree): void {
    const files: Record<string, [string, number, string]> = {};
    let changed = false;
    for (const [path, entry] of this.now) {
      if (!tree.has(path)) continue; // folded into a shared base: never published at this path
      files[path] = [entry.key, entry.size, entry.sha256];
      const old = this.before.get(path);
      changed ||= old === undefined || old.key !== entry.key || old.size !== entry.size || old.sha256 !== entry.sha256;
    }
    if (!changed && Object.keys(files).length === this.before.size) return;
    try {
      writeAtomically(this.file, JSON.stringify({ version: RECORD_VERSION, files }));
    } catch {
      // a read-only cache: texts are written again next time
    }
  }
}
