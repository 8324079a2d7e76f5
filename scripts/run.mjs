// node scripts/run.mjs main.ts: runs a TypeScript entry point as one esbuild
// bundle of this project's own code (packages stay external), kept in
// node_modules/.cache/headlamp-homelab/bundles and rebuilt only when one of
// its source files changes. tsx transforms every file on every start, which
// costs more than the whole synth; this launcher pays that once per change.
// HEADLAMP_TSX=1 runs the entry through tsx instead (stack traces in TypeScript).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';

const entry = resolve(process.argv[2] ?? 'main.ts');
const require = createRequire(entry);

if (process.env.HEADLAMP_TSX === '1') {
  const run = spawnSync(process.execPath, ['--import', 'tsx', entry, ...process.argv.slice(3)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const cache = join(dirname(dirname(require.resolve('cdk8s/package.json'))), '.cache', 'headlamp-homelab', 'bundles');
const id = createHash('sha256').update(entry).digest('hex').slice(0, 16);
const bundle = join(cache, `${basename(entry, '.ts')}-${id}.cjs`);
const manifest = `${bundle}.json`;

/** Size and mtime of every input: a changed, added or removed import changes one of them. */
function stamp(inputs) {
  return inputs.map((file) => {
    try {
      const s = statSync(file);
      return `${file}:${s.size}:${s.mtimeMs}`;
    } catch {
      return `${file}:missing`;
    }
  }).join('\n');
}

function current() {
  try {
    const { inputs, digest } = JSON.parse(readFileSync(manifest, 'utf8'));
    return existsSync(bundle) && digest === stamp(inputs);
  } catch {
    return false; // no manifest yet
  }
}

if (!current()) {
  const { buildSync } = require('esbuild');
  mkdirSync(cache, { recursive: true });
  const staged = `${bundle}.${process.pid}.tmp`;
  const result = buildSync({
    entryPoints: [entry], outfile: staged, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    packages: 'external', metafile: true, logLevel: 'error',
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(p));
  // Both renames are atomic, so a synth running in parallel sees old or new, never half.
  renameSync(staged, bundle);
  writeFileSync(`${manifest}.${process.pid}.tmp`, JSON.stringify({ inputs, digest: stamp(inputs) }));
  renameSync(`${manifest}.${process.pid}.tmp`, manifest);
}

process.argv[1] = entry;
try {
  require(bundle);
} catch (error) {
  // Source maps would cost every run ~40 ms; the messages name the prop and the fix anyway.
  console.error(error);
  console.error('\n(stack positions are in the bundle; HEADLAMP_TSX=1 shows the TypeScript lines)');
  process.exit(1);
}
