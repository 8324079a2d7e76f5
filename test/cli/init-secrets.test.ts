import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { validateSecretsFolder } from '../../lib/effective/validate-tree';
import { scratchProject, SOPS_ENVELOPE_YAML, runScript } from '../helpers';

describe('npm run init-secrets', () => {
  let project: string;
  before(() => { project = scratchProject(); });

  it('creates the templates and .sops.yaml, then never overwrites them', () => {
    const run = () => runScript(project, 'init-secrets', ['--age', 'age1example']);
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /created {2}secrets\/homelab\/headlamp\/cloudflared-tunnel\.yaml/);
    assert.match(readFileSync(join(project, '.sops.yaml'), 'utf8'), /age: age1example/);
    const mine = join(project, 'secrets/homelab/headlamp/cloudflared-tunnel.yaml');
    writeFileSync(mine, 'my encrypted secret\n');
    const second = run();
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /kept {5}secrets\/homelab\/headlamp\/cloudflared-tunnel\.yaml \(exists; init-secrets never overwrites\)/);
    assert.equal(readFileSync(mine, 'utf8'), 'my encrypted secret\n');
    assert.ok(existsSync(join(project, 'secrets/homelab/headlamp/kustomization.yaml')));
  });

  it('makes validate flag the unencrypted template, and pass it once encrypted', () => {
    const dir = join(project, 'secrets');
    const path = join(dir, 'homelab/headlamp/cloudflared-tunnel.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\n  namespace: n\nstringData:\n  a: b\n');
    assert.deepEqual(validateSecretsFolder(dir).flatMap((r) => r.findings.map((f) => `${f.object}: ${f.check}`)), ['secrets/homelab/headlamp/cloudflared-tunnel.yaml: Secret n/t: secrets']);
    writeFileSync(path, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\n  namespace: n\nstringData:\n  a: ENC[AES256_GCM,data:eA==,iv:aXY=,tag:dGFn,type:str]\n${SOPS_ENVELOPE_YAML}`);
    assert.deepEqual(validateSecretsFolder(dir).flatMap((r) => r.findings), []);
  });
});
