// flux-helm-apps init [--path <dir>] [--cluster <name>]
// Scaffolds a project in a new or existing Git repository, at its root or in a
// subfolder: main.ts, cdk8s.yaml, package.json scripts, tsconfig.json and
// .gitignore in the project; renovate.json and the workflow at the Git root.
// Never overwrites a file (a package.json only gains the keys it lacks), and
// prints the next steps with Flux paths from the Git root.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { UserError } from '../lib/errors';
import { gitRoot, pathFromRoot } from '../lib/git-root';
import { dnsLabelProblem } from '../lib/props/prop-rules';
import { flagValue } from './args';
import { ownPackage } from './package-info';
import { cdk8sYaml, devDependencies, gitignore, mainTs, npmrc, packageJson, renovateJson, scripts, ScaffoldOptions, tsconfigJson, workflowYaml } from './scaffold';

/** Adds the keys `pkg` lacks under `section`; returns the names added. */
function addMissing(pkg: Record<string, unknown>, section: string, wanted: Record<string, string>): string[] {
  const current = (pkg[section] ?? {}) as Record<string, string>;
  const added = Object.keys(wanted).filter((key) => current[key] === undefined);
  pkg[section] = { ...current, ...Object.fromEntries(added.map((key) => [key, wanted[key]])) };
  return added;
}

export function init(args: readonly string[], cwd = process.cwd()): number {
  const cluster = flagValue(args, '--cluster') ?? 'homelab';
  const problem = dnsLabelProblem('--cluster', cluster);
  if (problem) throw new UserError(problem);
  const target = resolve(cwd, flagValue(args, '--path') ?? '.');
  const found = gitRoot(target) ?? gitRoot(cwd);
  const root = found ?? cwd;
  const projectPath = target === root ? '' : pathFromRoot(root, target);
  if (projectPath === undefined) throw new UserError(`--path ${target} is outside the Git repository ${root}: run init inside the repository Flux syncs`);
  const options: ScaffoldOptions = { projectPath, cluster, pkg: ownPackage() };
  const show = (path: string) => relative(cwd, path).split(sep).join('/') || '.';

  const write = (path: string, text: string) => {
    if (existsSync(path)) {
      console.log(`kept     ${show(path)} (exists; init never overwrites a file)`);
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
    console.log(`created  ${show(path)}`);
  };
  const pkgPath = join(target, 'package.json');
  if (existsSync(pkgPath)) {
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as Record<string, unknown>;
    const added = [...addMissing(pkg, 'scripts', scripts(options)).map((s) => `script ${s}`), ...addMissing(pkg, 'devDependencies', devDependencies(options))];
    if (added.length > 0) writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
    console.log(added.length > 0 ? `updated  ${show(pkgPath)} (added ${added.join(', ')}; kept what was there)` : `kept     ${show(pkgPath)} (has every script and dependency)`);
  } else {
    write(pkgPath, packageJson(options, basename(target).toLowerCase().replace(/[^a-z0-9-]/g, '-') || 'gitops'));
  }
  write(join(target, 'main.ts'), mainTs(options));
  write(join(target, 'cdk8s.yaml'), cdk8sYaml());
  write(join(target, 'tsconfig.json'), tsconfigJson());
  write(join(target, '.gitignore'), gitignore());
  write(join(target, '.npmrc'), npmrc());
  write(join(root, 'renovate.json'), renovateJson(options));
  write(join(root, '.github/workflows/dist-in-sync.yml'), workflowYaml(options));

  console.log(nextSteps(options, root, target, cwd, found !== undefined));
  return 0;
}

/** What to run next, with the paths of this layout. */
function nextSteps(options: ScaffoldOptions, root: string, target: string, cwd: string, inGit: boolean): string {
  const clusterPath = posix.join(options.projectPath, 'dist/clusters', options.cluster);
  const existing = join(root, 'clusters', options.cluster);
  const into = relative(cwd, target) || '.';
  const steps = [
    '',
    'Next steps:',
    ...(inGit ? [] : ['  git init                                  # Flux paths are computed from the Git root: run init again after this if you move the project']),
    ...(into === '.' ? [] : [`  cd ${into}`]),
    '  npm install',
    '  npm run synth                             # writes dist/ (edit hostname in main.ts first)',
    '  npm run init-secrets -- --age <age1…>     # then fill in and sops --encrypt the tunnel Secret',
    '  git add -A && git commit -m "Headlamp" && git push',
    '',
  ];
  const line = `  - ${posix.relative(posix.join('clusters', options.cluster), clusterPath)}/${'headlamp'}.yaml`;
  if (existsSync(join(existing, 'flux-system'))) {
    steps.push(`This repository already has ./clusters/${options.cluster}: add this line under resources: in clusters/${options.cluster}/kustomization.yaml:`, line);
  } else {
    steps.push('Then bootstrap Flux on the cluster folder:', `  flux bootstrap github --owner=<you> --repository=<repo> --branch=main --path=./${clusterPath} --personal`,
      `(or, in a cluster that already syncs ./clusters/${options.cluster}, add this line under resources: in its kustomization.yaml:`, `${line})`);
  }
  steps.push('', 'npm run doctor checks every Flux path from the Git root and that the cluster applies the generated file.');
  return steps.join('\n');
}
