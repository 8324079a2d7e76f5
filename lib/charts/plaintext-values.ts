// Chart values that look like credentials (a password, a token, a secret key)
// must not sit in plain text in Git: not in a HelmRelease's `values`, not in a
// ConfigMap it reads them from. They belong in the app's SOPS-encrypted values
// file, which the secrets folder generates into a Secret.
import { parse } from 'yaml';
import { isJsonObject, JsonValue, objectAt } from '../json';
import type { ManifestObject } from '../policy/finding';
import type { CheckContext } from '../policy/manifest-check';
import { ENCRYPTED_VALUE } from '../secrets/sops-files';
import { isHelmRelease } from './release-checks';

/** Keys whose value is a credential, compared without case, `-`, `_` or `.`. */
const CREDENTIAL_KEY = /(password|passwd|passphrase|secret|token|apikey|secretkey|accesskey|privatekey|credentials?)$/;
/** Keys that name where a credential is, not the credential (`existingSecret`, `existingSecretPasswordKey`). */
const REFERENCE_KEY = /^existing/;

/** The fix every finding names. */
export const SOPS_VALUES_FIX = 'move it to the app\'s SOPS-encrypted values file (HelmApp secretValues: secrets/<cluster>/<app>/values.yaml, scaffolded by npm run init-secrets, then sops --encrypt --in-place), or point the chart at an existing Secret';

/** Dotted paths of values that look like credentials: a credential-like key with a non-empty string that is not encrypted or a `${var}`. */
export function credentialValuePaths(value: JsonValue, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialValuePaths(v, `${path}[${i}]`));
  if (!isJsonObject(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = path ? `${path}.${key}` : key;
    const normal = key.toLowerCase().replace(/[-_.]/g, '');
    const credential = CREDENTIAL_KEY.test(normal) && !REFERENCE_KEY.test(normal) && typeof v === 'string'
      && v.trim() !== '' && !ENCRYPTED_VALUE.test(v) && !/^\$\{[^}]+\}$/.test(v.trim());
    return credential ? [here] : credentialValuePaths(v, here);
  });
}

/**
 * A HelmRelease's `values`, and each ConfigMap it takes values from, hold no
 * credential in plain text.
 */
export function plaintextValuesViolations(obj: ManifestObject, context: CheckContext): string[] | undefined {
  if (!isHelmRelease(obj)) return undefined;
  const namespace = String(obj.metadata.namespace ?? 'default');
  const found = credentialValuePaths(objectAt(obj, 'spec', 'values')).map((path) => `spec.values.${path} holds a credential in plain text: ${SOPS_VALUES_FIX}`);
  const refs = objectAt(obj, 'spec').valuesFrom;
  for (const ref of Array.isArray(refs) ? refs.filter(isJsonObject) : []) {
    if (ref.kind !== 'ConfigMap') continue;
    const source = context.find('ConfigMap', namespace, String(ref.name));
    for (const [key, text] of Object.entries(objectAt(source, 'data'))) {
      if (typeof ref.valuesKey === 'string' ? ref.valuesKey !== key : key !== 'values.yaml') continue;
      const paths = typeof ref.targetPath === 'string' ? credentialValuePaths({ [ref.targetPath.split('.').pop()!]: text }) : credentialValuePaths(parseQuietly(String(text)));
      found.push(...paths.map((path) => `ConfigMap ${namespace}/${String(ref.name)} key ${key} (valuesFrom) holds a credential in plain text at ${typeof ref.targetPath === 'string' ? ref.targetPath : path}: ${SOPS_VALUES_FIX}`));
    }
  }
  return found;
}

function parseQuietly(text: string): JsonValue {
  try {
    return parse(text) as JsonValue;
  } catch {
    return null;
  }
}
