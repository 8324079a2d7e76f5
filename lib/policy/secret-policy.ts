// Secrets reach Git only SOPS-encrypted: generated output never carries secret
// data. A SOPS envelope counts only when it is one: a MAC, a version, at least
// one recipient, and every data value encrypted; a fake top-level `sops: {}`
// does not. A Secret kustomize generates from SOPS-encrypted files (a
// secretGenerator in a secrets folder) counts when every file it was made of does.
import { isJsonObject, JsonObject, JsonValue } from '../json';
import { ENCRYPTED_VALUE, envelopeProblem, generatedFromSops } from '../secrets/sops-files';
import { ManifestObject } from './finding';

function hasEntries(value: JsonValue | undefined): boolean {
  return isJsonObject(value) && Object.keys(value).length > 0;
}

/** Why the document's SOPS envelope is not a real one, or undefined when it is (encrypted data included). */
export function sopsEnvelopeProblem(obj: ManifestObject): string | undefined {
  const envelope = envelopeProblem(obj.sops);
  if (envelope) return envelope;
  const plain = (['data', 'stringData'] as const).flatMap((field) => {
    const values = obj[field];
    return isJsonObject(values) ? Object.entries(values as JsonObject).filter(([, v]) => typeof v !== 'string' || !ENCRYPTED_VALUE.test(v)).map(([k]) => `${field}.${k}`) : [];
  });
  return plain.length > 0 ? `has a sops envelope but ${plain.join(', ')} in plain text` : undefined;
}

/** A Secret's data and stringData as text, by key. */
export function secretTexts(obj: ManifestObject): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [key, value] of Object.entries(isJsonObject(obj.data) ? obj.data : {})) texts.set(key, Buffer.from(String(value), 'base64').toString('utf8'));
  for (const [key, value] of Object.entries(isJsonObject(obj.stringData) ? obj.stringData : {})) texts.set(key, String(value));
  return texts;
}

/** Whether a YAML document was really encrypted by SOPS. */
export function isSopsEncrypted(obj: ManifestObject): boolean {
  return sopsEnvelopeProblem(obj) === undefined;
}

/** Plaintext-secret violations of a Secret, or undefined for other kinds. */
export function secretViolations(obj: ManifestObject): string[] | undefined {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') return undefined;
  const withData = hasEntries(obj.data) || hasEntries(obj.stringData);
  if (obj.type === 'kubernetes.io/service-account-token') {
    return withData ? ['a service-account-token Secret must carry no data or stringData: the token controller fills it in; remove them'] : [];
  }
  if (!withData) return [];
  // What a secretGenerator made from SOPS-encrypted files: kustomize-controller decrypts them first.
  if (obj.sops === undefined && generatedFromSops(secretTexts(obj))) return [];
  const problem = sopsEnvelopeProblem(obj);
  return problem === undefined ? [] : [`${problem}: its data would reach Git in plain text; encrypt it with \`sops --encrypt --in-place <file>\`, and keep it under secrets/ (generated output never carries secrets)`];
}
