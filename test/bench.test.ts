// Smoke test of the benchmark: it runs and writes valid results to a temporary
// folder, and leaves the committed figures (bench/results.json, bench/scaling.svg)
// alone. No timings are asserted here; the figures live in bench/results.json
// and the README.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from './helpers';
// The benchmark's own unit tests run in this file's process: `npm run test:cli`
// runs this file, and the unit tier only test/unit/.
import './measure.test';
import './plot.test';

const committed = ['bench/results.json', 'bench/scaling.svg'].map((file) => join(ROOT, file));
const contents = () => committed.map((file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined));

describe('npm run bench -- --quick', () => {
  it('runs every quick case once and writes results.json and scaling.svg to --out only', () => {
    const out = tempDir();
    const before = contents();
    const result = spawnSync('npm', ['run', '--silent', 'bench', '--', '--quick', '--out', out], {
      cwd: ROOT, encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.deepEqual(contents(), before, 'the committed bench/ files are not rewritten');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.equal(results.quick, true);
    const names: string[] = results.rows.map((r: { name: string }) => r.name);
    for (const name of [
      'node -e 0 (floor)', 'homelab: npm run synth', 'homelab: node scripts/synth.cjs (build/ current)', 'homelab: node scripts/synth.cjs after an edit (through tsx)', 'app, 10 stack(s), validation off',
      'plain cdk8s App, 5 stacks, checks on', 'helm template (chart 0.45.0, same values)', 'kubectl kustomize apps/headlamp',
    ]) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
    const baseline = results.rows.find((r: { name: string }) => r.name.startsWith('plain cdk8s App, same '));
    assert.ok(baseline?.charts > 5 && baseline.objects >= baseline.charts, JSON.stringify(baseline));
    // The quick run leaves out the slow cases.
    assert.ok(!names.some((n) => /first synth|npx cdk8s synth|1000 stack/.test(n)), names.join(', '));
    for (const row of results.rows) {
      assert.ok(row.median > 0 && row.min <= row.median && row.median <= row.max, JSON.stringify(row));
    }
    assert.deepEqual(results.targets.map((t: { target: string }) => t.target.split(' ').slice(0, 2).join(' ')), ['homelab synth', 'plain cdk8s']);
    for (const t of results.targets) assert.equal(t.met, t.value <= t.limit, JSON.stringify(t));
    for (const t of results.targets) assert.match(result.stdout, new RegExp(`^(met   |MISSED) ${t.target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `, 'm'));
    assert.match(readFileSync(join(out, 'scaling.svg'), 'utf8'), /^<svg [^>]*>[\s\S]*<polyline [\s\S]*<\/svg>\n$/);
    assert.match(result.stdout, /^case +median s +min s +max s +peak RSS MiB/);
  });
});
