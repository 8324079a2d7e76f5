import { IConstruct } from 'constructs';
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

  /** Whether any problem was added. */
  public get any(): boolean {
    return this.problems.length > 0;
  }

  /** One message listing every problem, or undefined when there are none. */
  public message(): string | undefined {
    if (this.problems.length === 0) return undefined;
    if (this.problems.length === 1) return `${this.owner}: ${this.problems[0]}`;
    return `${this.owner}: ${this.problems.length} invalid props:\n${this.problems.map((p) => `  - ${p}`).join('\n')}`;
  }

  /** Throws one error listing every problem, if there are any. */
  public throwIfAny(): void {
    const message = this.message();
    if (message !== undefined) throw new UserError(message);
  }

  /**
   * Hands the problems to the root of `scope` when it collects them (a
   * FluxApp: synth then lists those of every construct, and the values
   * problems, in one error), else throws them. True when there were any: the
   * caller then builds nothing more.
   */
  public report(scope: IConstruct): boolean {
    const message = this.message();
    if (message === undefined) return false;
    const root = scope.node.root as Partial<IPropProblemSink>;
    if (typeof root.deferPropProblems !== 'function') throw new UserError(message);
    root.deferPropProblems(message);
    return true;
  }
}

/** A root construct that collects the prop problems of its constructs until synth. */
export interface IPropProblemSink {
  deferPropProblems(message: string): void;
}
