// `npm run validate`: the synth-time checks, run over a published tree as it is
// on disk (hand-edited or produced by an older version), read-only, with the
// checks of the policy given.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { clusterFiles } from '../output/cluster-sync';
import { yamlFilesUnder } from '../output/read-tree';
import { isGenerated } from '../output/generated-marker';
import { JsonValue } from '../json';
import { duplicatesPerCluster, PlacedObject } from './duplicate-objects';
import { describeObject, Finding, isManifestObject } from './finding';
import { Policy } from './policy';
import { ObjectReport } from './report';
import { secretViolations } from './secret-policy';

export interface TreeValidation {
  readonly reports: ObjectReport[];
  /** Files left alone because synth did not generate them (e.g. flux-system/). */
  readonly skipped: string[];
}

function report(object: string, check: string, problems: readonly string[]): ObjectReport {
  return { object, checks: [check], findings: problems.map((message): Finding => ({ object, check, severity: 'error', message })) };
}

/**
 * Validates every generated file under `dir`; objects are labelled `<file>: <Kind> <ns>/<name>`.
 * `distPath` is the tree's path from the repository root, which Flux Kustomization paths start with.
 */
export function validateTree(dir: string, policy: Policy, distPath = 'dist'): TreeValidation {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: run npm run synth first, or pass the folder with --dist`);
  const reports: ObjectReport[] = [];
  const skipped: string[] = [];
  const placed: PlacedObject[] = [];
  // Generated files, for working out which cluster applies which (duplicates are per cluster).
  const generated = new Map<string, string>();
  for (const path of yamlFilesUnder(dir)) {
    const text = readFileSync(join(dir, path), 'utf8');
    if (!isGenerated(path, text)) {
      skipped.push(path);
      reports.push(...plaintextSecretReports(path, text));
      continue;
    }
    generated.set(path, text);
    const docs = parseAllDocuments(text);
    const broken = docs.flatMap((d) => d.errors.map((e) => e.message));
    if (broken.length > 0) {
      reports.push(report(path, 'yaml', broken));
      continue;
    }
    const objects = docs.map((d) => d.toJS() as JsonValue).filter((o) => o !== null);
    if (posix.basename(path) === 'kustomization.yaml') {
      const resources = objects.flatMap((o) => (isKustomizationConfig(o) ? o.resources : []));
      const missing = resources.filter((r) => !existsSync(join(dir, dirname(path), r)));
      reports.push(report(`${path}: Kustomization`, 'kustomization', missing.map((r) => `lists ${r}, which does not exist: run npm run synth`)));
      continue;
    }
    for (const obj of objects) {
      if (!isManifestObject(obj)) {
        reports.push(report(path, 'yaml', ['holds a document that is not a Kubernetes object (no apiVersion, kind or metadata)']));
        continue;
      }
      placed.push({ path, obj });
    }
  }
  reports.push(...policy.checkObjects(placed.map((p) => p.obj), placed.map((p) => `${p.path}: ${describeObject(p.obj)}`)));
  const duplicates = duplicatesPerCluster(placed, clusterFiles(generated, distPath));
  if (duplicates.length > 0) reports.push(report('(all files)', 'duplicates', duplicates));
  return { reports, skipped };
}

/** Secrets in a file synth did not write (bootstrap files, secrets/): only the plaintext check applies. */
function plaintextSecretReports(path: string, text: string): ObjectReport[] {
  let docs: JsonValue[];
  try {
    docs = parseAllDocuments(text).map((d) => d.toJS() as JsonValue);
  } catch {
    return [];
  }
  return docs.filter(isManifestObject).filter((o) => o.kind === 'Secret').map((secret) => {
    const object = `${path}: ${describeObject(secret)}`;
    return { object, checks: ['secrets'], findings: (secretViolations(secret) ?? []).map((message): Finding => ({ object, check: 'secrets', severity: 'error', message })) };
  });
}

/**
 * The Secrets under a hand-kept folder such as `secrets/`: each must be SOPS-encrypted.
 * Returns nothing when the folder does not exist.
 */
export function validateSecretsFolder(dir: string): ObjectReport[] {
  if (!existsSync(dir)) return [];
  const base = posix.basename(dir);
  return yamlFilesUnder(dir).flatMap((path) => plaintextSecretReports(posix.join(base, path), readFileSync(join(dir, path), 'utf8')));
}

function isKustomizationConfig(value: JsonValue): value is { resources: string[] } & Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray((value as Record<string, JsonValue>).resources);
}
