import { Finding } from './finding';

type Sink = (line: string) => void;

let sink: Sink = (line) => process.stderr.write(`${line}\n`);

/**
 * Prints warnings and unchecked findings prominently, once per synth: opt-ins
 * stay visible, and nothing that was not checked passes silently.
 */
export function emitWarnings(where: string, findings: readonly Finding[]): void {
  for (const f of findings) {
    if (f.severity === 'warning') sink(`WARNING [${where}] ${f.object}: ${f.check}: ${f.message}`);
    if (f.severity === 'unchecked') sink(`!!! NOT CHECKED [${where}] ${f.object}: ${f.check}: ${f.message}`);
  }
}

/** Runs `fn` with warnings collected instead of printed (for tests and tools). */
export function captureWarnings<T>(fn: () => T): { result: T; warnings: string[] } {
  const previous = sink;
  const warnings: string[] = [];
  sink = (line) => warnings.push(line);
  try {
    return { result: fn(), warnings };
  } finally {
    sink = previous;
  }
}
