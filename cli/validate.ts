// flux-helm-apps validate [--dist <folder>] [--secrets <folder>] [--charts <folder>] [--no-render]
// Checks a published tree as it is on disk, and that every Secret under secrets/
// is SOPS-encrypted, and prints a table of object, check and result.
// Exit code 1 on any error, or on anything that could not be checked.
import { resolve } from 'node:path';
import { validationPolicy } from '../lib/apps/validation-policy';
import { gitRoot, pathFromRoot } from '../lib/git-root';
import { failures } from '../lib/policy/finding';
import { formatReport, summarize } from '../lib/policy/report';
import { validateSecretsFolder, validateTree } from '../lib/effective/validate-tree';
import { flagValue } from './args';

export function validate(args: readonly string[]): number {
  const dist = resolve(flagValue(args, '--dist') ?? 'dist');
  const secrets = resolve(flagValue(args, '--secrets') ?? 'secrets');
  const render = !args.includes('--no-render');
  const charts = flagValue(args, '--charts');
  const policy = validationPolicy({ render, chartDirs: charts === undefined ? undefined : [charts] });

  // Flux Kustomization paths start with the tree's path from the Git root.
  const root = gitRoot() ?? process.cwd();
  const tree = validateTree(dist, policy, pathFromRoot(root, dist) ?? 'dist', root);
  const reports = [...tree.reports, ...validateSecretsFolder(secrets)];
  console.log(formatReport(reports, { colour: process.stdout.isTTY }));
  console.log('');
  console.log(summarize(reports));
  if (!render) console.log('helm render check skipped (--no-render)');
  const failed = failures(reports.flatMap((r) => r.findings), true);
  if (failed.length > 0) {
    console.error(`validation failed: ${failed.length} problem(s)`);
    return 1;
  }
  return 0;
}
