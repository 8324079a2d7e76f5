import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readTree, SCRATCH_MAIN, scratchProject, runScript } from '../project';

// One scratch project for every test here (each writes the main.ts it needs):
// tsx's cache is per path, so a second project would compile every module again.
let project: string;
before(() => { project = scratchProject(); });

describe('npm run plan', () => {
  const plan = () => runScript(project, 'plan');

  it('exits 0 and says so when dist/ is current', () => {
    const result = plan();
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /No changes/);
  });

  it('exits 2 and shows the field-level diff, without touching dist/', () => {
    // dist/ an older synth wrote (the chart pin before a bump): plan shows what the next synth changes.
    const release = join(project, 'dist/apps/headlamp/release.yaml');
    const published = readFileSync(release, 'utf8');
    writeFileSync(release, published.replace('version: 0.45.0', 'version: 0.43.0'));
    const before = readTree(join(project, 'dist'));
    const result = plan();
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stdout, /^~ HelmRelease headlamp\/headlamp {2}\(apps\/headlamp\/release\.yaml, changed\)\n {4}spec\.chart\.spec\.version: "0\.43\.0" → "0\.45\.0"\n/);
    assert.match(result.stdout, /0 to add, 1 to change, 0 to remove\./);
    assert.deepEqual(readTree(join(project, 'dist')), before);
    writeFileSync(release, published);
  });

  it('exits 1 when synth fails', () => {
    writeFileSync(join(project, 'main.ts'), SCRATCH_MAIN.replace("hostname: 'headlamp.example.net'", "hostname: 'https://x'"));
    const result = plan();
    assert.equal(result.status, 1);
    assert.match(result.stderr, /plan: synth failed/);
  });
});

describe('the tools with an explicit distDir', () => {
  it('plan compares with that folder and init-secrets writes the Secret: the scratch synth never writes the real one', () => {
    writeFileSync(join(project, 'main.ts'), SCRATCH_MAIN.replace('new FluxApp()', "new FluxApp({ distDir: 'out/flux' })"));
    const synth = runScript(project, 'synth');
    assert.equal(synth.status, 0, synth.stderr);
    const before = readTree(join(project, 'out/flux'));
    const plan = runScript(project, 'plan');
    assert.equal(plan.status, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /No changes/);
    const secrets = runScript(project, 'init-secrets');
    assert.match(secrets.stdout, /created {2}secrets\/homelab\/headlamp\/cloudflared-tunnel\.yaml/);
    assert.deepEqual(readTree(join(project, 'out/flux')), before);
  });
});
