// What npm run kube-score makes of kube-score's JSON output: each finding is
// waived (with its reason, in kube-score-waivers.yaml) or fails, and a waiver
// that matches no finding fails too, so the waivers never outlive the problem.

/** One entry of kube-score-waivers.yaml: `object` may use `*` for any run of characters. */
export interface Waiver {
  readonly check: string;
  readonly object: string;
  readonly reason: string;
}

/** A check kube-score graded below 10 (OK), for one object. */
export interface Finding {
  readonly check: string;
  /** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
  readonly object: string;
  readonly summary: string;
}

/** The part of one object of `kube-score score --output-format json` this reads. */
export interface ScoredObject {
  readonly type_meta: { readonly kind: string };
  readonly object_meta: { readonly name: string; readonly namespace?: string };
  readonly checks: readonly {
    readonly check: { readonly id: string };
    readonly grade: number;
    readonly skipped: boolean;
    readonly comments: readonly { readonly summary: string }[] | null;
  }[];
}

/** kube-score's grade of a passed check. */
const GRADE_OK = 10;

/** The checks kube-score ran and graded below OK, one finding each. */
export function findingsOf(scored: readonly ScoredObject[]): Finding[] {
  return scored.flatMap((o) => o.checks.filter((c) => !c.skipped && c.grade < GRADE_OK).map((c) => ({
    check: c.check.id,
    object: `${o.type_meta.kind} ${o.object_meta.namespace ? `${o.object_meta.namespace}/` : ''}${o.object_meta.name}`,
    summary: (c.comments ?? []).map((x) => x.summary).join('; '),
  })));
}

/** `*` in a waiver's object matches any run of characters. */
function matches(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
}

/** The report's lines (waived, FAIL, STALE), whether it fails, and how many waivers were used. */
export function judgeFindings(findings: readonly Finding[], waivers: readonly Waiver[]): { lines: string[]; failed: boolean; used: number } {
  const used = new Set<Waiver>();
  const lines: string[] = [];
  let failed = false;
  for (const f of findings) {
    const waiver = waivers.find((w) => w.check === f.check && matches(w.object, f.object));
    if (waiver) {
      used.add(waiver);
      lines.push(`waived  ${f.object}: ${f.check} (${waiver.reason.slice(0, 80)}…)`);
    } else {
      failed = true;
      lines.push(`FAIL    ${f.object}: ${f.check}: ${f.summary}: fix it, or waive it with its reason in kube-score-waivers.yaml`);
    }
  }
  for (const w of waivers.filter((x) => !used.has(x))) {
    failed = true;
    lines.push(`STALE   waiver ${w.check} for ${w.object} matches no finding: delete it from kube-score-waivers.yaml`);
  }
  return { lines, failed, used: used.size };
}
