// The examples run as a user runs them, each into its own folder, and what
// they write passes npm run validate's checks, with their Secrets and values
// files encrypted in a secrets folder beside it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { validateSecretsFolder, validateTree } from '../../lib/effective/validate-tree';
import { secretsKustomization } from '../../lib/secrets/values-secret-template';
import { ROOT, SOPS_ENVELOPE, SOPS_ENVELOPE_YAML, tempDir, TEST_CHECKS } from '../helpers';

const ENC = 'ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]';

/** Runs examples/<name>.ts into a fresh folder of a fresh repository root; returns the root. */
function runExample(name: string): string {
  const root = tempDir(`example-${name}-`);
  execFileSync(process.execPath, ['--import', 'tsx', `examples/${name}.ts`], { cwd: ROOT, env: { ...process.env, HEADLAMP_DIST_DIR: join(root, 'dist') }, stdio: 'pipe' });
  return root;
}

/** A Secret as sops --encrypt writes it with .sops.yaml's Secrets rule. */
const encryptedSecret = (name: string, keys: string[]) => stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'dash' }, stringData: Object.fromEntries(keys.map((k) => [k, ENC])), sops: SOPS_ENVELOPE });

function problems(root: string): string[] {
  return [
    ...validateTree(join(root, 'dist'), validationPolicy({ ...TEST_CHECKS, render: true }), 'dist', root).reports,
    ...validateSecretsFolder(join(root, 'secrets')),
  ].flatMap((r) => r.findings.map((f) => `${f.object} | ${f.check} | ${f.severity}: ${f.message}`));
}

describe('examples', () => {
  it('values-from: the ConfigMap generator, the SOPS secret generator and a targetPath pass every check', () => {
    const root = runExample('values-from');
    const secrets = join(root, 'secrets/homelab/dash');
    mkdirSync(secrets, { recursive: true });
    const site = { cluster: 'homelab', app: 'dash', namespace: 'dash', secretName: 'dash-values', keys: ['oidc-client-id'], secretsDir: 'secrets/homelab/dash' };
    writeFileSync(join(secrets, 'kustomization.yaml'), secretsKustomization([], [site]));
    writeFileSync(join(secrets, 'values.yaml'), `config:\n  pluginsDir: ${ENC}\n${SOPS_ENVELOPE_YAML}`);
    writeFileSync(join(secrets, 'values.env'), `oidc-client-id=${ENC}\nsops_mac=${SOPS_ENVELOPE.mac}\nsops_version=3.10.2\nsops_age__list_0__map_recipient=${SOPS_ENVELOPE.age[0].recipient}\n`);
    assert.deepEqual(problems(root), []);
  });

  it('notifications: Provider, Alert and Receiver pass every check, their Secrets only in the secrets folder', () => {
    const root = runExample('notifications');
    const secrets = join(root, 'secrets/homelab/dash');
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, 'discord-webhook.yaml'), encryptedSecret('discord-webhook', ['address']));
    writeFileSync(join(secrets, 'dash-webhook-token.yaml'), encryptedSecret('dash-webhook-token', ['token']));
    assert.deepEqual(problems(root), []);
  });
});
