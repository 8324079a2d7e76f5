// npm run synth [-- <entry.ts>]
// Runs main.ts (the homelab's dist/), or another entry point such as an
// example (`npm run synth -- examples/crossview.ts`), which publishes where its
// FluxApp says. The entry becomes argv[1], so it owns the files it publishes.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const entry = resolve(process.argv[2] ?? 'main.ts');
if (!existsSync(entry)) {
  console.error(`synth: no entry point ${entry}: give a .ts file that builds a FluxApp, e.g. npm run synth -- examples/crossview.ts`);
  process.exit(1);
}
process.argv.splice(1, process.argv.length - 1, entry);
// require, not import(): the entry runs synchronously, and fails exactly as `node --import tsx <entry>` would.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(entry);
