// The keys a Policy keeps verdicts and renders under. A key is the SHA-256 of
// the JSON checks see, not that JSON: the text of every object of a thousand
// apps would stay alive (tens of MB) for the whole synth, only to be compared.
import { createHash } from 'node:crypto';

/**
 * SHA-256 (base64) of `value`'s JSON after `prefix` and a line break: two
 * values get the same key only when their JSON and prefixes are the same
 * (a prefix is '' or another key, and JSON has no raw line break).
 */
export function contentKey(value: unknown, prefix = ''): string {
  return createHash('sha256').update(prefix).update('\n').update(JSON.stringify(value)).digest('base64');
}
