// @ts-check
// node scripts/run-typescript.cjs <file.ts> [args…]: runs a TypeScript entry
// point of the project. When build/ is current (scripts/build.cjs: npm ci and
// npm run build make it), it runs the JavaScript tsc compiled from the file
// under plain node; after an edit, until the next build, it runs the sources
// through tsx, which is slower (npm run bench) but never runs stale code and
// never waits for tsc. No loader hooks, no bundle: a plain require.
// Either way the file sees itself as argv[1], as under `node <file>` (the
// published tree records its owner by that path), and stack traces show
// TypeScript files and lines (compiled: source-map-support, loaded and reading
// tsc's maps only when a stack is printed). Node.js ≥ 22.1 also keeps its
// compile cache.
const { existsSync } = require('node:fs');
const nodeModule = require('node:module');
const { join, relative, resolve } = require('node:path');
const { isCurrent, OUT, ROOT } = require('./build.cjs');

/** MiB of V8's young generation (each of its two semi-spaces) a synth may grow to. */
const SEMI_SPACE_MIB = 32;

// By name: tsc's moduleResolution "node" cannot read tsx's package exports.
const TSX_API = 'tsx/cjs/api';

/**
 * Maps stack traces of compiled code to TypeScript files and lines through
 * source-map-support, loaded (with the source-map library) only when the first
 * stack is formatted: a synth that prints none never loads it.
 */
function mapStacksLazily() {
  /** @type {(error: Error, frames: NodeJS.CallSite[]) => unknown} */
  const first = (error, frames) => {
    require('source-map-support').install({ environment: 'node', handleUncaughtExceptions: false });
    const mapped = Error.prepareStackTrace;
    return mapped !== undefined && mapped !== first ? mapped(error, frames) : `${error}\n${frames.map((f) => `    at ${f}`).join('\n')}`;
  };
  Error.prepareStackTrace = first;
}

/** Runs `file` (a .ts path from the working folder) with `args`. @param {string} file @param {readonly string[]} args */
function runTypeScript(file, args) {
  const source = resolve(file);
  const compiled = join(OUT, relative(ROOT, source)).replace(/\.ts$/, '.js');
  /** @type {{ enableCompileCache?: () => unknown }} */ (nodeModule).enableCompileCache?.();
  // A synth allocates many short-lived objects: a young generation that may grow to 32 MiB
  // semi-spaces (V8's default is 16) collects less often (see README, Performance).
  require('node:v8').setFlagsFromString(`--max-semi-space-size=${SEMI_SPACE_MIB}`);
  process.argv.splice(1, process.argv.length - 1, source, ...args);
  if (source.endsWith('.ts') && existsSync(compiled) && isCurrent()) {
    mapStacksLazily();
    require(compiled);
  } else {
    /** @type {{ register: () => unknown }} */ (require(TSX_API)).register();
    require(source);
  }
}

module.exports = { runTypeScript };

if (require.main === module) {
  const [file, ...args] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: node scripts/run-typescript.cjs <file.ts> [args…]');
    process.exit(1);
  }
  runTypeScript(file, args);
}
