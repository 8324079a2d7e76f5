// Loads a TypeScript entry point as one esbuild bundle with its packages
// inlined, kept in node_modules/.cache/headlamp-homelab/bundles:
// - tsx transforms every file on every start, which cost more than the synth;
//   the bundle is built once per change of its inputs.
// - one file instead of ~1,500 saves the module lookups, and a V8 code cache
//   beside it saves compiling the same functions on every run.
// Used by scripts/run.cjs (npm run synth, cdk8s.yaml) and by the cdk8s-cli
// validation plugin. Plain CommonJS, so both can require it without a loader.
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join, resolve, sep } = require('node:path');
const vm = require('node:vm');

const BUILD = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
  // Drops comments, so the file is plain ASCII and reads as latin1 (~10× faster
  // than decoding UTF-8). Names stay, so errors still name their classes.
  minifyWhitespace: true,
  // require.resolve of a package file stays a runtime lookup, which works
  // because the bundle lives inside node_modules.
  logOverride: { 'require-resolve-not-external': 'silent' },
};

/** node_modules/.cache/headlamp-homelab/bundles of the project that holds `entry`. */
function bundleDir(entry) {
  const nodeModules = dirname(dirname(Module.createRequire(entry).resolve('cdk8s/package.json')));
  return join(nodeModules, '.cache', 'headlamp-homelab', 'bundles');
}

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

/**
 * Run after a build: deletes manifests of entries that are gone (test scratch
 * projects) and every bundle and code cache no manifest names. A run still
 * reading a deleted bundle keeps its open copy.
 */
function prune(dir) {
  const manifests = readdirSync(dir).filter((n) => n.endsWith('.json'));
  const kept = new Set();
  for (const name of manifests) {
    try {
      const { entry, bundle } = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (entry !== undefined && bundle !== undefined && existsSync(entry)) {
        kept.add(bundle);
        continue;
      }
    } catch {
      continue; // not one of ours
    }
    rmSync(join(dir, name), { force: true });
  }
  for (const name of readdirSync(dir).filter((n) => /\.cjs(\.v8)?$/.test(n))) {
    if (!kept.has(name.replace(/\.v8$/, ''))) rmSync(join(dir, name), { force: true });
  }
}

/**
 * The bundle of `entry`, rebuilt first when any of its inputs changed. A
 * bundle file is never rewritten: its name carries a hash of its content, so a
 * code cache can never meet a different bundle of the same length.
 */
function bundleFor(entry) {
  const dir = bundleDir(entry);
  // One manifest per entry and build options, so changed options never reuse an old bundle.
  const id = createHash('sha256').update(JSON.stringify([entry, BUILD])).digest('hex').slice(0, 16);
  const manifest = join(dir, `${basename(entry, '.ts')}-${id}.json`);
  try {
    const recorded = JSON.parse(readFileSync(manifest, 'utf8'));
    const path = join(dir, recorded.bundle);
    if (recorded.digest === stamp(recorded.watched) && existsSync(path)) return { path, ascii: recorded.ascii };
  } catch {
    // no manifest yet
  }
  const { buildSync } = Module.createRequire(entry)('esbuild');
  mkdirSync(dir, { recursive: true });
  const result = buildSync({ ...BUILD, entryPoints: [entry], write: false, metafile: true, outfile: join(dir, 'out.cjs') });
  const code = result.outputFiles[0].contents;
  const bundle = `${basename(entry, '.ts')}-${id}-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.cjs`;
  writeAtomic(join(dir, bundle), code);
  const files = watched(Object.keys(result.metafile.inputs).map((p) => resolve(p)));
  const ascii = code.every((byte) => byte < 0x80);
  writeAtomic(manifest, JSON.stringify({ entry, bundle, ascii, watched: files, digest: stamp(files) }));
  prune(dir);
  return { path: join(dir, bundle), ascii };
}

/**
 * Runs a bundle as a CommonJS module with a V8 code cache: the first run
 * saves the compiled code of every function it used, later runs skip parsing.
 */
function runBundle({ path, ascii }) {
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
  script.runInThisContext()(mod.exports, Module.createRequire(path), mod, path, dirname(path));
  mod.loaded = true;
  return mod.exports;
}

/** `require()` of a TypeScript module through its cached bundle. */
function requireBundled(entry) {
  return runBundle(bundleFor(resolve(entry)));
}

module.exports = { bundleFor, requireBundled };
