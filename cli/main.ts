// The commands of flux-helm-apps (the bin is flux-helm-apps.ts): the tools of a
// project built on this package, run from the project folder (where main.ts and cdk8s.yaml are).
import { formatError, isUserError, verbose } from '../lib/errors';
import { doctor } from './doctor';
import { init } from './init';
import { initSecrets } from './init-secrets';
import { plan } from './plan';
import { synth } from './synth';
import { validate } from './validate';

const COMMANDS: Record<string, { run: (args: readonly string[]) => number; help: string }> = {
  init: { run: init, help: 'init [--path <dir>] [--cluster <name>]   scaffold a project (never overwrites a file)' },
  synth: { run: synth, help: 'synth                                    publish the Flux tree to dist/' },
  validate: { run: validate, help: 'validate [--dist <dir>] [--no-render]    check dist/ and secrets/ as they are on disk' },
  plan: { run: plan, help: 'plan [--dist <dir>]                      what a synth would change in dist/ (exit 2 on changes)' },
  doctor: { run: doctor, help: 'doctor                                   offline checks of the checkout, each with its fix' },
  'init-secrets': { run: initSecrets, help: 'init-secrets [--age <recipient>]         templates for the Secrets, and .sops.yaml' },
};

export function main(argv: readonly string[]): number {
  const args = argv.filter((a) => a !== '--verbose');
  const [name, ...rest] = args;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    const usage = `usage: flux-helm-apps <command> [--verbose]\n${Object.values(COMMANDS).map((c) => `  ${c.help}`).join('\n')}`;
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      console.log(usage);
      return 0;
    }
    console.error(`unknown command "${name}"\n${usage}`);
    return 1;
  }
  try {
    return command.run(rest);
  } catch (error) {
    console.error(formatError(error, verbose(argv)));
    return isUserError(error) ? 1 : 70;
  }
}
