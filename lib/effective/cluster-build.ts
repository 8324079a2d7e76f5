// What each cluster will get: starting from `clusters/<cluster>/` (which flux
// bootstrap's own Kustomization applies whole), every Flux Kustomization found
// is built the way kustomize-controller builds it: its path with kustomize, its
// patches, images, namespace and name prefix or suffix over it, its post-build
// substitution; Lists expanded; Kustomizations found among the results are
// followed in turn. Checks then judge these objects, not the files.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { isJsonObject, JsonObject, objectAt } from '../json';
import { describeObject, ManifestObject } from '../policy/finding';
import { cachedJson } from '../json-cache';
import { findTool } from '../tools/binaries';
import { substituteObjects } from './flux-substitute';
import { expandLists, generateKustomization, hasKustomization, KUSTOMIZATION_FILES, kustomizeBuild, reachesOutside } from './kustomize-build';

/** One object a cluster gets, and the Flux Kustomization that applies it. */
export interface EffectiveObject {
  readonly obj: ManifestObject;
  /** `Kustomization flux-system/headlamp`, or `clusters/homelab/` for what bootstrap applies. */
  readonly via: string;
}

/** Something about a cluster that could not be built or checked. */
export interface BuildProblem {
  readonly where: string;
  readonly severity: 'error' | 'warning' | 'unchecked';
  readonly message: string;
}

export interface ClusterBuild {
  readonly cluster: string;
  readonly objects: readonly EffectiveObject[];
  readonly problems: readonly BuildProblem[];
}

export interface BuildSource {
  /** The tree (`clusters/`, `apps/`): a folder such as the repository's dist/, or files in memory (path → text) as synth has them. */
  readonly tree: string | ReadonlyMap<string, string>;
  /** The tree's path from the repository root, which Flux paths start with, e.g. `dist`. */
  readonly distPath: string;
  /** Root of the repository, for Kustomization paths outside the tree (the SOPS secrets folders). */
  readonly repoRoot: string;
  /**
   * Build Kustomization paths outside the tree too (the SOPS secrets folders,
   * which people keep by hand); one the repository does not have yet is a
   * warning. Synth leaves them to `npm run validate` and `npm run doctor`.
   * @default true
   */
  readonly outsideTree?: boolean;
}

const isFluxKustomization = (obj: ManifestObject) => obj.kind === 'Kustomization' && obj.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/');

/** Whether `path` (from the repository root) stays inside it. */
function insideRepo(path: string): boolean {
  const normal = posix.normalize(path);
  return !isAbsolute(path) && normal !== '..' && !normal.startsWith('../');
}

/** The kustomization Flux lays over a Kustomization's path: what its spec changes. */
function overlay(spec: JsonObject, toTarget: string): JsonObject | undefined {
  const fields: Record<string, unknown> = {};
  if (Array.isArray(spec.patches) && spec.patches.length > 0) fields.patches = spec.patches;
  if (Array.isArray(spec.images) && spec.images.length > 0) fields.images = spec.images;
  if (Array.isArray(spec.components) && spec.components.length > 0) fields.components = spec.components.map((c) => posix.join(toTarget, String(c)));
  if (typeof spec.targetNamespace === 'string') fields.namespace = spec.targetNamespace;
  if (typeof spec.namePrefix === 'string') fields.namePrefix = spec.namePrefix;
  if (typeof spec.nameSuffix === 'string') fields.nameSuffix = spec.nameSuffix;
  const common = objectAt(spec, 'commonMetadata');
  if (Object.keys(common).length > 0) {
    if (isJsonObject(common.labels)) fields.labels = [{ pairs: common.labels, includeSelectors: false }];
    if (isJsonObject(common.annotations)) fields.commonAnnotations = common.annotations;
  }
  return Object.keys(fields).length > 0 ? (fields as JsonObject) : undefined;
}

