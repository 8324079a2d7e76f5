// Runs main.ts with its Flux tree sent to a scratch folder, so tools can read
// what synth would write without touching dist/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGeneratedTree } from '../lib/output/read-tree';
import { FluxTree } from '../lib/output/render-tree';

/** The tree main.ts would publish, or undefined when synth failed (its errors went to stderr). */
export function scratchSynth(): FluxTree | undefined {
  const scratch = mkdtempSync(join(tmpdir(), 'headlamp-scratch-'));
  try {
    const synth = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, HEADLAMP_DIST_DIR: join(scratch, 'dist') },
    });
    return synth.status === 0 ? readGeneratedTree(join(scratch, 'dist')) : undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
