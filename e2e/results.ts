// PASS/FAIL lines and the final count. A positive check passes when the cluster is right;
// a negative test passes when the same check, run against a deliberately broken commit, FAILS.

export interface CheckResult { ok: boolean; detail: string }

interface Recorded { name: string; passed: boolean; detail: string }

const recorded: Recorded[] = [];

function record(name: string, passed: boolean, detail: string): void {
  recorded.push({ name, passed, detail });
  const text = detail.includes('\n') ? `\n      ${detail.split('\n').join('\n      ')}` : detail ? `: ${detail}` : '';
  process.stdout.write(`${passed ? 'PASS' : 'FAIL'} ${name}${text}\n`);
}

/** Records a positive assertion. */
export function expectPass(name: string, result: CheckResult): boolean {
  record(name, result.ok, result.detail);
  return result.ok;
}

/** Records a negative test: passes when `result` (the check against the broken commit) failed. */
export function expectCaught(name: string, result: CheckResult): boolean {
  record(`${name} (negative: the check must fail)`, !result.ok, result.ok ? `NOT CAUGHT, the check passed: ${result.detail}` : `caught: ${result.detail}`);
  return !result.ok;
}

/** Records a step that could not run at all (counts as failed). */
export function recordError(name: string, error: unknown): void {
  record(name, false, error instanceof Error ? error.message : String(error));
}

export function summary(): { passed: number; failed: number } {
  return { passed: recorded.filter((r) => r.passed).length, failed: recorded.filter((r) => !r.passed).length };
}

export function failures(): string[] {
  return recorded.filter((r) => !r.passed).map((r) => r.name);
}
