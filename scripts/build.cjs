// @ts-check
// npm run build (and npm ci, through prepare): compiles the project with tsc
// (tsconfig.build.json) into the git-ignored build/: the package's JavaScript
// and declarations, and the JavaScript synth and the tools run
// (scripts/run-typescript.cjs); then the CRD schemas' validators
// (build/schemas/). This file is JavaScript because it runs before anything
// is compiled.
//
// A good build records a SHA-256 of every project file tsc read (from its
// build info): "current" means every one still has that content. That costs
// a few milliseconds (tsc -b's own check costs ~0.2 s of loading TypeScript),
// and unlike file times it also notices a file restored with an old time
// (git, cp -p, a copied project), so stale JavaScript never runs.
const { createHash } = require('node:crypto');
const { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'build');
const CONFIG = 'tsconfig.build.json';
const BUILD_INFO = join(OUT, '.tsbuildinfo');
/** The sources of the last good build, with their SHA-256: written only when tsc succeeded. */
const SOURCES = join(OUT, '.sources.json');
const LOCK = join(OUT, '.build.lock');
/** Configuration tsc reads besides the files in its build info. */
const CONFIGS = ['tsconfig.json', CONFIG];
/** What a copy of the project needs to build and run besides its main.ts, build/ and node_modules (the tests' scratch projects, the bench). */
const PROJECT_FILES = ['lib', 'imports', 'charts', 'scripts', 'cli', 'examples', 'bench', 'cdk8s.yaml', 'package.json', ...CONFIGS];

/** @param {string} path */
function sha256(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** @returns {Record<string, string> | undefined} the recorded sources, or undefined when there is no good build */
function recordedSources() {
  try {
    const record = JSON.parse(readFileSync(SOURCES, 'utf8'));
    return typeof record?.files === 'object' && record.files !== null ? record.files : undefined;
  } catch {
    return undefined;
  }
}

/** Whether every recorded source still has its recorded content. */
function isCurrent() {
  const files = recordedSources();
  return files !== undefined && Object.entries(files).every(([file, digest]) => sha256(join(ROOT, file)) === digest);
}

/** The project's own files tsc read (not node_modules), from its build info, with the configs. */
function sourcesOfBuild() {
  const info = JSON.parse(readFileSync(BUILD_INFO, 'utf8'));
  /** @type {string[]} */
  const names = Array.isArray(info?.fileNames) ? info.fileNames : [];
  const files = names.map((name) => resolve(OUT, name)).filter((path) => path.startsWith(`${ROOT}/`) && !path.includes('/node_modules/'));
  if (files.length === 0) throw new Error(`${BUILD_INFO} lists no source file: delete build/ and run npm run build`);
  /** @type {Record<string, string>} */
  const record = {};
  for (const path of [...CONFIGS.map((c) => join(ROOT, c)), ...files]) record[path.slice(ROOT.length + 1)] = sha256(path) ?? '';
  return record;
}

/** Sleeps without a busy loop (the build is synchronous by design). @param {number} ms */
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Whether a process with this id runs. @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/** Whether the holder of `lock` died (a lock without a pid: it died before writing it, unless that is now). @param {string} lock */
function lockIsStale(lock) {
  try {
    const holder = Number(readFileSync(lock, 'utf8').trim() || NaN);
    return Number.isInteger(holder) ? !alive(holder) : Date.now() - statSync(lock).mtimeMs > 5000;
  } catch {
    return false; // released meanwhile: try again
  }
}

/**
 * Runs `work` holding the file `lock` (build/.build.lock), so two synths
 * started at once never run a file the other's tsc is writing. A lock whose
 * process died is taken over.
 * @template T @param {string} lock @param {() => T} work @returns {T}
 */
function locked(lock, work) {
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      if (lockIsStale(lock)) rmSync(lock, { force: true });
      else sleep(50);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Makes build/ current: compiles with tsc (incrementally, by content) when any
 * source changed since the last good build. Returns false when tsc failed (its
 * errors are printed); build/ then counts as stale until a build succeeds.
 */
function build() {
  if (isCurrent()) return true;
  return locked(LOCK, () => {
    if (isCurrent()) return true; // built meanwhile by the process that held the lock
    rmSync(SOURCES, { force: true });
    const tsc = require.resolve('typescript/bin/tsc');
    const { spawnSync } = require('node:child_process'); // only to compile: a current build never loads it
    const result = spawnSync(process.execPath, [tsc, '-p', CONFIG], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) return false;
    // Then the CRD schemas' validators, so that no synth compiles one (ajv's code generation).
    const schemas = spawnSync(process.execPath, [join(OUT, 'scripts/precompile-schemas.js')], { cwd: ROOT, stdio: 'inherit' });
    if (schemas.status !== 0) return false;
    writeFileSync(SOURCES, `${JSON.stringify({ files: sourcesOfBuild() }, null, 1)}\n`);
    return true;
  });
}

module.exports = { build, isCurrent, locked, OUT, PROJECT_FILES, ROOT };

if (require.main === module) {
  if (!build()) {
    console.error('build: tsc found the errors above; fix them and run again');
    process.exitCode = 1;
  }
}
