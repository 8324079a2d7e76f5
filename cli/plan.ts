// flux-helm-apps plan [--dist <folder>]
// Synthesizes the app into a scratch folder and shows what would change in its
// dist/ (as it is in the working tree) object by object. Writes nothing to dist/.
// Exit code: 0 no change, 2 changes, 1 synth failed.
import { resolve } from 'node:path';
import { formatPlan, planChanges } from '../lib/output/plan';
import { readGeneratedTree } from '../lib/output/read-tree';
import { flagValue } from './args';
import { scratchSynth } from './scratch-synth';

export function plan(args: readonly string[]): number {
  const dist = flagValue(args, '--dist');
  const { tree, placement } = scratchSynth();
  if (tree === undefined) {
    console.error('plan: synth failed (above); dist/ was not changed');
    return 1;
  }
  const changes = planChanges(readGeneratedTree(dist === undefined ? placement.distDir : resolve(dist)), tree);
  console.log(formatPlan(changes, { colour: process.stdout.isTTY }));
  return changes.length > 0 ? 2 : 0;
}
