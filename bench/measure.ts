// Timing whole processes: wall time from spawn to exit, and peak RSS and CPU
// time (user + system) from /usr/bin/time when the machine has it (Debian
// package `time`). CPU time hardly moves when other work shares the cores,
// wall time does: the two side by side tell a slow run from a crowded machine.
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
  /** User + system CPU seconds, when /usr/bin/time is there. */
  readonly cpuSeconds?: number;
}

export interface Stats {
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Largest peak RSS over the runs, MiB. */
  readonly rssMiB?: number;
  /** Median user + system CPU seconds. */
  readonly cpu?: number;
}

const TIME = '/usr/bin/time';

/** Runs the command once; throws with its output when it fails. */
export function runOnce(command: Command): Sample {
  const scratch = mkdtempSync(join(tmpdir(), 'headlamp-bench-'));
  const rssFile = join(scratch, 'rss');
  const timed = existsSync(TIME);
  const [file, ...args] = timed ? [TIME, '-f', '%M %U %S', '-o', rssFile, ...command.argv] : command.argv;
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(file, args, { cwd: command.cwd, env: { ...process.env, ...command.env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) throw new Error(`${command.argv.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    // The last line is ours; a killed command has a line about its signal before it.
    const [kib, user, system] = timed ? readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN, NaN];
    return { seconds, rssMiB: Number.isFinite(kib) ? kib / 1024 : undefined, cpuSeconds: Number.isFinite(user + system) ? user + system : undefined };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `warmup` unrecorded runs (caches filled), then `runs` recorded ones. A
 * function is called for the command of each run, untimed: a cold case makes
 * its empty cache folders there.
 */
export function measure(command: Command | (() => Command), runs: number, warmup = 1): Stats {
  const next = typeof command === 'function' ? command : () => command;
  for (let i = 0; i < warmup; i++) runOnce(next());
  const samples = Array.from({ length: runs }, () => runOnce(next()));
  const seconds = samples.map((s) => s.seconds);
  const rss = samples.map((s) => s.rssMiB).filter((r): r is number => r !== undefined);
  const cpu = samples.map((s) => s.cpuSeconds).filter((c): c is number => c !== undefined);
  return {
    runs, median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds),
    rssMiB: rss.length ? Math.max(...rss) : undefined, cpu: cpu.length ? median(cpu) : undefined,
  };
}
