// Keys of JSON content: the policy keeps verdicts and renders under them, the
// tree finds by them the files it published before. A key is the SHA-256 of
// the JSON, not the JSON: the text of every object of a thousand apps would
// stay alive (tens of MB) for the whole synth, only to be compared.
import { createHash } from 'node:crypto';

/**
 * SHA-256 (base64) of `value`'s JSON after `prefix` and a line break: two
 * values get the same key only when their JSON and prefixes are the same
 * (a prefix is '' or another key, and JSON has no raw line break).
 */
export function contentKey(value: unknown, prefix = ''): string {
  return createHash('sha256').update(prefix).update('\n').update(JSON.stringify(value)).digest('base64');
}

const keys = new WeakMap<object, string>();

/**
 * `contentKey(obj)`, computed once per object instance: the policy keys a
 * chart's objects and the tree keys the files they are written to, within one
 * synth, where the objects do not change (the policy keeps verdicts by
 * instance on the same ground).
 */
export function objectKey(obj: object): string {
  let key = keys.get(obj);
  if (key === undefined) {
    key = contentKey(obj);
    keys.set(obj, key);
  }
  return key;
}
