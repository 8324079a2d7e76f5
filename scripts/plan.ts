// npm run plan [-- --dist <folder>]
// Synthesizes main.ts into a scratch folder and shows what would change in dist/
// (as it is in the working tree) object by object. Writes nothing to dist/.
// Exit code: 0 no change, 2 changes, 1 synth failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatPlan, planChanges } from '../lib/output/plan';
import { readGeneratedTree } from '../lib/output/read-tree';

const args = process.argv.slice(2);
const distIndex = args.indexOf('--dist');
const dist = resolve(distIndex >= 0 ? args[distIndex + 1] : 'dist');
const scratch = mkdtempSync(join(tmpdir(), 'headlamp-plan-'));
try {
  const synth = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, HEADLAMP_DIST_DIR: join(scratch, 'dist'), CDK8S_OUTDIR: join(scratch, 'out') },
  });
  if (synth.status !== 0) {
    console.error('plan: synth failed (above); dist/ was not changed');
    process.exitCode = 1;
  } else {
    const changes = planChanges(readGeneratedTree(dist), readGeneratedTree(join(scratch, 'dist')));
    console.log(formatPlan(changes, { colour: process.stdout.isTTY }));
    process.exitCode = changes.length > 0 ? 2 : 0;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
