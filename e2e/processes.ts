// Every process and server the run starts is registered here and ended at exit,
// by its PID (SIGTERM, then SIGKILL), also on Ctrl-C and on failure.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { log } from './log';

interface Started {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: boolean;
}

const started: Started[] = [];
const servers: Array<{ name: string; close: () => Promise<void> }> = [];
const tempDirs: string[] = [];
let stopping = false;

/** Starts `command` with its output in `<logDir>/<name>.log`; it is ended at exit. */
export function startProcess(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; logDir: string; cwd?: string }): ChildProcess {
  const logFile = join(options.logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', fd, fd], detached: false });
  closeSync(fd);
  const entry: Started = { name, child, logFile, exited: false };
  started.push(entry);
  child.on('exit', (code, signal) => {
    entry.exited = true;
    if (!stopping) log(`${name} (pid ${child.pid}) exited unexpectedly (${signal ?? `code ${code}`}); last lines of ${logFile}:\n${logTail(logFile)}`);
  });
  log(`started ${name} (pid ${child.pid}), log ${logFile}`);
  return child;
}

export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `    ${l.slice(0, 400)}`).join('\n');
  } catch {
    return '    (no log)';
  }
}

/** The processes that have exited although nothing asked them to. */
export function deadProcesses(): string[] {
  return started.filter((s) => s.exited).map((s) => s.name);
}

export function registerServer(name: string, server: { close: (cb: () => void) => unknown; closeAllConnections?: () => void }): void {
  servers.push({ name, close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections?.(); }) });
}

export function registerTempDir(dir: string): void {
  tempDirs.push(dir);
}

/** Ends every started process by PID (reverse start order), closes servers, deletes temp dirs. */
export async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const s of [...started].reverse()) {
    if (s.exited || s.child.pid === undefined) continue;
    try { process.kill(s.child.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  const deadline = Date.now() + 10_000;
  while (started.some((s) => !s.exited) && Date.now() < deadline) await sleep(100);
  for (const s of started) {
    if (!s.exited && s.child.pid !== undefined) {
      try { process.kill(s.child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }
  for (const s of servers) await Promise.race([s.close(), sleep(2000)]);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

/** Synchronous last resort (process 'exit' event): SIGKILL whatever is left, by PID. */
export function killAllSync(): void {
  for (const s of started) {
    if (!s.exited && s.child.pid !== undefined) {
      try { process.kill(s.child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }
  for (const dir of tempDirs) {
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion; throws with its output on a non-zero exit unless `allowFail`. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; allowFail?: boolean; timeoutMs?: number } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, input: options.input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 });
  if (r.error) throw new Error(`${command} ${args.join(' ')}: ${r.error.message}`);
  const result = { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  if (result.status !== 0 && !options.allowFail) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${r.stderr.trim() || r.stdout.trim()}`);
  return result;
}

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, intervalMs = 1000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await sleep(intervalMs);
  }
}
