// Smoke test of the benchmark: it runs and writes valid results. No timings are
// asserted here; the figures live in bench/results.json and the README.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from './helpers';

describe('npm run bench -- --quick', () => {
  it('runs every case once and writes results.json and scaling.svg', () => {
    const out = tempDir();
    const result = spawnSync('npm', ['run', '--silent', 'bench', '--', '--quick', '--out', out], {
      cwd: ROOT, encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.equal(results.quick, true);
    const names: string[] = results.rows.map((r: { name: string }) => r.name);
    for (const name of ['node -e 0 (floor)', 'homelab: npm run synth', 'app, 10 stack(s), validation off', 'helm template (chart 0.45.0, same values)', 'kubectl kustomize apps/headlamp']) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
    for (const row of results.rows) {
      assert.ok(row.median > 0 && row.min <= row.median && row.median <= row.max, JSON.stringify(row));
    }
    assert.ok(results.targets.length >= 2);
    assert.match(readFileSync(join(out, 'scaling.svg'), 'utf8'), /^<svg [^>]*>[\s\S]*<polyline [\s\S]*<\/svg>\n$/);
    assert.match(result.stdout, /^case +median s +min s +max s +peak RSS MiB/);
  });
});
