import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { GENERATED_MARKER, FluxTree } from './render-tree';

/** The generated files under `root` (those that start with the marker), as a tree; files synth did not write are left out. */
export function readGeneratedTree(root: string): FluxTree {
  const tree = new Map<string, string>();
  if (!existsSync(root)) return tree;
  const entries = readdirSync(root, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.yaml'));
  for (const entry of entries) {
    const path = posix.join(relative(root, entry.parentPath ?? entry.path).split('\\').join('/'), entry.name);
    const text = readFileSync(join(root, path), 'utf8');
    if (text.startsWith(GENERATED_MARKER)) tree.set(path, text);
  }
  return new Map([...tree].sort(([a], [b]) => a.localeCompare(b)));
}
