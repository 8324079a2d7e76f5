// Errors the user can fix (a bad prop, a refused policy, an unwritable dist/)
// are printed as their message, which names the fix, without a stack trace;
// `--verbose` or DEBUG=1 shows it. Anything else is a bug and keeps its stack.

/** An error in what the user wrote or has: the message says what, the value and the fix. */
export class UserError extends Error {
  public readonly userError = true;

  public constructor(message: string, options?: ErrorOptions) {
    // Named Error as before: only the flag tells it apart.
    super(message, options);
  }
}

/** True for a UserError, also one from another copy of this module. */
export function isUserError(error: unknown): error is Error {
  return error instanceof Error && (error as { userError?: unknown }).userError === true;
}

/** Whether stacks are wanted: `--verbose` on the command line, or $DEBUG set. */
export function verbose(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): boolean {
  return argv.includes('--verbose') || Boolean(env.DEBUG && env.DEBUG !== '0');
}

/** What to print for an error that ends the run. */
export function formatError(error: unknown, showStack = verbose()): string {
  if (!(error instanceof Error)) return `Error: ${String(error)}`;
  if (isUserError(error) && !showStack) return `Error: ${error.message}\n(run with --verbose or DEBUG=1 for the stack trace)`;
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  // A problem found where a construct was built but reported at synth keeps the first place as its cause.
  return error.cause instanceof Error ? `${stack}\nCaused by: ${formatError(error.cause, true)}` : stack;
}

let installed = false;

/**
 * Makes an entry script print user errors without a stack and exit 1. Only
 * when nothing else handles uncaught errors (a test runner does), so it never
 * hides a failure from one.
 */
export function installErrorHandler(): void {
  if (installed || process.listenerCount('uncaughtException') > 0) return;
  installed = true;
  process.on('uncaughtException', (error) => {
    process.stderr.write(`${formatError(error)}\n`);
    process.exit(1);
  });
}
