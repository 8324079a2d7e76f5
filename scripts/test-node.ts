// npm run test:node -- <major>: the unit suite on another major of Node.js
// (from npm, see node-dist.ts), with that Node first on PATH so every process
// the tests start runs on it too.
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { nodeBinary } from './node-dist';

const major = Number(process.argv[2]);
if (!Number.isInteger(major) || major < 20) throw new Error(`usage: npm run test:node -- <major>, e.g. 22 (got "${process.argv[2] ?? ''}")`);
const node = nodeBinary(major);
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`unit tests on Node.js ${version} (${node})`);
const result = spawnSync(node, ['--require', 'tsx/cjs', join(__dirname, '..', 'test', 'unit.ts')], {
  stdio: 'inherit',
  env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` },
});
process.exitCode = result.status ?? 1;
