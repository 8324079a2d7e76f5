// `npm run validate`: a published tree as it is on disk (hand-edited, or
// written by an older version), judged by what each cluster will get: every
// file the clusters' Flux Kustomizations reach, generated or not, built as Flux
// builds it, then the policy's checks, renders included. Also: every YAML or
// JSON file in the tree must parse, and no file may hold a plaintext Secret.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { UserError } from '../errors';
import { Finding, describeObject } from '../policy/finding';
import { Policy } from '../policy/policy';
import { ObjectReport } from '../policy/report';
import { secretViolations } from '../policy/secret-policy';
import { sopsFileProblem, VALUES_FILE } from '../secrets/sops-files';
import { checkEffective } from './effective-check';
import { parseObjects } from './kustomize-build';

export interface TreeValidation {
  readonly reports: ObjectReport[];
}

/** Paths (with `/`) of the YAML and JSON files under `root`, sorted. */
function manifestFilesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name))
    .map((e) => posix.join(relative(root, e.parentPath ?? e.path).split('\\').join('/'), e.name))
    .sort();
}

/** Each file must parse; each Secret in it must be SOPS-encrypted, wherever it is. */
function fileReports(dir: string, base: string): ObjectReport[] {
  return manifestFilesUnder(dir).flatMap((path): ObjectReport[] => {
    const shown = posix.join(base, path);
    let objects;
    try {
      objects = parseObjects(readFileSync(join(dir, path), 'utf8'), shown);
    } catch (error) {
      return [{ object: shown, checks: ['yaml'], findings: [{ object: shown, check: 'yaml', severity: 'error', message: `${(error as Error).message}: fix the file; a file that does not parse hides whatever it holds` }] }];
    }
    return objects.filter((o) => o.kind === 'Secret').map((secret) => {
      const object = `${shown}: ${describeObject(secret)}`;
      return { object, checks: ['secrets'], findings: (secretViolations(secret) ?? []).map((message): Finding => ({ object, check: 'secrets', severity: 'error', message })) };
    });
  });
}

/**
 * Validates the tree in `dir` by its effects. `distPath` is the tree's path
 * from the repository root (Flux paths start with it); `repoRoot` holds the
 * folders outside the tree that Kustomizations apply (the SOPS secrets).
 */
export function validateTree(dir: string, policy: Policy, distPath = 'dist', repoRoot = process.cwd()): TreeValidation {
  if (!existsSync(dir)) throw new UserError(`${dir} does not exist: run npm run synth first, or pass the folder with --dist`);
  return { reports: [...fileReports(dir, ''), ...checkEffective(policy, { tree: dir, distPath, repoRoot })] };
}

/** Each values file (`*values*.yaml`, `.env`) must be SOPS-encrypted whole, as .sops.yaml's first rule does it. */
function valuesFileReports(dir: string, base: string): ObjectReport[] {
  const files = readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && VALUES_FILE.test(e.name));
  return files.map((e): ObjectReport => {
    const object = posix.join(base, relative(dir, join(e.parentPath ?? e.path, e.name)).split('\\').join('/'));
    const problem = sopsFileProblem(readFileSync(join(e.parentPath ?? e.path, e.name), 'utf8'), e.name);
    const message = `values file ${problem}: its values would reach Git in plain text; encrypt it whole with \`sops --encrypt --in-place ${object}\` (.sops.yaml's rule for *values* files)`;
    return { object, checks: ['secrets'], findings: problem === undefined ? [] : [{ object, check: 'secrets', severity: 'error', message }] };
  });
}

/**
 * The Secrets and values files under a hand-kept folder such as `secrets/`:
 * each must be SOPS-encrypted (`valuesFiles: false` for a generated tree, whose
 * plain values files become ConfigMaps). Returns nothing when the folder does not exist.
 */
export function validateSecretsFolder(dir: string, valuesFiles = true): ObjectReport[] {
  if (!existsSync(dir)) return [];
  return [...fileReports(dir, posix.basename(dir)), ...(valuesFiles ? valuesFileReports(dir, posix.basename(dir)) : [])];
}
