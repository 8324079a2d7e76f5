// Re-imports the CRDs listed in cdk8s.yaml without network: each pinned upstream
// URL is mapped to its copy in ../shared/fixtures/crds and imported with the same
// `prefix:=`, so the generated modules equal what `npm run import` produces.
// Then regenerates imports/crd-schemas.json from the same files.
//
// Usage: npm run import:offline [-- <fixtures dir>]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crdImports, ROOT } from './crd-fixtures';
import { writeCrdSchemas } from './index-crds';

const imports = crdImports(process.argv[2]);
const local = imports.map(({ prefix, file }) => (prefix ? `${prefix}:=${file}` : file));

const work = mkdtempSync(join(tmpdir(), 'cdk8s-import-'));
try {
  writeFileSync(join(work, 'cdk8s.yaml'), `language: typescript\napp: "true"\nimports:\n${local.map((l) => `  - ${l}`).join('\n')}\n`);
  const cli = join(ROOT, 'node_modules', '.bin', 'cdk8s');
  execFileSync(cli, ['import', '--no-check-upgrade', '--output', join(ROOT, 'imports')], { cwd: work, stdio: 'inherit' });
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeCrdSchemas(imports.map((i) => i.file));
console.log(`imported ${local.length} CRD files into imports/: ${readdirSync(join(ROOT, 'imports')).join(', ')}`);
