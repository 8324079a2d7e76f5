// @ts-check
// npm run synth [-- <entry.ts>] (and cdk8s.yaml's app): runs main.ts (the
// homelab's dist/), or another entry point such as an example
// (`npm run synth -- examples/crossview.ts`), which publishes where its FluxApp
// says (scripts/run-typescript.cjs: compiled by tsc, or through tsx after an edit).
const { existsSync } = require('node:fs');
const { resolve } = require('node:path');
const { runTypeScript } = require('./run-typescript.cjs');

const entry = process.argv[2] ?? 'main.ts';
if (!existsSync(resolve(entry))) {
  console.error(`synth: no entry point ${resolve(entry)}: give a .ts file that builds a FluxApp, e.g. npm run synth -- examples/crossview.ts`);
  process.exit(1);
}
runTypeScript(entry, process.argv.slice(3));
