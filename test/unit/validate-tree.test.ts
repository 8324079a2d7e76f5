// npm run validate over a published tree: the same checks as synth, on files as
// they are on disk (hand-edited or old), read-only, with a table and an exit code.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { validateTree } from '../../lib/effective/validate-tree';
import { FIXTURES, tempDir, publishWithBootstrap } from '../helpers';

const CHARTS = join(FIXTURES, 'charts');


const publish = publishWithBootstrap;


describe('validateTree', () => {
  let dist: string;
  before(() => { dist = publish(); });
  const all = (tree: string, options = {}) => validateTree(tree, validationPolicy({ chartDirs: [CHARTS], pull: false, ...options }), 'dist', tempDir()).reports;
  const lines = (tree: string, options = {}) => all(tree, options).flatMap((r) => r.findings.map((f) => `${f.object} | ${f.check} | ${f.severity}: ${f.message}`));

  it('passes a fresh synth by what the cluster gets: every object a Kustomization applies, and what the release renders', () => {
    const reports = all(dist, { render: true });
    assert.deepEqual(reports.flatMap((r) => r.findings).filter((f) => f.severity !== 'warning'), []);
    assert.ok(reports.some((r) => r.object === 'HelmRelease headlamp/headlamp via Kustomization flux-system/headlamp (cluster homelab)'));
    assert.ok(reports.some((r) => r.object === 'Kustomization flux-system/headlamp via dist/clusters/homelab/ (applied by flux bootstrap) (cluster homelab)'));
    assert.ok(reports.some((r) => r.object.startsWith('Deployment headlamp/headlamp (rendered from HelmRelease headlamp/headlamp)')));
    assert.match(lines(dist).join('\n'), /headlamp-secrets \(cluster homelab\) \| build \| warning: applies \.\/secrets\/homelab\/headlamp, which is not in the repository yet/);
  });

  it('catches a hand edit of a generated file', () => {
    const edited = publish();
    const release = join(edited, 'apps/headlamp/release.yaml');
    writeFileSync(release, readFileSync(release, 'utf8').replace('clusterRoleName: view\n      create: false', 'clusterRoleName: cluster-admin\n      create: true').replace('version: 0.45.0', 'version: 0.45.x'));
    const found = lines(edited);
    assert.ok(found.some((f) => /^HelmRelease headlamp\/headlamp via Kustomization flux-system\/headlamp \(cluster homelab\) \| chart-version \| error: spec\.chart\.spec\.version "0\.45\.x"/.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /\| chart-values \| unchecked: values were NOT checked against chart headlamp: version "0\.45\.x"/.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /\| headlamp-values \| error: values\.clusterRoleBinding\.clusterRoleName: ClusterRole "cluster-admin"/.test(f)), found.join('\n'));
  });

  it('fails a folder kustomize cannot build, naming the Kustomization and kustomize\'s reason', () => {
    const edited = publish();
    const kustomization = join(edited, 'apps/headlamp/kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('  - route.yaml', '  - route.yaml\n  - extra.yaml'));
    assert.match(lines(edited).join('\n'), /Kustomization flux-system\/headlamp \(cluster homelab\) \| build \| error: could not be built as Flux would build it: .*extra\.yaml/);
  });

  it('finds an object two Kustomizations of one cluster apply', () => {
    const edited = publish();
    const kustomization = join(edited, 'apps/headlamp/kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('  - route.yaml', '  - route.yaml\n  - namespace-copy.yaml'));
    writeFileSync(join(edited, 'apps/headlamp/namespace-copy.yaml'), readFileSync(join(edited, 'apps/headlamp/namespace/namespace.yaml'), 'utf8'));
    assert.match(lines(edited).join('\n'), /\(all objects\) \(cluster homelab\) \| duplicates \| error: Namespace headlamp is defined twice, in Kustomization flux-system\/headlamp and in Kustomization flux-system\/headlamp-namespace/);
  });

  it('flags a plaintext Secret in a file synth did not write, in the file and in what the cluster gets', () => {
    const mixed = publish();
    writeFileSync(join(mixed, 'clusters/homelab/flux-system/leak.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\n  namespace: flux-system\ndata:\n  token: c2VjcmV0\n');
    const kustomization = join(mixed, 'clusters/homelab/flux-system/kustomization.yaml');
    writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('  - gotk-sync.yaml', '  - gotk-sync.yaml\n  - leak.yaml'));
    const secrets = lines(mixed).filter((f) => f.includes('| secrets | error'));
    assert.deepEqual(secrets.map((f) => f.split(' | ')[0]), ['clusters/homelab/flux-system/leak.yaml: Secret flux-system/leak', 'Secret flux-system/leak via dist/clusters/homelab/ (applied by flux bootstrap) (cluster homelab)']);
  });

  it('refuses a missing folder with the fix', () => {
    assert.throws(() => validateTree(join(tempDir(), 'dist'), validationPolicy()), /does not exist: run npm run synth first/);
  });
});
