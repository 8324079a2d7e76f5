// Values from Git, the Flux ways: a plain values file generated into a hashed
// ConfigMap beside the release, SOPS-encrypted values generated into a Secret
// by the secrets folder, targetPath; the checks judge the release with them merged.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { FluxApp, HelmApp, HelmAppProps } from '../../lib';
import { hardenedValues } from '../../lib/apps/headlamp/hardened-values';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { validateSecretsFolder, validateTree } from '../../lib/effective/validate-tree';
import { secretsKustomization, valuesSecretSites, valuesSecretTemplates } from '../../lib/secrets/values-secret-template';
import { parseYaml, SOPS_ENVELOPE_YAML, tempDir, TEST_CHECKS } from '../helpers';

const ENC = (data: string, type = 'str') => `ENC[AES256_GCM,data:${data},iv:aXY=,tag:dGFn,type:${type}]`;
/** A values file as `sops --encrypt` writes it with .sops.yaml's first rule (every value encrypted; shape real, values made up). */
const encryptedValues = (lines: string) => `${lines}\n${SOPS_ENVELOPE_YAML.replace(/ {2}encrypted_regex: .*\n/, '')}`;
const encryptedEnv = (keys: string[]) => [...keys.map((k) => `${k}=${ENC('Zm9v')}`), 'sops_age__list_0__map_recipient=age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', `sops_mac=${ENC('bWFj')}`, 'sops_version=3.10.2', ''].join('\n');

/** A repository with a plain values file; returns its root. */
function repo(values = 'replicaCount: 2\nconfig:\n  baseURL: /dash\n'): string {
  const root = tempDir('values-from-');
  mkdirSync(join(root, 'values'));
  writeFileSync(join(root, 'values/dash.yaml'), values);
  return root;
}

function dash(root: string, props: Partial<HelmAppProps> = {}): FluxApp {
  const app = new FluxApp({ outdir: tempDir(), distDir: join(root, 'dist'), validation: { ...TEST_CHECKS, render: true } });
  new HelmApp(app, 'dash', {
    name: 'dash',
    chart: { name: 'headlamp', repository: 'https://kubernetes-sigs.github.io/headlamp/', version: '0.45.0' },
    defaultValues: hardenedValues(),
    valuesFile: join(root, 'values/dash.yaml'),
    secretValues: { targetPaths: { 'oidc-client-id': 'config.oidc.clientID' } },
    tunnel: false,
    route: false,
    ...props,
  });
  return app;
}

/** The secrets folder as init-secrets scaffolds it, encrypted. */
function encryptedSecrets(root: string, values = `config:\n  pluginsDir: ${ENC('L3A=')}\n`, env = encryptedEnv(['oidc-client-id'])): void {
  const dir = join(root, 'secrets/homelab/dash');
  mkdirSync(dir, { recursive: true });
  const site = { cluster: 'homelab', app: 'dash', namespace: 'dash', secretName: 'dash-values', keys: ['oidc-client-id'], secretsDir: 'secrets/homelab/dash' };
  writeFileSync(join(dir, 'kustomization.yaml'), secretsKustomization([], [site]));
  writeFileSync(join(dir, 'values.yaml'), encryptedValues(values));
  writeFileSync(join(dir, 'values.env'), env);
}

const findingsOf = (root: string) => [
  ...validateTree(join(root, 'dist'), validationPolicy({ ...TEST_CHECKS, render: true }), 'dist', root).reports,
  ...validateSecretsFolder(join(root, 'secrets')),
].flatMap((r) => r.findings.map((f) => `${f.object} | ${f.check} | ${f.severity}: ${f.message}`));

