// The examples run as a user runs them, each into its own folder, and what
// they write passes npm run validate's checks, with their Secrets and values
// files encrypted in a secrets folder beside it. The chart-source examples run
// through `npm run synth -- examples/<name>.ts` in a scratch copy of the
// project, write examples/dist/<name>/ (leaving dist/ alone), and pass
// `npm run validate` offline, every chart rendered from charts/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { validateSecretsFolder, validateTree } from '../../lib/effective/validate-tree';
import { secretsKustomization } from '../../lib/secrets/values-secret-template';
import { parseYaml, readTree, ROOT, scratchProject, SOPS_ENVELOPE, SOPS_ENVELOPE_YAML, tempDir, TEST_CHECKS, runScript } from '../helpers';

const ENC = 'ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]';

/** Runs examples/<name>.ts into examples/dist/<name>/ of a fresh repository root (its Flux paths name that folder); returns the root. */
function runExample(name: string): string {
  const root = tempDir(`example-${name}-`);
  execFileSync(process.execPath, ['scripts/run-typescript.cjs', `examples/${name}.ts`], { cwd: ROOT, env: { ...process.env, HEADLAMP_DIST_DIR: join(root, 'examples/dist', name) }, stdio: 'pipe' });
  return root;
}

/** A Secret as sops --encrypt writes it with .sops.yaml's Secrets rule. */
const encryptedSecret = (name: string, keys: string[]) => stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'dash' }, stringData: Object.fromEntries(keys.map((k) => [k, ENC])), sops: SOPS_ENVELOPE });

function problems(root: string, name: string): string[] {
  const distPath = `examples/dist/${name}`;
  return [
    ...validateTree(join(root, distPath), validationPolicy({ ...TEST_CHECKS, render: true }), distPath, root).reports,
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
    assert.deepEqual(problems(root, 'values-from'), []);
  });

  it('notifications: Provider, Alert and Receiver pass every check, their Secrets only in the secrets folder', () => {
    const root = runExample('notifications');
    const secrets = join(root, 'secrets/homelab/dash');
    mkdirSync(secrets, { recursive: true });
    writeFileSync(join(secrets, 'discord-webhook.yaml'), encryptedSecret('discord-webhook', ['address']));
    writeFileSync(join(secrets, 'dash-webhook-token.yaml'), encryptedSecret('dash-webhook-token', ['token']));
    assert.deepEqual(problems(root, 'notifications'), []);
  });
});

const EXAMPLES: Record<string, { release: string; source: string }> = {
  crossview: { release: 'apps/crossview/release.yaml', source: 'OCIRepository' },
  'oci-chart': { release: 'apps/headlamp/release.yaml', source: 'OCIRepository' },
  'git-chart': { release: 'apps/headlamp/release.yaml', source: 'GitRepository' },
};

describe('chart-source examples, through npm run synth', () => {
  let project: string;
  let dist: Map<string, string>;

  before(() => {
    project = scratchProject();
    cpSync(join(ROOT, 'examples'), join(project, 'examples'), { recursive: true, filter: (path) => !path.includes(`${join('examples', 'dist')}`) });
    dist = readTree(join(project, 'dist'));
  });

  for (const [name, { release, source }] of Object.entries(EXAMPLES)) {
    it(`${name}: synth writes examples/dist/${name}/, validate passes offline, dist/ is untouched`, () => {
      const synth = runScript(project, 'synth', [`examples/${name}.ts`]);
      assert.equal(synth.status, 0, synth.stdout + synth.stderr);
      const tree = readTree(join(project, 'examples', 'dist', name));
      const [hr] = parseYaml(tree.get(release)!);
      const repository = parseYaml(tree.get(release.replace('release.yaml', 'repository.yaml'))!)[0];
      assert.equal(repository.kind, source);
      if (source === 'OCIRepository') assert.equal(hr.spec.chartRef.kind, 'OCIRepository');
      else {
        const chart = parseYaml(tree.get(release.replace('release.yaml', 'repository.yaml'))!).find((o) => o.kind === 'HelmChart')!;
        assert.deepEqual([hr.spec.chartRef.kind, chart.spec.sourceRef.kind, chart.spec.reconcileStrategy], ['HelmChart', 'GitRepository', 'Revision']);
      }
      if (name === 'crossview') {
        // Headlamp's plugin manager installs the Crossview plugin, pinned: its page opens this release.
        const headlamp = parseYaml(tree.get('apps/headlamp/release.yaml')!)[0];
        assert.match(headlamp.spec.values.pluginsManager.configContent, /name: crossview-headlamp\n\s+source: https:\/\/artifacthub\.io\/packages\/headlamp\/crossview-headlamp\/crossview-headlamp\n\s+version: 0\.1\.2/);
        assert.doesNotMatch([...tree.values()].join('\n'), /cluster-admin/);
      }
      const kustomization = parseYaml(tree.get(`clusters/homelab/${release.split('/')[1]}.yaml`)!).find((k) => k.metadata.name === release.split('/')[1])!;
      assert.equal(kustomization.spec.path, `./examples/dist/${name}/apps/${release.split('/')[1]}`);
      const validate = runScript(project, 'validate', ['--dist', `examples/dist/${name}`]);
      assert.equal(validate.status, 0, validate.stdout + validate.stderr);
      assert.match(validate.stdout, /objects: \d+ ok, 0 errors, \d+ warnings, 0 not checked/);
      assert.match(validate.stdout, /\(rendered from HelmRelease [a-z]+\/[a-z]+\) +pod-security, images, schema, [a-z]+-render +ok/);
      assert.deepEqual(readTree(join(project, 'dist')), dist);
    });
  }

  it('synth names a missing entry point', () => {
    const result = runScript(project, 'synth', ['examples/nope.ts']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /synth: no entry point .*examples\/nope\.ts: give a \.ts file that builds a FluxApp/);
  });
});
