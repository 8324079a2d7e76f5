// `npm run doctor`: offline checks of a GitOps checkout for the mistakes that cost
// homelab users hours. Each finding says what is wrong and the command that fixes it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { planChanges } from '../output/plan';
import { appliedFiles, bootstrapCluster, findBootstraps, resourceLine } from './cluster-entry';
import { ClusterKustomization, clusterKustomizations } from '../output/cluster-sync';
import { readGeneratedTree, yamlFilesUnder } from '../output/read-tree';
import { FluxTree } from '../output/render-tree';
import { at, isJsonObject, JsonValue } from '../json';
import { validateSecretsFolder } from '../effective/validate-tree';

export interface DoctorFinding {
  readonly check: string;
  readonly problem: string;
  /** What to run, or do, to fix it. */
  readonly fix: string;
}

export interface DoctorInput {
  /** Root of the Git checkout. */
  readonly root: string;
  /** The published tree's folder (absolute). */
  readonly distDir: string;
  /** What synth would write now, or undefined when synth failed. */
  readonly fresh: FluxTree | undefined;
}

function git(root: string, ...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Branches the clusters' flux-system GitRepositories watch, from `clusters/<c>/flux-system/gotk-sync.yaml`. */
export function watchedBranches(distDir: string): { cluster: string; branch: string }[] {
  const clusters = join(distDir, 'clusters');
  if (!existsSync(clusters)) return [];
  return readdirSync(clusters).flatMap((cluster) => {
    const sync = join(clusters, cluster, 'flux-system', 'gotk-sync.yaml');
    if (!existsSync(sync)) return [];
    return parseAllDocuments(readFileSync(sync, 'utf8')).map((d) => d.toJS() as JsonValue)
      .filter((o) => isJsonObject(o) && o.kind === 'GitRepository')
      .map((o) => ({ cluster, branch: String(at(o, 'spec', 'ref', 'branch') ?? '') }))
      .filter((w) => w.branch !== '');
  });
}

function branchFindings(input: DoctorInput): DoctorFinding[] {
  const current = git(input.root, 'rev-parse', '--abbrev-ref', 'HEAD');
  const findings: DoctorFinding[] = [];
  // The bootstraps anywhere in the repository (`clusters/<c>/` next to the project, or inside dist/).
  const found = [...watchedBranches(input.distDir), ...findBootstraps(input.root).flatMap((b) => (b.branch ? [{ cluster: bootstrapCluster(b), branch: b.branch }] : []))];
  const watched = [...new Map(found.map((w) => [`${w.cluster}\n${w.branch}`, w])).values()];
  for (const { cluster, branch } of watched) {
    if (current !== undefined && current !== branch) {
      findings.push({
        check: 'branch',
        problem: `cluster ${cluster} syncs branch "${branch}", but you are on "${current}": commits here never reach the cluster`,
        fix: `git switch ${branch} (and merge your work), or re-run flux bootstrap with --branch=${current}`,
      });
    }
    const ahead = git(input.root, 'rev-list', '--count', `origin/${branch}..${branch}`);
    if (ahead !== undefined && ahead !== '0') {
      findings.push({ check: 'branch', problem: `branch "${branch}" has ${ahead} commit(s) not pushed; Flux only sees origin`, fix: `git push origin ${branch}` });
    }
  }
  return findings;
}

function driftFindings(input: DoctorInput): DoctorFinding[] {
  if (input.fresh === undefined) return [{ check: 'drift', problem: 'synth fails, so dist/ cannot be compared with it', fix: 'npm run synth, and fix what it reports' }];
  const changes = planChanges(readGeneratedTree(input.distDir), input.fresh);
  const findings: DoctorFinding[] = changes.length === 0 ? [] : [{
    check: 'drift',
    problem: `dist/ is not what synth writes now (${changes.length} object(s) differ, e.g. ${changes[0].change} ${changes[0].object})`,
    fix: 'npm run plan to see the changes, then npm run synth and commit dist/',
  }];
  const dirty = git(input.root, 'status', '--porcelain', '--', input.distDir);
  if (dirty) findings.push({ check: 'drift', problem: 'dist/ has uncommitted changes; Flux applies only what is pushed', fix: 'git add dist && git commit && git push' });
  return findings;
}

function secretFindings(input: DoctorInput): DoctorFinding[] {
  // Only the plaintext-secret check: the full validation could pull charts, and doctor stays offline.
  const folders = new Set(['secrets', ...secretsKustomizations(input).map((k) => k.path.split('/')[0])]);
  const reports = [...[...folders].flatMap((f) => validateSecretsFolder(join(input.root, f))), ...validateSecretsFolder(input.distDir, false)];
  return reports.flatMap((r) => r.findings.filter((f) => f.check === 'secrets' && f.severity === 'error'))
    .map((f) => ({ check: 'secrets', problem: `${f.object} is not encrypted`, fix: `sops --encrypt --in-place ${f.object.split(':')[0]} (from the folder it lives in)` }));
}

/** A Kustomization that decrypts with SOPS applies a secrets folder, which the secrets checks cover. */
function decrypts(k: ClusterKustomization): boolean {
  return at(k.obj, 'spec', 'decryption') !== undefined;
}

/** The clusters' Kustomizations of folders outside the generated tree (the SOPS secrets). */
function secretsKustomizations(input: DoctorInput): ClusterKustomization[] {
  const tree = input.fresh ?? readGeneratedTree(input.distDir);
  return clusterKustomizations(tree, distPathOf(input)).filter((k) => k.folder === undefined && decrypts(k));
}

/**
 * The secrets folders the clusters' Kustomizations apply must exist and be
 * committed: the app depends on them, so until then it never starts.
 */
function secretsFolderFindings(input: DoctorInput): DoctorFinding[] {
  return secretsKustomizations(input).flatMap((k): DoctorFinding[] => {
    const name = `${String(k.obj.metadata.namespace)}/${String(k.obj.metadata.name)}`;
    const dir = join(input.root, k.path);
    if (!existsSync(dir) || yamlFilesUnder(dir).length === 0) {
      return [{
        check: 'secrets',
        problem: `cluster ${k.cluster}: Flux Kustomization ${name} applies ./${k.path}, which has no YAML files; the app depends on it and will not start`,
        fix: `npm run init-secrets, fill in the values, sops --encrypt --in-place each file under ${k.path}/, then commit and push`,
      }];
    }
    if (!git(input.root, 'ls-files', '--', k.path)) {
      return [{ check: 'secrets', problem: `cluster ${k.cluster}: ./${k.path} is not committed; Flux sees only what is pushed`, fix: `git add ${k.path} && git commit && git push (after npm run validate shows every Secret there encrypted)` }];
    }
    return [];
  });
}

/** The tree's path from the Git root, as Flux paths name it. */
function distPathOf(input: DoctorInput): string {
  return relative(input.root, input.distDir).split(sep).join('/');
}

/** Every folder a generated Flux Kustomization applies from the tree must exist from the Git root, or Flux fails on it. */
function fluxPathFindings(input: DoctorInput): DoctorFinding[] {
  if (input.fresh === undefined) return [];
  return clusterKustomizations(input.fresh, distPathOf(input)).filter((k) => !decrypts(k) && !existsSync(join(input.root, k.path))).map((k) => ({
    check: 'flux paths',
    problem: `cluster ${k.cluster}: Flux Kustomization ${String(k.obj.metadata.namespace)}/${String(k.obj.metadata.name)} applies ./${k.path}, which does not exist from the Git root ${input.root}`,
    fix: 'run synth from the project folder (Flux paths are computed from the Git root), or fix FluxApp\'s distPath/distDir, then commit dist/',
  }));
}

/**
 * When the repository holds a `flux bootstrap`, each generated cluster file must
 * be applied by one, or nothing the app generates ever reaches the cluster.
 */
function clusterEntryFindings(input: DoctorInput): DoctorFinding[] {
  if (input.fresh === undefined) return [];
  const bootstraps = findBootstraps(input.root);
  if (bootstraps.length === 0) return [];
  const distPath = distPathOf(input);
  const applied = bootstraps.map((b) => appliedFiles(input.root, b.path));
  const clusterFiles = [...input.fresh.keys()].filter((f) => /^clusters\/[^/]+\/[^/]+\.ya?ml$/.test(f));
  return clusterFiles.filter((f) => !applied.some((files) => files.has(posix.join(distPath, f)))).map((f) => {
    const cluster = f.split('/')[1];
    const file = posix.join(distPath, f);
    const bootstrap = bootstraps.find((b) => bootstrapCluster(b) === cluster) ?? bootstraps[0];
    return {
      check: 'cluster entry',
      problem: `cluster ${cluster}: ./${file} is applied by no Flux bootstrap here (flux-system syncs ./${bootstrap.path}), so nothing it lists reaches the cluster`,
      fix: `add the line "${resourceLine(bootstrap, file)}" under resources: in ${bootstrap.path}/kustomization.yaml, or bootstrap with flux bootstrap … --path=./${posix.dirname(file)}`,
    };
  });
}

function renovateFindings(input: DoctorInput): DoctorFinding[] {
  const path = join(input.root, 'renovate.json');
  if (!existsSync(path)) return [{ check: 'renovate', problem: 'renovate.json is missing, so no PR will bump the chart', fix: 'restore renovate.json from this project' }];
  let config: JsonValue;
  try {
    config = JSON.parse(readFileSync(path, 'utf8')) as JsonValue;
  } catch (error) {
    return [{ check: 'renovate', problem: `renovate.json is not valid JSON (${(error as Error).message}); Renovate would silently do nothing`, fix: 'fix the JSON, then npm run renovate:check' }];
  }
  const managers = isJsonObject(config) && Array.isArray(config.customManagers) ? config.customManagers : [];
  // The pins live in lib/versions.ts here, in main.ts in a project `init` scaffolded.
  const readsPins = managers.some((m) => /versions|main/.test(JSON.stringify(at(m, 'managerFilePatterns') ?? '')));
  const fluxOnDist = JSON.stringify(at(config, 'flux') ?? '').includes('dist');
  const problems = [
    readsPins ? '' : 'no customManagers entry reads the pins (lib/versions.ts, or main.ts)',
    fluxOnDist ? '' : 'the flux manager is not pointed at dist/',
  ].filter(Boolean);
  return problems.map((problem) => ({ check: 'renovate', problem: `renovate.json: ${problem}`, fix: 'restore renovate.json from Git (npx flux-helm-apps init writes one where none is), then npm run renovate:check' }));
}

/** Every finding of the doctor, in a stable order. */
export function runDoctor(input: DoctorInput): DoctorFinding[] {
  return [
    ...branchFindings(input), ...driftFindings(input), ...fluxPathFindings(input), ...clusterEntryFindings(input),
    ...secretFindings(input), ...secretsFolderFindings(input), ...renovateFindings(input),
  ];
}
