// npm run refresh-fixtures [-- <shared fixtures folder>]
// Copies the upstream files the tests read from ../shared/fixtures into
// test/fixtures/ and rewrites test/fixtures/SHA256SUMS, so `npm test` needs no
// folder outside the repository. Origins are in test/fixtures/README.md.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = join(__dirname, '..');
const source = resolve(process.argv[2] ?? join(ROOT, '..', 'shared', 'fixtures'));
const target = join(ROOT, 'test', 'fixtures');
const FOLDERS = ['charts', 'crossview', 'values', 'rendered'];

const sums: string[] = [];
for (const folder of FOLDERS) {
  mkdirSync(join(target, folder), { recursive: true });
  for (const name of readdirSync(join(source, folder)).sort()) {
    copyFileSync(join(source, folder, name), join(target, folder, name));
    const digest = createHash('sha256').update(readFileSync(join(target, folder, name))).digest('hex');
    sums.push(`${digest}  ./${folder}/${name}`);
  }
}
writeFileSync(join(target, 'SHA256SUMS'), `${sums.join('\n')}\n`);
console.log(`copied ${sums.length} files from ${source} to ${target}`);
