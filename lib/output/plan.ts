// What a synth would change in a published tree, object by object, with a
// field-level diff: for reviewing a commit or a Renovate PR before it lands.
import { parseAllDocuments } from 'yaml';
import { describeObject, isManifestObject } from '../policy/finding';
import { isJsonObject, JsonValue } from '../json';
import { FluxTree } from './render-tree';

/** One changed field, by its path (`spec.chart.spec.version`). */
export interface FieldChange {
  readonly path: string;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

export interface ObjectChange {
  readonly change: 'added' | 'removed' | 'changed';
  readonly file: string;
  /** `Kind namespace/name`. */
  readonly object: string;
  /** Changed fields (changed objects only). */
  readonly fields: readonly FieldChange[];
}

function objectsOf(tree: FluxTree): Map<string, { file: string; object: string; value: JsonValue }> {
  const objects = new Map<string, { file: string; object: string; value: JsonValue }>();
  for (const [file, text] of tree) {
    if (file.endsWith('.md')) {
      objects.set(`document ${file}`, { file, object: `Document ${file}`, value: text });
      continue;
    }
    for (const doc of parseAllDocuments(text)) {
      const value = doc.toJS() as JsonValue;
      if (!isJsonObject(value)) continue;
      // A folder's kustomization.yaml has no name; its path identifies it.
      const named = isManifestObject(value) && typeof value.metadata.name === 'string';
      const object = named ? describeObject(value) : `${String(value.kind)} (${file})`;
      objects.set(`${String(value.apiVersion)} ${object}`, { file, object, value });
    }
  }
  return objects;
}

/** Lines only one side has (a Markdown document's diff), numbered on their side. */
function lineDiff(before: string, after: string, out: FieldChange[]): void {
  const was = new Set(before.split('\n'));
  const will = new Set(after.split('\n'));
  before.split('\n').forEach((line, i) => will.has(line) || out.push({ path: `line ${i + 1}`, before: line }));
  after.split('\n').forEach((line, i) => was.has(line) || out.push({ path: `line ${i + 1}`, after: line }));
}

function diff(before: JsonValue | undefined, after: JsonValue | undefined, path: string, out: FieldChange[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const container = (v: JsonValue | undefined) => isJsonObject(v) || Array.isArray(v);
  if (container(before) && container(after) && Array.isArray(before) === Array.isArray(after)) {
    const b = before as Record<string, JsonValue>;
    const a = after as Record<string, JsonValue>;
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    for (const key of keys) diff(b[key], a[key], Array.isArray(before) ? `${path}[${key}]` : path ? `${path}.${key}` : key, out);
    return;
  }
  out.push({ path, before, after });
}

/** Changes from `current` (what is on disk) to `next` (what synth would write), sorted by file then object. */
export function planChanges(current: FluxTree, next: FluxTree): ObjectChange[] {
  const was = objectsOf(current);
  const will = objectsOf(next);
  const changes: ObjectChange[] = [];
  for (const [key, after] of will) {
    const before = was.get(key);
    if (before === undefined) {
      changes.push({ change: 'added', file: after.file, object: after.object, fields: [] });
    } else {
      const fields: FieldChange[] = [];
      if (typeof before.value === 'string' && typeof after.value === 'string') lineDiff(before.value, after.value, fields);
      else diff(before.value, after.value, '', fields);
      if (fields.length > 0 || before.file !== after.file) changes.push({ change: 'changed', file: after.file, object: after.object, fields });
    }
  }
  for (const [key, before] of was) {
    if (!will.has(key)) changes.push({ change: 'removed', file: before.file, object: before.object, fields: [] });
  }
  return changes.sort((a, b) => a.file.localeCompare(b.file) || a.object.localeCompare(b.object));
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;
const COLOUR = { added: '32', removed: '31', changed: '33' } as const;

/** A terminal rendering of a plan; ANSI colours when `colour`. */
export function formatPlan(changes: readonly ObjectChange[], options: { colour?: boolean } = {}): string {
  if (changes.length === 0) return 'No changes: dist/ is what synth writes.';
  const paint = (code: string, text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const show = (v: JsonValue | undefined) => (v === undefined ? '(none)' : JSON.stringify(v));
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(paint(COLOUR[c.change], `${SIGN[c.change]} ${c.object}  (${c.file}, ${c.change})`));
    for (const f of c.fields) lines.push(`    ${f.path}: ${paint('31', show(f.before))} → ${paint('32', show(f.after))}`);
  }
  const count = (kind: ObjectChange['change']) => changes.filter((c) => c.change === kind).length;
  lines.push('', `${count('added')} to add, ${count('changed')} to change, ${count('removed')} to remove.`);
  return lines.join('\n');
}
