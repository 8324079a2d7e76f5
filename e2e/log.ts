// One timestamped line per event, relative to the start of the run.
const start = Date.now();

export function log(message: string): void {
  const s = ((Date.now() - start) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${s}s] ${message}\n`);
}

export function elapsed(): number {
  return (Date.now() - start) / 1000;
}
