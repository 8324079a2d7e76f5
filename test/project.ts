// Scratch projects for the CLI tier: copies of this project that tests may
// edit, synthesize and break, and the way to run their package scripts. This
// module loads nothing of lib/, so a test process that only runs scripts does
// not pay for loading the toolkit (see helpers.ts for in-process synths).
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { locked, PROJECT_FILES } from '../scripts/build.cjs';

export const ROOT = join(__dirname, '..');

export const FIXTURES = join(__dirname, 'fixtures');

const made: string[] = [];
// Removed when the test file's process ends, so runs do not pile up in /tmp.
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new folder in the temporary folder, removed when this process ends. */
export function tempDir(prefix = 'headlamp-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Every file under `dir`, by relative path. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/**
 * Runs a script of a project's package.json as `npm run --silent <name> -- <args>`
 * does (its command line in a shell, node_modules/.bin on PATH), without npm's
 * own start-up, which costs more than many of the tools it starts.
 */
export function runScript(project: string, name: string, args: readonly string[] = [], options: { env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const scripts = (JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const command = scripts[name];
  if (command === undefined) throw new Error(`no script ${name} in ${project}/package.json`);
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const env = { ...process.env, ...options.env };
  return spawnSync('sh', ['-c', `${command} ${quoted}`], { cwd: project, encoding: 'utf8', env: { ...env, PATH: `${join(project, 'node_modules', '.bin')}${delimiter}${env.PATH ?? ''}` } });
}

/**
 * The entry point of scratch projects: the homelab example as the README first
 * shows it (main.ts as committed, so its build is the repository's), independent
 * of how the user edited main.ts.
 */
export const SCRATCH_MAIN = [
  '// The homelab example: `npm run synth` (or `npx cdk8s synth`) publishes the Flux tree to dist/.',
  "import { FluxApp, HeadlampStack } from './lib';",
  '',
  'const app = new FluxApp();',
  "new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net' });",
  'app.synth();',
  '',
].join('\n');

const SCRATCH_TEMPLATE_PREFIX = 'flux-helm-apps-scratch-';

/** Copies the project files and `extra` from `from` to `to` with a build/ (from `build`, default `from`/build), and links node_modules. */
function copyProject(from: string, to: string, extra: readonly string[] = [], build = join(from, 'build')): void {
  for (const entry of [...PROJECT_FILES, ...extra]) cpSync(join(from, entry), join(to, entry), { recursive: true });
  // Without declarations (for the package only): copying files is slow on this disk (~1 ms each).
  if (existsSync(build)) cpSync(build, join(to, 'build'), { recursive: true, filter: (src) => !src.endsWith('.d.ts') });
  symlinkSync(join(ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/** Runs scripts/build.cjs in `dir` (a no-op when its build/ is current); throws with tsc's output when it fails. */
export function buildProject(dir: string): void {
  const result = spawnSync(process.execPath, ['scripts/build.cjs'], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed in ${dir}:\n${result.stdout}${result.stderr}`);
}

let scratchTemplate: string | undefined;

/**
 * The build/ and the synthesized dist/ of a project whose main.ts is
 * SCRATCH_MAIN, made once per content of the sources, SCRATCH_MAIN and this
 * file (in the temporary folder, named by their digest) and shared by the test
 * processes: each scratch project copies them instead of synthesizing again,
 * and when the user's main.ts differs from SCRATCH_MAIN, tsc compiles
 * SCRATCH_MAIN once, not once per scratch project.
 */
function scratchTemplateDir(): string {
  if (scratchTemplate !== undefined) return scratchTemplate;
  buildProject(ROOT);
  const key = createHash('sha256').update(readFileSync(join(ROOT, 'build/.sources.json'))).update(SCRATCH_MAIN).update(readFileSync(__filename)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `${SCRATCH_TEMPLATE_PREFIX}${key}`);
  // One test process makes it while the others wait: each would otherwise pay for a build and a synth.
  if (!existsSync(dir)) locked(`${dir}.lock`, () => existsSync(dir) || makeTemplate(dir));
  scratchTemplate = dir;
  return dir;
}

/** Builds and synthesizes SCRATCH_MAIN in a copy of the project, then moves its build/ and dist/ to `dir` in one rename. */
function makeTemplate(dir: string): void {
  const making = mkdtempSync(`${dir}.`);
  copyProject(ROOT, making);
  writeFileSync(join(making, 'main.ts'), SCRATCH_MAIN);
  buildProject(making);
  const synth = spawnSync(process.execPath, ['scripts/synth.cjs'], { cwd: making, encoding: 'utf8' });
  if (synth.status !== 0) throw new Error(`npm run synth failed in ${making}:\n${synth.stdout}${synth.stderr}`);
  const template = mkdtempSync(`${dir}.`);
  renameSync(join(making, 'build'), join(template, 'build'));
  renameSync(join(making, 'dist'), join(template, 'dist'));
  rmSync(making, { recursive: true, force: true });
  renameSync(template, dir);
  // Templates of other sources untouched for a day are not in use.
  for (const old of readdirSync(tmpdir())) {
    const path = join(tmpdir(), old);
    if (old.startsWith(SCRATCH_TEMPLATE_PREFIX) && !path.startsWith(dir) && Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * A copy of the project (sources, configs, a current build/) with its
 * node_modules linked in. Its main.ts is SCRATCH_MAIN with the dist/
 * synthesized from it, so tests do not depend on how a user edited main.ts;
 * `own: true` copies the real main.ts and the committed dist/ instead.
 */
export function scratchProject(options: { own?: boolean } = {}): string {
  const dir = tempDir('headlamp-project-');
  if (options.own) {
    buildProject(ROOT);
    copyProject(ROOT, dir, ['main.ts', 'dist']);
    return dir;
  }
  const template = scratchTemplateDir();
  copyProject(ROOT, dir, [], join(template, 'build'));
  cpSync(join(template, 'dist'), join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'main.ts'), SCRATCH_MAIN);
  return dir;
}
