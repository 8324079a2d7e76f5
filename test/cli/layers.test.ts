// The architecture, checked: the generic toolkit (everything in lib/ but
// lib/apps/ and the index) loads no module of any app.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../project';

const LIB = join(ROOT, 'lib');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The lib/ modules a process loads when it requires `entries`, relative to lib/. */
function loadedBy(entries: readonly string[]): string[] {
  const script = `for (const f of ${JSON.stringify(entries)}) require(f); console.log(JSON.stringify(Object.keys(require.cache)));`;
  const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return (JSON.parse(result.stdout) as string[]).filter((p) => p.startsWith(LIB)).map((p) => relative(LIB, p));
}

describe('layers', () => {
  const generic = tsFiles(LIB).filter((f) => !relative(LIB, f).startsWith('apps/') && relative(LIB, f) !== 'index.ts');

  it('the generic toolkit loads no module of any app', () => {
    assert.ok(generic.length > 30, 'the generic modules are found');
    const loaded = loadedBy(generic);
    assert.ok(loaded.includes('app/helm-app.ts') && loaded.includes('policy/policy.ts'));
    assert.deepEqual(loaded.filter((p) => p.startsWith('apps/')), []);
  });

  it('would notice an app module being loaded (the index loads Headlamp)', () => {
    assert.ok(loadedBy([join(LIB, 'index.ts')]).includes('apps/headlamp/headlamp-stack.ts'));
  });
});
