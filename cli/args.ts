// Command-line flags of the tools: `--name value`, and `--flag` switches.
import { UserError } from '../lib/errors';

/** The value after `--name`, or undefined; a flag given without a value is refused. */
export function flagValue(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UserError(`${name} needs a value, e.g. ${name} <value>`);
  return value;
}
