import { Finding } from './finding';

/** The checks run on one object and what they found. */
export interface ObjectReport {
  readonly object: string;
  /** Names of the checks that applied to this object. */
  readonly checks: readonly string[];
  readonly findings: readonly Finding[];
}

const LABELS = { error: 'FAIL', warning: 'warn', unchecked: 'NOT CHECKED' } as const;
const COLOURS = { error: '31', warning: '33', unchecked: '35', ok: '32' } as const;

/**
 * A table of object, check and result: one `ok` row for an object whose checks
 * all passed, one row per finding otherwise.
 */
export function formatReport(reports: readonly ObjectReport[], options: { colour?: boolean } = {}): string {
  const paint = (code: string, text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const rows: [string, string, string, string][] = [];
  for (const report of reports) {
    if (report.findings.length === 0) {
      rows.push([report.object, report.checks.join(', '), 'ok', COLOURS.ok]);
      continue;
    }
    for (const f of report.findings) rows.push([report.object, f.check, `${LABELS[f.severity]}: ${f.message}`, COLOURS[f.severity]]);
  }
  const header: [string, string, string] = ['OBJECT', 'CHECK', 'RESULT'];
  const width = (i: 0 | 1) => Math.max(header[i].length, ...rows.map((r) => r[i].length));
  const line = (cells: readonly string[], result: string) => `${cells[0].padEnd(width(0))}  ${cells[1].padEnd(width(1))}  ${result}`;
  return [line(header, header[2]), ...rows.map((r) => line(r, paint(r[3], r[2])))].join('\n');
}

/** A one-line count: `12 objects: 10 ok, 2 errors, 1 warning, 0 not checked`. */
export function summarize(reports: readonly ObjectReport[]): string {
  const all = reports.flatMap((r) => r.findings);
  const count = (s: Finding['severity']) => all.filter((f) => f.severity === s).length;
  const ok = reports.filter((r) => r.findings.length === 0).length;
  return `${reports.length} objects: ${ok} ok, ${count('error')} errors, ${count('warning')} warnings, ${count('unchecked')} not checked`;
}
