// Loads a TypeScript entry point as two cached esbuild bundles, kept in
// node_modules/.cache/headlamp-homelab/bundles:
// - the project bundle: this project's code, packages left as require() calls.
//   Rebuilt when a source file changes (~0.1 s).
// - the package bundle: every package the project code requires, each behind
//   a lazy getter, so a run evaluates only what it uses. Rebuilt when an npm
//   install changes a package (~0.5 s).
// The project bundle's require() takes packages from the package bundle. One
// file instead of ~1,500 saves the module lookups, and a V8 code cache beside
// each bundle saves compiling the same functions on every run. (tsx, by
// contrast, transforms every file on every start: slower than the synth.)
// Used by scripts/run.cjs (npm run synth, cdk8s.yaml) and by the cdk8s-cli
// validation plugin. Plain CommonJS, so both can require it without a loader.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join, relative, resolve, sep } = require('node:path');
const vm = require('node:vm');

const BUILD = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
  // Drops comments, so the file is plain ASCII and reads as latin1 (~10× faster
  // than decoding UTF-8). Names stay, so errors still name their classes.
  minifyWhitespace: true,
  // require.resolve of a package file stays a runtime lookup, which works
  // because the bundles live inside node_modules.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

/**
 * node_modules/.cache/headlamp-homelab/bundles of the project that holds `entry`:
 * the folder lib/cache-dir.ts derives the same way, which plain CommonJS cannot import.
 */
function bundleDir(entry) {
  const nodeModules = dirname(dirname(Module.createRequire(entry).resolve('cdk8s/package.json')));
  return join(nodeModules, '.cache', 'headlamp-homelab', 'bundles');
}

const hash = (data, length) => createHash('sha256').update(data).digest('hex').slice(0, length);

/**
 * The files whose size and mtime decide staleness: every input outside
 * node_modules, and for packages their package.json plus npm's
 * node_modules/.package-lock.json, which every install rewrites. A package is
 * never edited in place, and statting ~30 files instead of ~1,500 saves ~10 ms.
 */
function watched(inputs) {
  const marker = `${sep}node_modules${sep}`;
  const files = new Set();
  for (const input of inputs) {
    const at = input.lastIndexOf(marker);
    if (at === -1) {
      files.add(input);
      continue;
    }
    const rest = input.slice(at + marker.length).split(sep);
    const name = rest[0].startsWith('@') ? rest.slice(0, 2) : rest.slice(0, 1);
    files.add(join(input.slice(0, at), 'node_modules', ...name, 'package.json'));
    files.add(join(input.slice(0, at), 'node_modules', '.package-lock.json'));
  }
  return [...files].sort();
}

/** Size and mtime of each file: a changed, added or removed import changes one of them. */
function stamp(files) {
  return files.map((file) => {
    try {
      const s = statSync(file);
      return `${file}:${s.size}:${s.mtimeMs}`;
    } catch {
      return `${file}:missing`;
    }
  }).join('\n');
}

/** Writes through a temporary file and a rename, so a parallel run sees old or new, never half. */
function writeAtomic(file, data) {
  const staged = `${file}.${process.pid}.tmp`;
  writeFileSync(staged, data);
  renameSync(staged, file);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // missing, or not one of ours
  }
}

/**
 * Run after a build: deletes the manifests of entries that are gone (test
 * scratch projects), package manifests no entry uses, and every bundle and code
 * cache no manifest names. A run still reading a deleted bundle keeps its copy.
 */
