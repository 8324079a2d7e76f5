// Regenerates lib/headlamp/chart-index.json from Headlamp chart archives: the
// facts synth needs about each chart version, so it runs offline.
//
// Usage: npm run index-charts [-- <folder with headlamp-<version>.tgz files>]
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { readChartArchive } from '../lib/headlamp/chart-archive';

const root = resolve(__dirname, '..');
const chartsDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'fixtures', 'charts'));
const index: Record<string, { appVersion: string }> = {};
const archives = readdirSync(chartsDir).filter((f) => /^headlamp-.+\.tgz$/.test(f));
if (archives.length === 0) throw new Error(`no headlamp-<version>.tgz archives in ${chartsDir}`);
for (const archive of archives) {
  const chart = parse(readChartArchive(join(chartsDir, archive)).get('Chart.yaml')!.toString('utf8')) as { name: string; version: string; appVersion: string };
  if (chart.name !== 'headlamp') throw new Error(`${archive} holds chart "${chart.name}", not headlamp`);
  index[chart.version] = { appVersion: String(chart.appVersion) };
}
const sorted = Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
writeFileSync(join(root, 'lib', 'headlamp', 'chart-index.json'), `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`indexed headlamp chart versions: ${Object.keys(sorted).join(', ')}`);
