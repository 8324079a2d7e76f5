import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { isGenerated } from './generated-marker';
import { FluxTree } from './render-tree';

/** Paths (with `/`) of the files under `root` whose names match `pattern`, sorted. */
function filesUnder(root: string, pattern: RegExp): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => posix.join(relative(root, e.parentPath ?? e.path).split('\\').join('/'), e.name))
    .sort();
}

/** Paths (with `/`) of the YAML files under `root`, sorted. */
export function yamlFilesUnder(root: string): string[] {
  return filesUnder(root, /\.ya?ml$/);
}

/** The generated files under `root` (those that start with their marker), as a tree; files synth did not write are left out. */
export function readGeneratedTree(root: string): FluxTree {
  const tree = new Map<string, string>();
  if (!existsSync(root)) return tree;
  for (const path of filesUnder(root, /\.(ya?ml|md)$/)) {
    const text = readFileSync(join(root, path), 'utf8');
    if (isGenerated(path, text)) tree.set(path, text);
  }
  return tree;
}
