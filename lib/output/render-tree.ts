import { posix } from 'node:path';
import { chartObjects } from './chart-objects';
import { FluxFile } from './flux-file';
import { ConfigMapGenerator } from './config-map-generator';
import { GENERATED_MARKER, MARKDOWN_MARKER } from './generated-marker';
import { MarkdownFile } from './markdown-file';
import { UserError } from '../errors';
import { yamlKey, yamlText } from './yaml-docs';

/** File path inside the tree → file content. Keys are sorted, so iteration order is stable. */
export type FluxTree = ReadonlyMap<string, string>;

/** Texts published before, found by the key of what they were written from (see PublishedTexts). */
export interface KnownTexts {
  /** The text at `path` when it was written from content with this key, else undefined. */
  find(path: string, key: string): string | undefined;
  /** Notes the text written at `path` from content with this key. */
  made(path: string, key: string, text: string): void;
}

/** The text of a YAML file of `docs`: found in `known` when the same objects were published there before, else written. */
function yamlFile(path: string, docs: readonly unknown[], known?: KnownTexts): string {
  const key = known && yamlKey(GENERATED_MARKER, docs);
  const found = key === undefined ? undefined : known?.find(path, key);
  if (found !== undefined) return found;
  const text = yamlText(GENERATED_MARKER, docs);
  if (key !== undefined) known?.made(path, key, text);
  return text;
}

interface RenderedFile {
  readonly path: string;
  readonly text: string;
  readonly listed: boolean;
  readonly sharedAs?: string;
}

/** A folder's entries: listed files and folders and generators (for its kustomization.yaml), and unlisted files. */
interface Folder {
  readonly resources: string[];
  readonly unlisted: string[];
  readonly generators: { name: string; namespace: string; files: string[] }[];
}

/**
 * kustomize's name references for generated values: a HelmRelease's
 * `spec.valuesFrom[].name` follows the hashed name of the ConfigMap it names.
 */
const VALUES_NAME_REFERENCE = {
  nameReference: [{ kind: 'ConfigMap', version: 'v1', fieldSpecs: [{ path: 'spec/valuesFrom/name', kind: 'HelmRelease' }] }],
};

/**
 * Renders the files of a synthesized app: one YAML file per FluxFile, one
 * Markdown file per MarkdownFile and, in each folder of listed files, a
 * `kustomization.yaml` naming them in order. Files marked `sharedAs` whose
 * copies are identical in every overlay move to the shared base, which the
 * overlays then list first. With `known`, a YAML file whose objects were
 * published at the same path before is read back instead of written again.
 */
export function renderTree(files: readonly FluxFile[], documents: readonly MarkdownFile[] = [], generators: readonly ConfigMapGenerator[] = [], known?: KnownTexts): FluxTree {
  const rendered: RenderedFile[] = [];
  const claimed = new Map<string, string>();
  const claim = (path: string, by: string) => {
    if (claimed.has(path)) throw new UserError(`two constructs write ${path} (${claimed.get(path)} and ${by}): give each stack its own name or cluster`);
    claimed.set(path, by);
  };
  for (const file of files) {
    claim(file.path, file.node.path);
    const docs = chartObjects(file);
    if (docs.length > 0) rendered.push({ path: file.path, text: yamlFile(file.path, docs, known), listed: file.listed, sharedAs: file.sharedAs });
  }

  const tree = new Map<string, string>();
  const folders = new Map<string, Folder>();
  const folderOf = (dir: string) => folders.get(dir) ?? folders.set(dir, { resources: [], unlisted: [], generators: [] }).get(dir)!;
  const { shared, bases } = foldSharedFiles(rendered);
  for (const [overlay, base] of bases) folderOf(overlay).resources.push(posix.relative(overlay, base));
  for (const file of rendered) {
    if (shared.has(file.path)) continue; // folded into its base, which the overlay lists
    tree.set(file.path, file.text);
    const folder = folderOf(posix.dirname(file.path));
    (file.listed ? folder.resources : folder.unlisted).push(posix.basename(file.path));
  }
  for (const [path, text] of sharedTexts(rendered, shared)) {
    claim(path, 'the shared base');
    tree.set(path, text);
    folderOf(posix.dirname(path)).resources.push(posix.basename(path));
  }
  for (const generator of generators) {
    for (const [key, path] of generator.paths) {
      claim(path, generator.node.path);
      tree.set(path, `${GENERATED_MARKER}\n${generator.files[key]}`);
    }
    folderOf(generator.dir).generators.push({ name: generator.name, namespace: generator.namespace, files: [...generator.paths.keys()] });
  }
  for (const [dir, { resources, unlisted, generators: made }] of folders) {
    if (resources.length === 0 && made.length === 0) continue;
    if (unlisted.length > 0) {
      throw new UserError(`folder ${dir} mixes files listed in kustomization.yaml (${resources.join(', ')}) with unlisted ones (${unlisted.join(', ')}): put them in separate folders`);
    }
    const path = posix.join(dir, 'kustomization.yaml');
    if (tree.has(path)) throw new UserError(`${path} is generated from the files of ${dir}; do not declare it as a FluxFile`);
    const generated = made.length === 0 ? {} : { configMapGenerator: made, configurations: ['kustomizeconfig.yaml'] };
    tree.set(path, yamlFile(path, [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources, ...generated }], known));
    if (made.length > 0) {
      claim(posix.join(dir, 'kustomizeconfig.yaml'), 'the generated kustomization');
      tree.set(posix.join(dir, 'kustomizeconfig.yaml'), yamlFile(posix.join(dir, 'kustomizeconfig.yaml'), [VALUES_NAME_REFERENCE], known));
    }
  }
  for (const doc of documents) {
    claim(doc.path, doc.node.path);
    tree.set(doc.path, `${MARKDOWN_MARKER}\n${doc.render()}`);
  }
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Which files move to a shared base: a `sharedAs` path is used when every
 * overlay of that base has a copy and all copies are identical. Returns file
 * path → shared path, and overlay folder → base folder for overlays that use it.
 */
function foldSharedFiles(rendered: readonly RenderedFile[]): { shared: Map<string, string>; bases: Map<string, string> } {
  const overlaysOf = new Map<string, Set<string>>();
  const copies = new Map<string, RenderedFile[]>();
  for (const file of rendered) {
    if (file.sharedAs === undefined) continue;
    const base = posix.dirname(file.sharedAs);
    (overlaysOf.get(base) ?? overlaysOf.set(base, new Set()).get(base)!).add(posix.dirname(file.path));
    (copies.get(file.sharedAs) ?? copies.set(file.sharedAs, []).get(file.sharedAs)!).push(file);
  }
  const shared = new Map<string, string>();
  const bases = new Map<string, string>();
  for (const [sharedAs, group] of copies) {
    const base = posix.dirname(sharedAs);
    const overlays = overlaysOf.get(base)!;
    const everywhere = new Set(group.map((f) => posix.dirname(f.path))).size === overlays.size && group.length === overlays.size;
    if (!everywhere || group.some((f) => f.text !== group[0].text)) continue;
    for (const file of group) shared.set(file.path, sharedAs);
    for (const overlay of overlays) bases.set(overlay, base);
  }
  return { shared, bases };
}

/** Shared path → text, in the order the first copy of each was declared. */
function sharedTexts(rendered: readonly RenderedFile[], shared: ReadonlyMap<string, string>): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of rendered) {
    const target = shared.get(file.path);
    if (target !== undefined && !texts.has(target)) texts.set(target, file.text);
  }
  return texts;
}
