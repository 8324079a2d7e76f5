// The CRD files cdk8s.yaml imports, resolved to their copies in ../shared/fixtures/crds,
// or in e2e/fixtures/crds for those the shared set does not hold (Gateway API).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(__dirname, '..');

/** One `imports:` entry of cdk8s.yaml with the fixture file it maps to. */
export interface CrdImport {
  readonly prefix?: string;
  readonly url: string;
  readonly file: string;
}

/** `https://…/<owner>/<repo>/<tag>/…/<file>` → the fixture folder named after repo and tag. */
function fixtureFor(crdsDir: string, url: string): string {
  const match = /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/([^/]+)\/([^/]+)\/.*\/([^/]+)$/.exec(url);
  if (!match) throw new Error(`cdk8s.yaml import ${url} is not a raw GitHub URL at a tag; list it as https://raw.githubusercontent.com/<owner>/<repo>/<tag>/<path>`);
  const [, repo, tag, file] = match;
  const candidates = [join(crdsDir, 'flux', `${repo}-${tag}`, file), join(crdsDir, repo, tag, file), join(ROOT, 'e2e', 'fixtures', 'crds', repo, tag, file)];
  const found = candidates.find(existsSync);
  if (!found) throw new Error(`no fixture for ${url}; expected one of ${candidates.join(', ')}`);
  return found;
}

/** The CRD imports of cdk8s.yaml, each mapped to its fixture under `<fixturesDir>/crds`. */
export function crdImports(fixturesDir = join(ROOT, '..', 'shared', 'fixtures')): CrdImport[] {
  const crdsDir = resolve(fixturesDir, 'crds');
  const config = parse(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] };
  return config.imports.map((spec) => {
    const [prefix, url] = spec.includes(':=') ? spec.split(':=') : [undefined, spec];
    return { prefix, url, file: fixtureFor(crdsDir, url) };
  });
}
