// npm run plan [-- --dist <folder>]
// Synthesizes main.ts into a scratch folder and shows what would change in dist/
// (as it is in the working tree) object by object. Writes nothing to dist/.
// Exit code: 0 no change, 2 changes, 1 synth failed.
import { resolve } from 'node:path';
import { formatPlan, planChanges } from '../lib/output/plan';
import { readGeneratedTree } from '../lib/output/read-tree';
import { scratchSynth } from './scratch-synth';

const args = process.argv.slice(2);
const distIndex = args.indexOf('--dist');
const dist = resolve(distIndex >= 0 ? args[distIndex + 1] : 'dist');
const next = scratchSynth();
if (next === undefined) {
  console.error('plan: synth failed (above); dist/ was not changed');
  process.exitCode = 1;
} else {
  const changes = planChanges(readGeneratedTree(dist), next);
  console.log(formatPlan(changes, { colour: process.stdout.isTTY }));
  process.exitCode = changes.length > 0 ? 2 : 0;
}
