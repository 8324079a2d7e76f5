// Timing whole processes: wall time from spawn to exit, and peak RSS from
// /usr/bin/time when the machine has it (Debian package `time`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Command {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface Sample {
  readonly seconds: number;
  /** Peak resident set size in MiB, when /usr/bin/time is there. */
  readonly rssMiB?: number;
}

export interface Stats {
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Largest peak RSS over the runs, MiB. */
  readonly rssMiB?: number;
}

const TIME = '/usr/bin/time';

/** Runs the command once; throws with its output when it fails. */
export function runOnce(command: Command): Sample {
  const scratch = mkdtempSync(join(tmpdir(), 'headlamp-bench-'));
  const rssFile = join(scratch, 'rss');
  const timed = existsSync(TIME);
  const [file, ...args] = timed ? [TIME, '-f', '%M', '-o', rssFile, ...command.argv] : command.argv;
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(file, args, { cwd: command.cwd, env: { ...process.env, ...command.env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) throw new Error(`${command.argv.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    const kib = timed ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
    return { seconds, rssMiB: Number.isFinite(kib) ? kib / 1024 : undefined };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `warmup` unrecorded runs (caches filled), then `runs` recorded ones. */
export function measure(command: Command, runs: number, warmup = 1): Stats {
  for (let i = 0; i < warmup; i++) runOnce(command);
  const samples = Array.from({ length: runs }, () => runOnce(command));
  const seconds = samples.map((s) => s.seconds);
  const rss = samples.map((s) => s.rssMiB).filter((r): r is number => r !== undefined);
  return { runs, median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), rssMiB: rss.length ? Math.max(...rss) : undefined };
}
