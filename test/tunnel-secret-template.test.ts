import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ManifestObject } from '../lib';
import { secretViolations } from '../lib/policy/secret-policy';
import { validateSecretsFolder } from '../lib/policy/validate-tree';
import { sopsConfig, tunnelSecretTemplates, tunnelSites } from '../lib/secrets/tunnel-secret-template';
import { parseYaml, scratchProject, synthStack } from './helpers';

describe('tunnelSites and the secret templates', () => {
  it('take every name from the synthesized objects', () => {
    const synth = synthStack({ name: 'dash', namespace: 'ops', clusters: { 'pi': {} }, hostname: 'dash.home.example', tunnel: { secretName: 'tunnel-creds' } });
    const [site] = tunnelSites(synth.tree);
    const route = synth.get('IngressRoute', 'dash');
    const service = route.spec.routes[0].services[0];
    assert.deepEqual(site, {
      cluster: 'pi', app: 'dash', namespace: 'ops', secretName: 'tunnel-creds', hostname: 'dash.home.example',
      service: `http://${service.name}.ops.svc.cluster.local:${service.port}`,
      secretsDir: 'secrets/pi/dash',
    });
    const secretVolume = synth.get('Deployment', 'cloudflared').spec.template.spec.volumes.find((v: { secret?: object }) => v.secret);
    assert.equal(secretVolume.secret.secretName, site.secretName);

    const files = tunnelSecretTemplates(site);
    assert.deepEqual([...files.keys()], ['secrets/pi/dash/tunnel-creds.yaml', 'secrets/pi/dash/kustomization.yaml']);
    const [secret] = parseYaml(files.get('secrets/pi/dash/tunnel-creds.yaml')!);
    assert.deepEqual(secret.metadata, { name: 'tunnel-creds', namespace: 'ops' });
    const config = parse(secret.stringData['config.yaml']);
    assert.deepEqual(config.ingress, [{ hostname: 'dash.home.example', service: site.service }, { service: 'http_status:404' }], 'the catch-all rule comes last');
    assert.equal(config['credentials-file'], '/etc/cloudflared/credentials.json');
    assert.deepEqual(Object.keys(JSON.parse(secret.stringData['credentials.json'])), ['AccountTag', 'TunnelSecret', 'TunnelID']);
    assert.match(secretViolations(secret as unknown as ManifestObject)!.join(), /in plain text/, 'a template is flagged until encrypted');
  });

  it('put the Secret where the secrets Kustomization the app depends on reads it', () => {
    const synth = synthStack({ name: 'dash', clusters: { 'pi': {} }, flux: { secretsDir: 'clusters-secrets' } });
    assert.equal(synth.get('Kustomization', 'dash-secrets').spec.path, './clusters-secrets/pi/dash');
    const [site] = tunnelSites(synth.tree);
    assert.equal(site.secretsDir, 'clusters-secrets/pi/dash');
    assert.deepEqual([...tunnelSecretTemplates(site).keys()], ['clusters-secrets/pi/dash/cloudflared-tunnel.yaml', 'clusters-secrets/pi/dash/kustomization.yaml']);
  });

  it('write .sops.yaml rules for data and stringData under secrets/', () => {
    assert.deepEqual(parse(sopsConfig('age1abc')), { creation_rules: [{ path_regex: '^secrets/.*\\.ya?ml$', encrypted_regex: '^(data|stringData)$', age: 'age1abc' }] });
    const rule = parse(sopsConfig('age1abc', ['secrets', 'home.secrets'])).creation_rules[0];
    assert.equal(rule.path_regex, '^(home\\.secrets|secrets)/.*\\.ya?ml$');
    assert.match('home.secrets/pi/dash/t.yaml', new RegExp(rule.path_regex));
    assert.doesNotMatch('homeXsecrets/pi/dash/t.yaml', new RegExp(rule.path_regex));
  });
});

describe('npm run init-secrets', () => {
  let project: string;
  before(() => { project = scratchProject(); });

  it('creates the templates and .sops.yaml, then never overwrites them', () => {
    const run = () => spawnSync('npm', ['run', '--silent', 'init-secrets', '--', '--age', 'age1example'], { cwd: project, encoding: 'utf8' });
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
    writeFileSync(path, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\n  namespace: n\nstringData:\n  a: ENC[AES256_GCM,data:x]\nsops:\n  age: []\n');
    assert.deepEqual(validateSecretsFolder(dir).flatMap((r) => r.findings), []);
  });
});
