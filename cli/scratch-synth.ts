// Runs the project's app (the `app` command of its cdk8s.yaml, as
// `npx cdk8s synth` would) with its Flux tree sent to a scratch folder, so the
// tools can read what synth would write without touching dist/, and learn from
// the app where it really publishes (lib/output/synth-report.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { parse } from 'yaml';
import { gitRoot, projectPath } from '../lib/git-root';
import { readGeneratedTree } from '../lib/output/read-tree';
import { FluxTree } from '../lib/output/render-tree';
import { AppPlacement, readReport, SYNTH_REPORT_ENV } from '../lib/output/synth-report';

/** What `npx cdk8s synth` runs when cdk8s.yaml names no app. */
export const DEFAULT_APP = 'node --import tsx main.ts';

/** The `app` command of `cwd`/cdk8s.yaml, with `node` the Node.js running this tool. */
export function appCommand(cwd = process.cwd()): string {
  const file = join(cwd, 'cdk8s.yaml');
  const app = existsSync(file) ? (parse(readFileSync(file, 'utf8')) as { app?: unknown } | null)?.app : undefined;
  const command = typeof app === 'string' && app.trim() !== '' ? app.trim() : DEFAULT_APP;
  return command.replace(/^node(?=\s)/, JSON.stringify(process.execPath));
}

/** Where an app publishes when it reported nothing (it failed before building a FluxApp). */
export function defaultPlacement(cwd = process.cwd()): AppPlacement {
  const root = gitRoot(cwd) ?? cwd;
  return { distDir: resolve(cwd, 'dist'), distPath: posix.join(projectPath(cwd), 'dist'), repoRoot: root };
}

export interface ScratchSynth {
  /** The tree the app would publish, or undefined when synth failed (its errors went to stderr). */
  readonly tree: FluxTree | undefined;
  /** Where the (first) FluxApp publishes for real. */
  readonly placement: AppPlacement;
}

export function scratchSynth(cwd = process.cwd()): ScratchSynth {
  const scratch = mkdtempSync(join(tmpdir(), 'flux-helm-apps-scratch-'));
  try {
    const report = join(scratch, 'placements.jsonl');
    const synth = spawnSync(appCommand(cwd), {
      cwd,
      shell: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, HEADLAMP_DIST_DIR: join(scratch, 'dist'), [SYNTH_REPORT_ENV]: report },
    });
    const placement = readReport(report)[0] ?? defaultPlacement(cwd);
    return { tree: synth.status === 0 ? readGeneratedTree(join(scratch, 'dist')) : undefined, placement };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
