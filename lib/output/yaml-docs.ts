// The YAML text of a file's objects, as js-yaml's dump() writes each, joined
// by `---`. At a thousand apps dump()'s own set-up (copying its options and
// the presenter's, once per call) costs a quarter of the writing, so a file's
// objects are converted one by one but presented in one call, where that
// gives the same text.
import { readFileSync } from 'node:fs';
import { COLLECTION_STYLE, Document, dump, DUMP_SCHEMA, jsToAst, present } from 'js-yaml';
import { contentKey, objectKey } from '../content-key';

// js-yaml writes the same text as the `yaml` package did for every object we
// publish (no line folding, no anchors, double quotes when needed) about three
// times faster, which matters at a thousand apps; `yaml` still parses.
const DUMP_OPTIONS = { lineWidth: -1, noRefs: true, quoteStyle: 'double' } as const;
const PRESENT_OPTIONS = { schema: DUMP_SCHEMA, lineWidth: DUMP_OPTIONS.lineWidth, quoteStyle: DUMP_OPTIONS.quoteStyle };

/**
 * Whether the presenter starts the document on the line after `---`, as
 * `---\n` + dump() has it: a non-empty block mapping or sequence with no tag
 * or anchor (every Kubernetes object).
 */
function startsOwnLine(doc: Document): boolean {
  const root = doc.contents;
  return root !== null && (root.kind === 'mapping' || root.kind === 'sequence') && root.style === COLLECTION_STYLE.BLOCK
    && root.items.length > 0 && !root.tagged && root.anchor === undefined;
}

/**
 * Whether a string in `value` could end its document "open" (a block scalar
 * keeping trailing newlines): the presenter then writes `...` and no `---`
 * before the next document, where dump() and a join write `...` then `---`.
 */
function mayEndOpen(value: unknown): boolean {
  if (typeof value === 'string') return value === '\n' || value.endsWith('\n\n');
  if (Array.isArray(value)) return value.some(mayEndOpen);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, v]) => mayEndOpen(key) || mayEndOpen(v));
  return false;
}

/** `docs.map((doc) => dump(doc, DUMP_OPTIONS)).join('---\n')`, in one presenter call when that writes the same text. */
export function toYaml(docs: readonly unknown[]): string {
  const asts = docs.map((doc) => jsToAst(doc, DUMP_SCHEMA, { noRefs: true, skipInvalid: false })[0]);
  if (asts.every(startsOwnLine) && !docs.slice(0, -1).some(mayEndOpen)) return present(asts, PRESENT_OPTIONS);
  return docs.map((doc) => dump(doc, DUMP_OPTIONS)).join('---\n');
}

let format: string | undefined;

/** What besides the objects decides their text: js-yaml's version and this module's code. Read on first use. */
function yamlFormat(): string {
  format ??= contentKey([JSON.parse(readFileSync(require.resolve('js-yaml/package.json'), 'utf8')).version, readFileSync(__filename, 'utf8')]);
  return format;
}

/** The text of a YAML file: its header line (the generated marker), then the objects. */
export function yamlText(header: string, docs: readonly unknown[]): string {
  return `${header}\n${toYaml(docs)}`;
}

/**
 * A key of `yamlText(header, docs)`: equal keys, equal texts (this module's
 * code is part of every key, so a change to how texts are made changes them).
 * Built from each object's key (objectKey: computed once per object, and the
 * policy has computed it already for the objects it checked).
 */
export function yamlKey(header: string, docs: readonly unknown[]): string {
  return contentKey([header, yamlFormat(), ...docs.map((doc) => (typeof doc === 'object' && doc !== null ? objectKey(doc) : contentKey(doc)))]);
}