/** Variables of `spec.postBuild`: `substitute`, then `substituteFrom` ConfigMaps and Secrets among the objects seen. */
function postBuildVars(spec: JsonObject, seen: readonly EffectiveObject[], namespace: string, where: string, problems: BuildProblem[]): Record<string, string> {
  const postBuild = objectAt(spec, 'postBuild');
  const vars: Record<string, string> = {};
  for (const from of Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom.filter(isJsonObject) : []) {
    const source = seen.find(({ obj: o }) => o.kind === from.kind && o.metadata.name === from.name && (o.metadata.namespace ?? namespace) === namespace)?.obj;
    if (source === undefined) {
      if (from.optional !== true) problems.push({ where, severity: 'unchecked', message: `postBuild.substituteFrom ${String(from.kind)} ${namespace}/${String(from.name)} is not in the tree, so its variables were NOT substituted: the objects were checked without them` });
      continue;
    }
    if (source.kind === 'Secret' && isJsonObject(source.sops)) {
      problems.push({ where, severity: 'unchecked', message: `postBuild.substituteFrom Secret ${namespace}/${String(from.name)} is SOPS-encrypted, so its variables were NOT substituted: the objects were checked without them` });
      continue;
    }
    const data = { ...objectAt(source, 'data'), ...objectAt(source, 'stringData') };
    for (const [key, value] of Object.entries(data)) {
      vars[key] = source.kind === 'Secret' && isJsonObject(source.data) && key in source.data ? Buffer.from(String(value), 'base64').toString('utf8') : String(value);
    }
  }
  for (const [key, value] of Object.entries(objectAt(postBuild, 'substitute'))) vars[key] = String(value);
  return vars;
}

/**
 * Builds what each cluster of a tree gets. `clusters` limits the clusters
 * built (default: every folder under `clusters/`).
 */
