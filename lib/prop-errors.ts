/**
 * Collects the problems of a construct's props so one run reports them all,
 * instead of one per fix-and-retry.
 */
export class PropErrors {
  private readonly problems: string[] = [];

  public constructor(private readonly owner: string) {}

  /** Runs a check that throws, keeping its message. */
  public check(assertion: () => void): void {
    try {
      assertion();
    } catch (error) {
      this.problems.push((error as Error).message);
    }
  }

  public add(problem: string): void {
    this.problems.push(problem);
  }

  /** Throws one error listing every problem, if there are any. */
  public throwIfAny(): void {
    if (this.problems.length === 1) throw new Error(`${this.owner}: ${this.problems[0]}`);
    if (this.problems.length > 1) {
      throw new Error(`${this.owner}: ${this.problems.length} invalid props:\n${this.problems.map((p) => `  - ${p}`).join('\n')}`);
    }
  }
}
