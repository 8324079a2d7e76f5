// Secrets reach Git only SOPS-encrypted: generated output never carries secret data.
import { JsonValue, isJsonObject } from '../json';
import { ManifestObject } from './finding';

function hasEntries(value: JsonValue | undefined): boolean {
  return isJsonObject(value) && Object.keys(value).length > 0;
}

/** Whether a YAML document was encrypted by SOPS (it has a top-level `sops` map). */
export function isSopsEncrypted(obj: ManifestObject): boolean {
  return isJsonObject(obj.sops);
}

/** Plaintext-secret violations of a Secret, or undefined for other kinds. */
export function secretViolations(obj: ManifestObject): string[] | undefined {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1') return undefined;
  const withData = hasEntries(obj.data) || hasEntries(obj.stringData);
  if (obj.type === 'kubernetes.io/service-account-token') {
    return withData ? ['a service-account-token Secret must carry no data or stringData: the token controller fills it in; remove them'] : [];
  }
  if (withData && !isSopsEncrypted(obj)) {
    return ['has data or stringData in plain text: encrypt it with `sops --encrypt --in-place <file>`, and keep it under secrets/ (generated output never carries secrets)'];
  }
  return [];
}