export function buildClusters(source: BuildSource, clusters?: readonly string[]): ClusterBuild[] {
  const files = typeof source.tree === 'string' ? readFiles(source.tree) : source.tree;
  const sandbox = new Sandbox(files, source.distPath);
  try {
    const names = clusters ?? [...new Set([...files.keys()].map((p) => /^clusters\/([^/]+)\//.exec(p)?.[1]).filter((c): c is string => c !== undefined))].sort();
    return names.map((cluster) => buildCluster(cluster, sandbox, source));
  } finally {
    sandbox.remove();
  }
}

/** Every file under `dir`, by path with `/`. */
function readFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.set(relative(dir, path).split(sep).join('/'), readFileSync(path));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** SHA-256 of a set of files (paths and contents), in path order. */
function filesHash(files: ReadonlyMap<string, string | Buffer>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) hash.update(`${path}\0`).update(files.get(path)!).update('\0');
  return hash.digest('hex');
}



function buildCluster(cluster: string, sandbox: Sandbox, source: BuildSource): ClusterBuild {
  const objects: EffectiveObject[] = [];
  const problems: BuildProblem[] = [];
  const clusterDir = posix.join(source.distPath, 'clusters', cluster);
  // flux bootstrap's Kustomization applies the cluster folder whole, with nothing laid over it.
  const pending: { path: string; via: string; spec: JsonObject; namespace: string }[] = [{ path: clusterDir, via: `${clusterDir}/ (applied by flux bootstrap)`, spec: {}, namespace: 'flux-system' }];
  const done = new Set<string>();
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    const { path, via, spec, namespace } = next;
    // What Flux does with a path depends only on what it lays over it and substitutes in: bootstrap's own
    // flux-system Kustomization, which applies the cluster folder again, adds nothing.
    const key = `${path}\n${JSON.stringify(overlay(spec, ''))}\n${JSON.stringify(objectAt(spec, 'postBuild'))}`;
    if (done.has(key)) continue;
    done.add(key);
    const inTree = path === source.distPath || path.startsWith(`${source.distPath}/`);
    if (!inTree && source.outsideTree === false) continue;
    let built: ManifestObject[];
    try {
      const found = buildPath(path, spec, sandbox, source);
      if (found === undefined) {
        problems.push({ where: via, severity: 'warning', message: `applies ./${path}, which is not in the repository yet: Flux fails this Kustomization, and everything that depends on it waits, until you create and commit it (npm run init-secrets)` });
        continue;
      }
      built = found;
    } catch (error) {
      problems.push({ where: via, severity: 'error', message: `could not be built as Flux would build it: ${(error as Error).message}` });
      continue;
    }
    // The objects seen so far, not a copy of them: a cluster of a thousand apps has tens of thousands.
    const vars = postBuildVars(spec, objects, namespace, via, problems);
    const substituted = Object.keys(objectAt(spec, 'postBuild')).length > 0 ? substituteObjects(built, vars) : { objects: built, unset: [] };
    if (substituted.unset.length > 0) {
      problems.push({ where: via, severity: 'unchecked', message: `postBuild variables ${substituted.unset.map((v) => `\${${v}}`).join(', ')} have no value here; Flux replaces them with what the cluster provides, so what they become was NOT checked` });
    }
    for (const obj of expandLists(substituted.objects)) {
      objects.push({ obj, via });
      if (!isFluxKustomization(obj)) continue;
      const child = objectAt(obj, 'spec');
      const ref = objectAt(child, 'sourceRef');
      const name = `Kustomization ${describeObject(obj).replace(/^Kustomization /, '')}`;
      const kustomizationNamespace = String(obj.metadata.namespace ?? 'flux-system');
      if (ref.kind !== 'GitRepository' || ref.name !== 'flux-system' || (ref.namespace ?? kustomizationNamespace) !== 'flux-system') {
        problems.push({ where: name, severity: 'unchecked', message: `applies from ${String(ref.kind)} ${String(ref.namespace ?? kustomizationNamespace)}/${String(ref.name)}, not this repository (GitRepository flux-system/flux-system): what it applies was NOT checked` });
        continue;
      }
      const childPath = posix.normalize(String(child.path ?? '.').replace(/^\.\//, ''));
      if (!insideRepo(childPath)) {
        problems.push({ where: name, severity: 'error', message: `spec.path "${String(child.path)}" leaves the repository: Flux refuses it; use a folder from the repository root, e.g. ./${source.distPath}/apps/<app>` });
        continue;
      }
      pending.push({ path: childPath, via: name, spec: child, namespace: typeof child.targetNamespace === 'string' ? child.targetNamespace : kustomizationNamespace });
    }
  }
  return { cluster, objects, problems };
}

/**
 * The source as Flux gets it, for kustomize: the tree at its path, and the
 * repository folders outside it that Kustomizations apply. Written to disk only
 * when a build misses the cache, so a synth that changed nothing writes nothing.
 */
class Sandbox {
  /** Hash of the tree, before any build wrote to its copy. */
  public readonly treeHash: string;
  /** `<path> <hash>` of each repository folder added since. */
  public readonly copied = new Set<string>();
  private readonly extra = new Map<string, ReadonlyMap<string, Buffer>>();
  private folder?: string;
  private folders?: Set<string>;

  /** The tree's paths in order, so that the files under a folder are one run of them. */
  private sorted?: string[];

  public constructor(private readonly files: ReadonlyMap<string, string | Buffer>, private readonly distPath: string) {
    this.treeHash = filesHash(files);
  }

  /** The whole source as Flux gets it, for a cache key: the tree and the repository folders added. */
  public allInputs(): unknown {
    return [this.treeHash, [...this.copied].sort()];
  }

  /**
   * What a build of `path` (in the tree) can read, for its cache key: the
   * files under its folder, or the whole source when a kustomization there
   * may reach outside it (`../base`, an absolute path), so that an edit
   * elsewhere in the tree does not build it again.
   */
  public inputsOf(path: string): unknown {
    const prefix = path === this.distPath ? '' : `${path.slice(this.distPath.length + 1)}/`;
    this.sorted ??= [...this.files.keys()].sort();
    let first = 0;
    for (let last = this.sorted.length; first < last;) {
      const middle = (first + last) >>> 1;
      if (this.sorted[middle] < prefix) first = middle + 1;
      else last = middle;
    }
    const under = new Map<string, string | Buffer>();
    for (let i = first; i < this.sorted.length && this.sorted[i].startsWith(prefix); i++) {
      const file = this.sorted[i];
      const text = this.files.get(file)!;
      if (KUSTOMIZATION_FILES.includes(posix.basename(file)) && reachesOutside(String(text))) return this.allInputs();
      under.set(file, text);
    }
    return filesHash(under);
  }

  /** Whether the tree has the folder `path` (from the repository root). */
  public hasTreeFolder(path: string): boolean {
    if (this.folders === undefined) {
      // Every folder that holds a file, found once: a build asks this for each Kustomization.
      this.folders = new Set(['']);
      for (const file of this.files.keys()) for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) this.folders.add(dir);
    }
    return this.folders.has(path === this.distPath ? '' : path.slice(this.distPath.length + 1));
  }

  /** Adds a repository folder outside the tree. */
  public addFolder(path: string, dir: string): void {
    const files = readFiles(dir);
    this.extra.set(path, files);
    this.copied.add(`${path} ${filesHash(files)}`);
    if (this.folder) this.write(path, files);
  }

  /** The folder on disk, written on first use. */
  public get dir(): string {
    if (this.folder === undefined) {
      this.folder = mkdtempSync(join(tmpdir(), 'flux-helm-apps-build-'));
      this.write(this.distPath, this.files);
      for (const [path, files] of this.extra) this.write(path, files);
    }
    return this.folder;
  }

  private write(base: string, files: ReadonlyMap<string, string | Buffer>): void {
    for (const [path, content] of files) {
      const target = join(this.folder!, base, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }

  public remove(): void {
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
  }
}

/**
 * A build from the cache when the same inputs were built before: what the
 * build can read (the path's folder, or the whole source as Flux gets it),
 * the path, the spec laid over it, and kubectl.
 */
function cachedBuild(sandbox: Sandbox, path: string, spec: JsonObject, inTree: boolean, build: () => ManifestObject[]): ManifestObject[] {
  const kubectl = findTool('kubectl');
  const stat = kubectl ? statSync(kubectl) : undefined;
  const tool = kubectl && stat ? `${kubectl} ${stat.size} ${stat.mtimeMs}` : '';
  // Components of the spec may name any folder; a path outside the tree is a folder of the repository.
  const components = Array.isArray(spec.components) && spec.components.length > 0;
  const inputs = inTree && !components ? sandbox.inputsOf(path) : sandbox.allInputs();
  return cachedJson('builds', [inputs, path, spec, tool], build);
}

/**
 * Builds one Flux Kustomization path inside the sandbox, with its spec laid
 * over it; undefined when the path is a folder outside the tree that the
 * repository does not have (yet).
 */
function buildPath(path: string, spec: JsonObject, sandbox: Sandbox, source: BuildSource): ManifestObject[] | undefined {
  const inTree = path === source.distPath || path.startsWith(`${source.distPath}/`);
  if (inTree && !sandbox.hasTreeFolder(path)) throw new Error(`the folder ./${path} does not exist in the tree`);
  if (!inTree && ![...sandbox.copied].some((c) => c.startsWith(`${path} `))) {
    const original = resolve(source.repoRoot, path);
    if (!existsSync(original)) return undefined;
    sandbox.addFolder(path, original);
  }
  return cachedBuild(sandbox, path, spec, inTree, () => buildFresh(join(sandbox.dir, path), spec, sandbox.dir));
}

function buildFresh(target: string, spec: JsonObject, sandbox: string): ManifestObject[] {
  if (!hasKustomization(target)) generateKustomization(target);
  const over = join(sandbox, '.overlay');
  const toTarget = relative(over, target);
  const laid = overlay(spec, toTarget);
  if (laid === undefined) return kustomizeBuild(target);
  rmSync(over, { recursive: true, force: true });
  mkdirSync(over);
  writeFileSync(join(over, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [toTarget], ...laid }));
  return kustomizeBuild(over);
}