function prune(dir) {
  const manifests = readdirSync(dir).filter((n) => n.endsWith('.json')).map((name) => ({ name, json: readJson(join(dir, name)) }));
  const live = manifests.filter(({ json }) => json?.entry !== undefined && existsSync(json.entry));
  const used = new Set([...live.map(({ name }) => name), ...live.map(({ json }) => json.packages)]);
  const kept = new Set();
  for (const { name, json } of manifests) {
    if (used.has(name)) kept.add(json.bundle);
    else rmSync(join(dir, name), { force: true });
  }
  for (const name of readdirSync(dir).filter((n) => /\.cjs(\.v8)?$/.test(n))) {
    if (!kept.has(name.replace(/\.v8$/, ''))) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Builds one bundle into `dir`, named `<prefix>-<content hash>.cjs`: a bundle
 * file is never rewritten, so a code cache can never meet another bundle.
 */
function build(dir, prefix, options) {
  const { buildSync } = require(require.resolve('esbuild', { paths: [dir] }));
  let result;
  try {
    result = buildSync({ ...BUILD, ...options, write: false, metafile: true, outfile: join(dir, 'out.cjs') });
  } catch (error) {
    // esbuild has printed each error with its file, line and column.
    throw Object.assign(new Error(`${options.entryPoints ? relative(process.cwd(), options.entryPoints[0]) : 'the packages'} does not compile: fix the error shown above (npm run typecheck finds type errors too)`), { code: 'HEADLAMP_BUILD_FAILED', cause: error });
  }
  const code = result.outputFiles[0].contents;
  const bundle = `${prefix}-${hash(code, 12)}.cjs`;
  writeAtomic(join(dir, bundle), code);
  return { bundle, ascii: code.every((byte) => byte < 0x80), metafile: result.metafile };
}

/** The recorded build in `manifest` when none of its watched files changed. */
function current(manifest) {
  const recorded = readJson(manifest);
  const fresh = recorded !== undefined && recorded.digest === stamp(recorded.watched) && existsSync(join(dirname(manifest), recorded.bundle));
  return fresh ? recorded : undefined;
}

/** The package bundle for a set of package specifiers, rebuilt when a package changed. */
function packageBundle(dir, resolveDir, specifiers) {
  const id = hash(JSON.stringify([resolveDir, specifiers, BUILD]), 16);
  const manifest = join(dir, `packages-${id}.json`);
  const known = current(manifest);
  if (known) return { name: basename(manifest), path: join(dir, known.bundle), ascii: known.ascii, rebuilt: false };
  // A getter per specifier: esbuild wraps each package in a function that runs on first use.
  const contents = specifiers.map((s) => `Object.defineProperty(exports, ${JSON.stringify(s)}, { enumerable: true, get: () => require(${JSON.stringify(s)}) });`).join('\n');
  const built = build(dir, `packages-${id}`, { stdin: { contents, resolveDir, sourcefile: 'packages.js', loader: 'js' } });
  const files = watched(Object.keys(built.metafile.inputs).filter((p) => p !== 'packages.js').map((p) => resolve(p)));
  writeAtomic(manifest, JSON.stringify({ bundle: built.bundle, ascii: built.ascii, watched: files, digest: stamp(files) }));
  return { name: basename(manifest), path: join(dir, built.bundle), ascii: built.ascii, rebuilt: true };
}

/** Both bundles of `entry`, each rebuilt first when one of its inputs changed. */
function bundleFor(entry) {
  const dir = bundleDir(entry);
  // One manifest per entry and build options, so changed options never reuse an old bundle.
  const id = hash(JSON.stringify([entry, BUILD]), 16);
  const manifest = join(dir, `${basename(entry, '.ts')}-${id}.json`);
  let project = current(manifest);
  let rebuilt = false;
  if (project === undefined) {
    mkdirSync(dir, { recursive: true });
    const built = build(dir, `${basename(entry, '.ts')}-${id}`, { entryPoints: [entry], packages: 'external' });
    const output = Object.values(built.metafile.outputs)[0];
    const specifiers = [...new Set(output.imports.filter((i) => i.external && !Module.isBuiltin(i.path)).map((i) => i.path))].sort();
    const files = watched(Object.keys(built.metafile.inputs).map((p) => resolve(p)));
    project = { entry, bundle: built.bundle, ascii: built.ascii, specifiers, watched: files, digest: stamp(files) };
    rebuilt = true;
  }
  // Resolved from the folder that holds node_modules, so entries that use the same packages share one bundle.
  const packages = packageBundle(dir, resolve(dir, '..', '..', '..', '..'), project.specifiers);
  const changed = rebuilt || project.packages !== packages.name;
  if (changed) writeAtomic(manifest, JSON.stringify({ ...project, packages: packages.name }));
  if (changed || packages.rebuilt) prune(dir);
  return { project: { path: join(dir, project.bundle), ascii: project.ascii }, packages };
}

/**
 * Runs a bundle as a CommonJS module with a V8 code cache, `require` serving
 * its requires: the first run saves the compiled code of every function it
 * used, later runs skip parsing and compiling.
 */
function runBundle({ path, ascii }, requireFn) {
  const cacheFile = `${path}.v8`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run of this bundle
  }
  const source = readFileSync(path, ascii ? 'latin1' : 'utf8');
  const script = new vm.Script(Module.wrap(source), { filename: path, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit the cache holds the functions this run compiled, not only the top level.
    process.once('exit', () => {
      try {
        writeAtomic(cacheFile, script.createCachedData());
      } catch {
        // a read-only node_modules: compile again next run
      }
    });
  }
  const mod = new Module(path, module);
  mod.filename = path;
  script.runInThisContext()(mod.exports, requireFn, mod, path, dirname(path));
  mod.loaded = true;
  return mod.exports;
}

/** `require()` of a TypeScript module through its cached bundles. */
function requireBundled(entry) {
  const { project, packages } = bundleFor(resolve(entry));
  // Both bundles sit in one folder, so one require() resolves for both.
  const local = Module.createRequire(project.path);
  const provided = runBundle(packages, local);
  // Packages come from the package bundle; anything else (a cached schema module) loads normally.
  const requireFn = (id) => (Object.prototype.hasOwnProperty.call(provided, id) ? provided[id] : local(id));
  requireFn.resolve = local.resolve;
  return runBundle(project, requireFn);
}

module.exports = { bundleFor, requireBundled, watched };
