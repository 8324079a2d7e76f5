import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of this package, the nearest one above this module with a
 * package.json: the checkout when run from source, `node_modules/<name>` when
 * installed (where its compiled modules lie one folder deeper, under build/).
 */
export function packageRoot(from = __dirname): string {
  // Where this module lies does not change: its own root is looked up once (chart lookups ask for every release).
  if (from === __dirname) return (ownRoot ??= findRoot(from));
  return findRoot(from);
}

let ownRoot: string | undefined;

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
