// Chart values kept in Git as files, the ways Flux reads them: a plain values
// file generated into a ConfigMap beside the release, and a SOPS-encrypted one
// generated into a Secret by the app's secrets folder.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { credentialValuePaths, SOPS_VALUES_FIX } from '../charts/plaintext-values';
import { HelmReleaseValuesFrom } from '../flux/helm-release';
import { isJsonObject, JsonValue } from '../json';

/** The app's SOPS-encrypted values, in `<secretsDir>/<cluster>/<app>/`. */
export interface SecretValuesOptions {
  /**
   * Keys of the encrypted dotenv file `values.env` beside `values.yaml`, each
   * set at one value path (Flux's `targetPath`), e.g. `{ 'admin-password': 'auth.adminPassword' }`.
   * @default - none: only values.yaml
   */
  readonly targetPaths?: { readonly [key: string]: string };
}

/** Where an app's values come from besides `values`, as its clusters' releases list them. */
export interface AppValuesSources {
  /** The plain values file, read at synth, and its path from the repository root. */
  readonly file?: { readonly path: string; readonly text: string };
  /** The encrypted values in the secrets folder. */
  readonly secret?: SecretValuesOptions;
  /** Further ConfigMaps and Secrets the user manages. */
  readonly from: readonly HelmReleaseValuesFrom[];
}

/** Key of the values document in the generated ConfigMap and Secret. */
export const VALUES_KEY = 'values.yaml';

/** Name of the Secret the app's SOPS-encrypted values file becomes. */
export const secretValuesName = (app: string) => `${app}-values`;

/**
 * Name of the ConfigMap (before its hash) the plain values file becomes. Not
 * the Secret's: kustomize's name reference rewrites every `valuesFrom` entry
 * with the ConfigMap's name, whatever its kind.
 */
export const plainValuesName = (app: string) => `${app}-plain-values`;

/**
 * Reads the plain values file (from the repository root, the working
 * directory of synth); adds a problem when it is missing, not a map of
 * values, or holds a credential.
 */
export function readValuesFile(path: string, problems: { add(...p: (string | undefined)[]): void }): { path: string; text: string } | undefined {
  const full = resolve(process.cwd(), path);
  if (!existsSync(full)) {
    problems.add(`valuesFile: Invalid value: "${path}": no such file in ${process.cwd()}: create it (plain chart values, YAML), or give its path from the repository root`);
    return undefined;
  }
  const text = readFileSync(full, 'utf8');
  let doc: JsonValue;
  try {
    doc = parse(text) as JsonValue;
  } catch (error) {
    problems.add(`valuesFile: Invalid value: "${path}": not valid YAML (${(error as Error).message.split('\n')[0]}): fix the file`);
    return undefined;
  }
  if (!isJsonObject(doc)) {
    problems.add(`valuesFile: Invalid value: "${path}": must be a map of chart values (key: value), e.g. replicaCount: 2`);
    return undefined;
  }
  for (const at of credentialValuePaths(doc)) problems.add(`valuesFile: "${path}" holds a credential in plain text at ${at}: it would reach the cluster in a ConfigMap; ${SOPS_VALUES_FIX}`);
  return { path, text };
}

/** The release's valuesFrom: the ConfigMap, then the Secret's values.yaml and its target paths, then the user's. */
export function releaseValuesFrom(app: string, sources: AppValuesSources): HelmReleaseValuesFrom[] {
  const name = secretValuesName(app);
  return [
    ...(sources.file ? [{ kind: 'ConfigMap' as const, name: plainValuesName(app), valuesKey: VALUES_KEY }] : []),
    ...(sources.secret ? [{ kind: 'Secret' as const, name, valuesKey: VALUES_KEY }] : []),
    ...Object.entries(sources.secret?.targetPaths ?? {}).map(([valuesKey, targetPath]) => ({ kind: 'Secret' as const, name, valuesKey, targetPath })),
    ...sources.from,
  ];
}
