// node scripts/run.cjs main.ts: runs a TypeScript entry point through its
// cached bundles (scripts/bundle.cjs). HEADLAMP_TSX=1 runs it through tsx
// instead, for stack traces with TypeScript lines.
'use strict';
const { spawnSync } = require('node:child_process');
const { resolve } = require('node:path');
const { requireBundled } = require('./bundle.cjs');

const entry = resolve(process.argv[2] ?? 'main.ts');

if (process.env.HEADLAMP_TSX === '1') {
  const run = spawnSync(process.execPath, ['--import', 'tsx', entry, ...process.argv.slice(3)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

process.argv[1] = entry;
try {
  requireBundled(entry);
} catch (error) {
  if (error.code === 'HEADLAMP_BUILD_FAILED') {
    console.error(error.message);
    process.exit(1);
  }
  // Source maps would cost every run ~40 ms; the messages name the prop and the fix anyway.
  console.error(error);
  console.error('\n(stack positions are in the bundle; HEADLAMP_TSX=1 shows the TypeScript lines)');
  process.exit(1);
}
