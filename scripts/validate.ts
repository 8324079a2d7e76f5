// npm run validate [-- --dist <folder>] [--secrets <folder>] [--charts <folder>] [--no-render]
// Checks a published tree as it is on disk, and that every Secret under secrets/
// is SOPS-encrypted, and prints a table of object, check and result.
// Exit code 1 on any error, or on anything that could not be checked.
import { relative, resolve, sep } from 'node:path';
import { validationPolicy } from '../lib/apps/validation-policy';
import { failures } from '../lib/policy/finding';
import { formatReport, summarize } from '../lib/policy/report';
import { validateSecretsFolder, validateTree } from '../lib/effective/validate-tree';

const args = process.argv.slice(2);
const distIndex = args.indexOf('--dist');
const dist = resolve(distIndex >= 0 ? args[distIndex + 1] : 'dist');
const secretsIndex = args.indexOf('--secrets');
const secrets = resolve(secretsIndex >= 0 ? args[secretsIndex + 1] : 'secrets');
const render = !args.includes('--no-render');
const chartsIndex = args.indexOf('--charts');
const policy = validationPolicy({ render, chartDirs: chartsIndex >= 0 ? [args[chartsIndex + 1]] : undefined });

// Flux Kustomization paths start with the tree's path from the repository root (run from there).
const fromRoot = relative(process.cwd(), dist).split(sep).join('/');
const tree = validateTree(dist, policy, fromRoot.startsWith('..') || fromRoot === '' ? 'dist' : fromRoot);
const reports = [...tree.reports, ...validateSecretsFolder(secrets)];
console.log(formatReport(reports, { colour: process.stdout.isTTY }));
console.log('');
console.log(summarize(reports));
if (!render) console.log('helm render check skipped (--no-render)');
const failed = failures(reports.flatMap((r) => r.findings), true);
if (failed.length > 0) {
  console.error(`validation failed: ${failed.length} problem(s)`);
  process.exitCode = 1;
}
