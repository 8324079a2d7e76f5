import { UserError } from '../errors';
/**
 * Collects the problems of a construct's props so one run reports them all,
 * instead of one per fix-and-retry.
 */
export class PropProblems {
  private readonly problems: string[] = [];

  public constructor(private readonly owner: string) {}

  /** Adds each problem that is set; rules return undefined when all is well. */
  public add(...problems: readonly (string | undefined)[]): void {
    for (const p of problems) if (p !== undefined) this.problems.push(p);
  }

  /** Throws one error listing every problem, if there are any. */
  public throwIfAny(): void {
    if (this.problems.length === 1) throw new UserError(`${this.owner}: ${this.problems[0]}`);
    if (this.problems.length > 1) {
      throw new UserError(`${this.owner}: ${this.problems.length} invalid props:\n${this.problems.map((p) => `  - ${p}`).join('\n')}`);
    }
  }
}
