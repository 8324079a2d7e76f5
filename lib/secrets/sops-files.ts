// Files SOPS encrypted whole (values files kept in the secrets folders), and
// the Secrets kustomize generates from them. kustomize-controller decrypts
// such files before its secretGenerator reads them; offline, the checks see
// the encrypted text, whose keys and value types SOPS leaves readable.
import { parse } from 'yaml';
import { isJsonObject, JsonObject, JsonValue } from '../json';

const RECIPIENT_KINDS = ['age', 'pgp', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault'];

/** Files the secrets folders keep as values, which SOPS encrypts whole (`values.yaml`, `redis-values.yaml`, `values.env`). */
export const VALUES_FILE = /values[^/]*\.(ya?ml|json|env)$/;

/** A value SOPS encrypted, with the type it had: `ENC[AES256_GCM,data:…,type:str]`. */
export const ENCRYPTED_VALUE = /^ENC\[[A-Z0-9_]+,data:[^\]]*\]$/;

/** Why a `sops` map is not a real envelope (a MAC, a version, a recipient), or undefined when it is. */
export function envelopeProblem(sops: JsonValue | undefined): string | undefined {
  if (!isJsonObject(sops)) return 'has no sops envelope';
  if (typeof sops.mac !== 'string' || !sops.mac.startsWith('ENC[')) return 'has a sops map without an encrypted mac';
  if (typeof sops.version !== 'string') return 'has a sops map without a version';
  const recipients = RECIPIENT_KINDS.filter((kind) => Array.isArray(sops[kind]) && (sops[kind] as JsonValue[]).length > 0);
  return recipients.length === 0 ? `has a sops map with no recipient (${RECIPIENT_KINDS.join(', ')})` : undefined;
}

/** Dotted paths of the leaves of `value` that are not SOPS-encrypted (`sops` at the root excluded). */
function plainLeaves(value: JsonValue, path: string): string[] {
  if (isJsonObject(value)) return Object.entries(value).flatMap(([k, v]) => (path === '' && k === 'sops' ? [] : plainLeaves(v, path ? `${path}.${k}` : k)));
  if (Array.isArray(value)) return value.flatMap((v, i) => plainLeaves(v, `${path}[${i}]`));
  return typeof value === 'string' && ENCRYPTED_VALUE.test(value) ? [] : [path || '(the document)'];
}

/** A YAML or JSON document as text, or undefined when it does not parse to a map. */
function parseMap(text: string): JsonObject | undefined {
  try {
    const doc = parse(text) as JsonValue;
    return isJsonObject(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** `KEY=value` lines of a dotenv file. */
function dotenv(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*([^#=\s][^=]*)=(.*)$/.exec(line);
    if (match) entries.set(match[1].trim(), match[2].trim());
  }
  return entries;
}

/**
 * Why a file SOPS should have encrypted whole (a values file: YAML, JSON or
 * dotenv) is not, or undefined when every value in it is encrypted.
 */
export function sopsFileProblem(text: string, path: string): string | undefined {
  if (/\.env$/.test(path)) {
    const entries = dotenv(text);
    const mac = entries.get('sops_mac');
    if (mac === undefined || !mac.startsWith('ENC[')) return 'is not SOPS-encrypted (no sops_mac line)';
    const plain = [...entries].filter(([k, v]) => !k.startsWith('sops_') && !ENCRYPTED_VALUE.test(v)).map(([k]) => k);
    return plain.length > 0 ? `is SOPS-encrypted but ${plain.join(', ')} in plain text` : undefined;
  }
  const doc = parseMap(text);
  if (doc === undefined) return 'is not a YAML map';
  const envelope = envelopeProblem(doc.sops);
  if (envelope) return envelope === 'has no sops envelope' ? 'is not SOPS-encrypted' : envelope;
  const plain = plainLeaves(doc, '');
  return plain.length > 0 ? `is SOPS-encrypted but ${plain.join(', ')} in plain text` : undefined;
}

/**
 * Whether the data of a Secret without an envelope of its own was all
 * generated from SOPS-encrypted files: each key a whole encrypted document, or
 * the keys of an encrypted dotenv file (its values encrypted, its `sops_*`
 * keys the envelope).
 */
export function generatedFromSops(data: ReadonlyMap<string, string>): boolean {
  if (data.size === 0) return false;
  const dotenvKeys = [...data.keys()].some((k) => k.startsWith('sops_'));
  const mac = data.get('sops_mac');
  return [...data].every(([key, value]) => {
    if (dotenvKeys && key.startsWith('sops_')) return true;
    if (dotenvKeys && mac?.startsWith('ENC[') && ENCRYPTED_VALUE.test(value)) return true;
    return sopsFileProblem(value, key) === undefined;
  });
}

/** What stands in for an encrypted value of each type, so the keys and types can be checked. */
function placeholder(value: string): JsonValue {
  const type = /,type:([a-z]+)\]$/.exec(value)?.[1];
  if (type === 'int' || type === 'float') return 0;
  if (type === 'bool') return false;
  return 'sops-encrypted';
}

/**
 * The shape of encrypted values for the checks: the document without its
 * envelope, each encrypted leaf replaced by a placeholder of its type.
 * A single encrypted value (a dotenv key) becomes its placeholder.
 */
export function encryptedShape(value: JsonValue): JsonValue {
  if (typeof value === 'string') return ENCRYPTED_VALUE.test(value) ? placeholder(value) : value;
  if (Array.isArray(value)) return value.map(encryptedShape);
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'sops').map(([k, v]) => [k, encryptedShape(v)]));
  return value;
}
