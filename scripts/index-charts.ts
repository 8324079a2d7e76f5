// Regenerates lib/headlamp/chart-index.json from Headlamp chart archives: each
// version's appVersion, value keys and values schema, so synth checks values offline.
//
// Usage: npm run index-charts [-- <folder with headlamp-<version>.tgz files>]
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readChartArchive } from '../lib/headlamp/chart-archive';
import { chartFactsFromFiles } from '../lib/headlamp/chart-facts';

const root = resolve(__dirname, '..');
const chartsDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'fixtures', 'charts'));
const archives = readdirSync(chartsDir).filter((f) => /^headlamp-.+\.tgz$/.test(f));
if (archives.length === 0) throw new Error(`no headlamp-<version>.tgz archives in ${chartsDir}`);
const index: Record<string, unknown> = {};
for (const archive of archives) {
  const { version, ...facts } = chartFactsFromFiles(readChartArchive(join(chartsDir, archive)));
  index[version] = facts;
}
const sorted = Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
writeFileSync(join(root, 'lib', 'headlamp', 'chart-index.json'), `${JSON.stringify(sorted, null, 1)}\n`);
console.log(`indexed headlamp chart versions: ${Object.keys(sorted).join(', ')}`);
