import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { GENERATED_MARKER, FluxTree } from './render-tree';

/** Paths (with `/`) of the YAML files under `root`, sorted. */
export function yamlFilesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => posix.join(relative(root, e.parentPath ?? e.path).split('\\').join('/'), e.name))
    .sort();
}

/** The generated files under `root` (those that start with the marker), as a tree; files synth did not write are left out. */
export function readGeneratedTree(root: string): FluxTree {
  const tree = new Map<string, string>();
  if (!existsSync(root)) return tree;
  for (const path of yamlFilesUnder(root)) {
    const text = readFileSync(join(root, path), 'utf8');
    if (text.startsWith(GENERATED_MARKER)) tree.set(path, text);
  }
  return tree;
}
