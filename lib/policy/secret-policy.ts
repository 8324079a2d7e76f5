// Secrets reach Git only SOPS-encrypted: generated output never carries secret
// data. A SOPS envelope counts only when it is one: a MAC, a version, at least
// one recipient, and every data value encrypted; a fake top-level `sops: {}`
// does not.
import { isJsonObject, JsonObject, JsonValue } from '../json';
import { SECRET_VALUE_PLACEHOLDER } from '../charts/release-checks';
import { ManifestObject } from './finding';
import type { CheckContext } from './manifest-check';

const RECIPIENT_KINDS = ['age', 'pgp', 'kms', 'gcp_kms', 'azure_kv', 'hc_vault'];
const ENCRYPTED_VALUE = /^ENC\[[A-Z0-9_]+,data:[^\]]*\]$/;

function hasEntries(value: JsonValue | undefined): boolean {
  return isJsonObject(value) && Object.keys(value).length > 0;
}

/** Why the document's SOPS envelope is not a real one, or undefined when it is (encrypted data included). */
export function sopsEnvelopeProblem(obj: ManifestObject): string | undefined {
  const sops = obj.sops;
  if (!isJsonObject(sops)) return 'has no sops envelope';
  const recipients = RECIPIENT_KINDS.filter((kind) => Array.isArray(sops[kind]) && (sops[kind] as JsonValue[]).length > 0);
  if (typeof sops.mac !== 'string' || !sops.mac.startsWith('ENC[')) return 'has a sops map without an encrypted mac';
  if (typeof sops.version !== 'string') return 'has a sops map without a version';
  if (recipients.length === 0) return `has a sops map with no recipient (${RECIPIENT_KINDS.join(', ')})`;
  const plain = (['data', 'stringData'] as const).flatMap((field) => {
    const values = obj[field];
    return isJsonObject(values) ? Object.entries(values as JsonObject).filter(([, v]) => typeof v !== 'string' || !ENCRYPTED_VALUE.test(v)).map(([k]) => `${field}.${k}`) : [];
  });
  return plain.length > 0 ? `has a sops envelope but ${plain.join(', ')} in plain text` : undefined;
}

/** Whether a YAML document was really encrypted by SOPS. */
export function isSopsEncrypted(obj: ManifestObject): boolean {
  return sopsEnvelopeProblem(obj) === undefined;
}

/**
 * Whether every value of a Secret a chart rendered is a placeholder for a value
 * from an encrypted values Secret: Helm makes it in the cluster, from data that
 * is in Git only encrypted.
 */
function onlyEncryptedValues(obj: ManifestObject): boolean {
  const encoded = Buffer.from(SECRET_VALUE_PLACEHOLDER).toString('base64');
  const values = [...Object.values(isJsonObject(obj.data) ? obj.data : {}), ...Object.values(isJsonObject(obj.stringData) ? obj.stringData : {})];
  return values.length > 0 && values.every((v) => v === SECRET_VALUE_PLACEHOLDER || v === encoded);
}

/** Plaintext-secret violations of a Secret, or undefined for other kinds. */
export function secretViolations(obj: ManifestObject, context?: Pick<CheckContext, 'renderedFrom'>): string[] | undefined {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') return undefined;
  const withData = hasEntries(obj.data) || hasEntries(obj.stringData);
  if (obj.type === 'kubernetes.io/service-account-token') {
    return withData ? ['a service-account-token Secret must carry no data or stringData: the token controller fills it in; remove them'] : [];
  }
  if (!withData || (context?.renderedFrom !== undefined && onlyEncryptedValues(obj))) return [];
  const problem = sopsEnvelopeProblem(obj);
  return problem === undefined ? [] : [`${problem}: its data would reach Git in plain text; encrypt it with \`sops --encrypt --in-place <file>\`, and keep it under secrets/ (generated output never carries secrets)`];
}
