// Re-imports the CRDs listed in cdk8s.yaml without network: each pinned upstream
// URL is mapped to its copy in ../shared/fixtures/crds and imported with the same
// `prefix:=`, so the generated modules equal what `npm run import` produces.
//
// Usage: npm run import:offline [-- <fixtures dir>]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve(__dirname, '..');
const crdsDir = resolve(process.argv[2] ?? join(root, '..', 'shared', 'fixtures'), 'crds');

/** `https://…/<owner>/<repo>/<tag>/…/<file>` → the fixture folder named after repo and tag. */
function fixtureFor(url: string): string {
  const match = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/([^/]+)\/([^/]+)\/.*\/([^/]+)$/.exec(url);
  if (!match) throw new Error(`cdk8s.yaml import ${url} is not a raw GitHub URL at a tag; list it as https://raw.githubusercontent.com/<owner>/<repo>/<tag>/<path>`);
  const [, repo, tag, file] = match;
  const candidates = [join(crdsDir, 'flux', `${repo}-${tag}`, file), join(crdsDir, repo, tag, file)];
  const found = candidates.find(existsSync);
  if (!found) throw new Error(`no fixture for ${url}; expected one of ${candidates.join(', ')}`);
  return found;
}

const config = parse(readFileSync(join(root, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };
const local = config.imports.map((spec) => {
  const [prefix, url] = spec.includes(':=') ? spec.split(':=') : [undefined, spec];
  const file = fixtureFor(url);
  return prefix ? `${prefix}:=${file}` : file;
});

const work = mkdtempSync(join(tmpdir(), 'cdk8s-import-'));
try {
  writeFileSync(join(work, 'cdk8s.yaml'), `language: typescript\napp: "true"\nimports:\n${local.map((l) => `  - ${l}`).join('\n')}\n`);
  const cli = join(root, 'node_modules', '.bin', 'cdk8s');
  execFileSync(cli, ['import', '--no-check-upgrade', '--output', join(root, 'imports')], { cwd: work, stdio: 'inherit' });
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`imported ${local.length} CRD files into imports/: ${readdirSync(join(root, 'imports')).join(', ')}`);
