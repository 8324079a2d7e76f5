// A Renovate chart bump, simulated: only the pinned version string changes in
// lib/versions.ts, as Renovate's replacement would; a synth must change dist/
// only on version lines, and the result must validate against the new chart.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { FIXTURES, readTree, scratchProject, runScript } from '../project';

function script(project: string, ...args: string[]) {
  const [name, ...rest] = args[1] === '--' ? [args[0], ...args.slice(2)] : args;
  const result = runScript(project, name, rest);
  assert.equal(result.status, 0, `${args.join(' ')}: ${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Bumps the pin as Renovate would, and adds the new chart to the chart lock as synth's helm pull would. */
function pin(project: string, from: string, to: string): void {
  const archive = `headlamp-${to}.tgz`;
  copyFileSync(join(FIXTURES, 'charts', archive), join(project, 'charts', archive));
  appendFileSync(join(project, 'charts', 'SHA256SUMS'), `${createHash('sha256').update(readFileSync(join(project, 'charts', archive))).digest('hex')}  ${archive}\n`);
  const path = join(project, 'lib/versions.ts');
  const text = readFileSync(path, 'utf8');
  const next = text.replace(`HEADLAMP_CHART_VERSION = '${from}'`, `HEADLAMP_CHART_VERSION = '${to}'`);
  assert.notEqual(next, text, `lib/versions.ts pins ${from}`);
  writeFileSync(path, next);
}

describe('a chart bump from 0.41.0 to 0.43.0', () => {
  let project: string;
  let before41: Map<string, string>;

  before(() => {
    project = scratchProject();
    pin(project, '0.45.0', '0.41.0');
    script(project, 'synth');
    before41 = readTree(join(project, 'dist'));
  });

  it('changes dist/ only on the version line of the HelmRelease', () => {
    pin(project, '0.41.0', '0.43.0');
    script(project, 'synth');
    const after = readTree(join(project, 'dist'));
    assert.deepEqual([...after.keys()], [...before41.keys()]);
    const changed: string[] = [];
    for (const [path, text] of after) {
      const old = before41.get(path)!.split('\n');
      text.split('\n').forEach((line, i) => { if (line !== old[i]) changed.push(`${path}: ${old[i]} → ${line}`); });
    }
    assert.deepEqual(changed, ['apps/headlamp/release.yaml:       version: 0.41.0 →       version: 0.43.0']);
  });

  it('validates against chart 0.43.0, rendered with helm', () => {
    const out = script(project, 'validate');
    assert.match(out, /Deployment headlamp\/headlamp \(rendered from HelmRelease headlamp\/headlamp\) +pod-security, images, schema, headlamp-render +ok/);
    assert.match(out, /0 errors, \d+ warnings?, 0 not checked/);
  });
});
