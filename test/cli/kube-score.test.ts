// npm run kube-score: every finding on what the clusters get is fixed or waived with a reason.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { ROOT, scratchProject, runScript } from '../project';

describe('npm run kube-score', () => {
  const project = scratchProject();
  copyFileSync(join(ROOT, 'kube-score-waivers.yaml'), join(project, 'kube-score-waivers.yaml'));
  const run = () => runScript(project, 'kube-score');
  const waivers = () => parse(readFileSync(join(project, 'kube-score-waivers.yaml'), 'utf8')) as { waivers: { check: string; object: string; reason: string }[] };

  it('passes the default stack with the committed waivers', () => {
    const result = run();
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /kube-score v1\.20\.0: \d+ objects, \d+ findings, \d+ waivers used/);
  });

  it('fails on a finding nobody waived, and on a waiver that matches nothing', () => {
    const all = waivers();
    writeFileSync(join(project, 'kube-score-waivers.yaml'), stringify({ waivers: [...all.waivers.filter((w) => w.check !== 'deployment-has-host-podantiaffinity'), { check: 'pod-probes-missing', object: 'Deployment x/y', reason: 'stale' }] }));
    const result = run();
    assert.equal(result.status, 1);
    assert.match(result.stdout, /FAIL {4}Deployment headlamp\/cloudflared: deployment-has-host-podantiaffinity: .*fix it, or waive it with its reason in kube-score-waivers\.yaml/);
    assert.match(result.stdout, /STALE {3}waiver pod-probes-missing for Deployment x\/y matches no finding/);
  });
});