describe('values from Git', () => {
  it('copies the values file into the app folder, generates a hashed ConfigMap from it, and lists the values Secret after it', () => {
    const root = repo();
    const tree = dash(root).renderTree();
    assert.equal(tree.get('apps/dash/values.yaml'), `${tree.get('apps/dash/values.yaml')!.split('\n')[0]}\nreplicaCount: 2\nconfig:\n  baseURL: /dash\n`);
    const kustomization = parse(tree.get('apps/dash/kustomization.yaml')!);
    assert.deepEqual(kustomization.configMapGenerator, [{ name: 'dash-plain-values', namespace: 'dash', files: ['values.yaml'] }]);
    assert.deepEqual(kustomization.configurations, ['kustomizeconfig.yaml']);
    assert.ok(!kustomization.resources.includes('values.yaml'), 'the values file is no resource');
    assert.deepEqual(parse(tree.get('apps/dash/kustomizeconfig.yaml')!), {
      nameReference: [{ kind: 'ConfigMap', version: 'v1', fieldSpecs: [{ path: 'spec/valuesFrom/name', kind: 'HelmRelease' }] }],
    });
    const [release] = parseYaml(tree.get('apps/dash/release.yaml')!);
    assert.deepEqual(release.spec.valuesFrom, [
      { kind: 'ConfigMap', name: 'dash-plain-values', valuesKey: 'values.yaml' },
      { kind: 'Secret', name: 'dash-values', valuesKey: 'values.yaml' },
      { kind: 'Secret', name: 'dash-values', valuesKey: 'oidc-client-id', targetPath: 'config.oidc.clientID' },
    ]);
    // No tunnel, but the values Secret: the secrets Kustomization is there, and the app waits for it.
    const syncs = parseYaml(tree.get('clusters/homelab/dash.yaml')!);
    assert.deepEqual(syncs.map((k) => k.metadata.name), ['dash-namespace', 'dash-secrets', 'dash']);
    assert.equal(syncs[1].spec.path, './secrets/homelab/dash');
    assert.deepEqual(syncs[2].spec.dependsOn.map((d: { name: string }) => d.name), ['dash-namespace', 'dash-secrets']);
  });

  it('judges the release with every source merged: the hashed ConfigMap, the encrypted values.yaml and the targetPath key', () => {
    const root = repo();
    dash(root).synth();
    encryptedSecrets(root);
    assert.deepEqual(findingsOf(root), []);
    // An unknown key in the ConfigMap's file, in the encrypted file, and at a targetPath: each is caught.
    writeFileSync(join(root, 'dist/apps/dash/values.yaml'), readFileSync(join(root, 'dist/apps/dash/values.yaml'), 'utf8').replace('replicaCount', 'replicaCountt'));
    encryptedSecrets(root, `confg:\n  pluginsDir: ${ENC('L3A=')}\n`);
    const release = join(root, 'dist/apps/dash/release.yaml');
    writeFileSync(release, readFileSync(release, 'utf8').replace('targetPath: config.oidc.clientID', 'targetPath: config.oidc.clientIdd'));
    const findings = findingsOf(root);
    for (const key of ['values.replicaCountt is not a key', 'values.confg is not a key', 'values.config.oidc.clientIdd is not a key']) {
      assert.ok(findings.some((f) => f.includes('| chart-values | error:') && f.includes(key)), `${key}:\n${findings.join('\n')}`);
    }
  });

  it('refuses a values file in the secrets folder that is not encrypted, and the Secret made of it', () => {
    const root = repo();
    dash(root).synth();
    encryptedSecrets(root, '', encryptedEnv(['oidc-client-id']));
    writeFileSync(join(root, 'secrets/homelab/dash/values.yaml'), 'config:\n  pluginsDir: /p\n');
    const findings = findingsOf(root);
    assert.ok(findings.some((f) => f.startsWith('secrets/homelab/dash/values.yaml | secrets | error: values file is not SOPS-encrypted') && f.includes('sops --encrypt --in-place')), findings.join('\n'));
    assert.ok(findings.some((f) => f.startsWith('Secret dash/dash-values via Kustomization flux-system/dash-secrets') && f.includes('| secrets | error:')), findings.join('\n'));
  });

  it('refuses a credential in values, in the values file, and in a hand-edited tree, naming the SOPS values file as the fix', () => {
    assert.throws(() => dash(repo(), { values: { config: { oidc: { clientSecret: 'hunter2' } } } }).synth(), /plaintext-values: spec\.values\.config\.oidc\.clientSecret holds a credential in plain text: move it to the app's SOPS-encrypted values file/);
    assert.throws(() => dash(repo('auth:\n  adminPassword: hunter2\n')).synth(), /valuesFile: ".*dash\.yaml" holds a credential in plain text at auth\.adminPassword: .*secrets\/<cluster>\/<app>\/values\.yaml/);
    // Neither a reference to a Secret, nor an empty value, nor an encrypted one, is a credential.
    dash(repo('existingSecret: dash-creds\nconfig:\n  oidc:\n    clientSecret: ""\n'));
    const root = repo();
    dash(root).synth();
    encryptedSecrets(root);
    const release = join(root, 'dist/apps/dash/release.yaml');
    writeFileSync(release, readFileSync(release, 'utf8').replace('  values:\n', '  values:\n    apiToken: abc123\n'));
    writeFileSync(join(root, 'dist/apps/dash/values.yaml'), `${readFileSync(join(root, 'dist/apps/dash/values.yaml'), 'utf8')}dbPassword: hunter2\n`);
    const findings = findingsOf(root).filter((f) => f.includes('| plaintext-values |'));
    assert.ok(findings.some((f) => f.includes('spec.values.apiToken holds a credential in plain text')), findings.join('\n'));
    assert.ok(findings.some((f) => /ConfigMap dash\/dash-plain-values-[a-z0-9]+ key values\.yaml \(valuesFrom\) holds a credential in plain text at dbPassword/.test(f)), findings.join('\n'));
  });

  it('init-secrets scaffolds the values files and a secretGenerator Flux decrypts and helm-controller watches', () => {
    const tree = dash(repo()).renderTree();
    const [site] = valuesSecretSites(tree);
    assert.deepEqual(site, { cluster: 'homelab', app: 'dash', namespace: 'dash', secretName: 'dash-values', keys: ['oidc-client-id'], secretsDir: 'secrets/homelab/dash' });
    const files = valuesSecretTemplates(site);
    assert.deepEqual([...files.keys()], ['secrets/homelab/dash/values.yaml', 'secrets/homelab/dash/values.env']);
    assert.deepEqual(parse(files.get('secrets/homelab/dash/values.yaml')!), {});
    assert.match(files.get('secrets/homelab/dash/values.env')!, /^oidc-client-id=<oidc-client-id>$/m);
    assert.deepEqual(parse(secretsKustomization(['cloudflared-tunnel.yaml'], [site])), {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['cloudflared-tunnel.yaml'],
      secretGenerator: [{
        name: 'dash-values', namespace: 'dash', files: ['values.yaml'], envs: ['values.env'],
        options: { disableNameSuffixHash: true, labels: { 'reconcile.fluxcd.io/watch': 'Enabled' } },
      }],
    });
  });
});
