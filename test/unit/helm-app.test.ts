// HelmApp's own props, beyond what HeadlampStack's tests cover.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppChartSource, FluxApp, HelmApp, HelmAppProps } from '../../lib';
import { parseYaml, tempDir, TEST_CHECKS } from '../helpers';

const chart = { name: 'crossview', repository: 'oci://ghcr.io/crossplane-contrib/crossview-chart', version: '3.4.0' };
function tree(props: Partial<HelmAppProps>) {
  const app = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation: TEST_CHECKS });
  new HelmApp(app, 'app', { name: 'cv', chart, ...props });
  return app.renderTree();
}

describe('HelmApp', () => {
  it('applies the secrets folder before the app when the app has Secrets, even without a tunnel', () => {
    const sync = parseYaml(tree({ tunnel: false, route: false, secrets: true }).get('clusters/homelab/cv.yaml')!);
    assert.deepEqual(sync.map((k) => k.metadata.name), ['cv-namespace', 'cv-secrets', 'cv']);
    assert.equal(sync[1].spec.path, './secrets/homelab/cv');
    assert.deepEqual(sync[2].spec.dependsOn.map((d: { name: string }) => d.name), ['cv-namespace', 'cv-secrets']);
    const none = parseYaml(tree({ tunnel: false, route: false }).get('clusters/homelab/cv.yaml')!);
    assert.deepEqual(none.map((k) => k.metadata.name), ['cv-namespace', 'cv'], 'no Secrets, no secrets Kustomization');
  });

  it('applies the secrets folder for a chart source\'s credentials, and the runbook says where they go', () => {
    const files = tree({ tunnel: false, route: false, chart: { name: 'crossview', version: '3.4.0', source: AppChartSource.ociRepository('oci://registry.example.net/charts/crossview', { secretName: 'registry-credentials', certSecretName: 'registry-ca' }) } });
    assert.deepEqual(parseYaml(files.get('clusters/homelab/cv.yaml')!).map((k) => k.metadata.name), ['cv-namespace', 'cv-secrets', 'cv']);
    const repo = parseYaml(files.get('apps/cv/repository.yaml')!)[0];
    assert.deepEqual([repo.kind, repo.spec.secretRef, repo.spec.certSecretRef], ['OCIRepository', { name: 'registry-credentials' }, { name: 'registry-ca' }]);
    assert.match(files.get('clusters/homelab/RUNBOOK.md')!, /\| Chart source Secrets \| `registry-credentials`, `registry-ca` \|/);
    assert.match(files.get('clusters/homelab/RUNBOOK.md')!, /put each in `secrets\/homelab\/cv\/<name>\.yaml`, SOPS-encrypted/);
  });

  it('refuses a chart with neither repository nor source, or both', () => {
    assert.throws(() => tree({ chart: { name: 'x', version: '1.0.0' } }), /chart: give chart\.repository \(a URL\) or chart\.source/);
    assert.throws(() => tree({ chart: { ...chart, source: AppChartSource.helmRepository('https://x/') } }), /chart: give chart\.repository or chart\.source, not both/);
  });

  it('merges values over the app\'s defaults, and writes replicas to the chart value named', () => {
    const release = parseYaml(tree({ route: false, defaultValues: { a: { b: 1, c: 2 } }, values: { a: { c: 3 } }, replicas: 2, replicasValue: 'app.replicas' }).get('apps/cv/release.yaml')!)[0];
    assert.deepEqual(release.spec.values.a, { b: 1, c: 3 });
    assert.equal(release.spec.values['app.replicas'], 2);
  });

  it('routes to the Service the app names, and needs a hostname while the route is on', () => {
    const route = parseYaml(tree({ hostname: 'cv.example.net', service: () => ({ serviceName: 'crossview', servicePort: 3001 }) }).get('apps/cv/route.yaml')!)[0];
    assert.deepEqual(route.spec.routes[0].services[0], { name: 'crossview', namespace: 'cv', port: 3001 });
    assert.throws(() => tree({}), /HelmApp app: hostname is required for the route: set hostname, or turn the route off with route: false/);
  });

  it('reports its own problems and those of an app built on it in one list', () => {
    const app = new FluxApp({ outdir: tempDir(), distDir: tempDir() });
    new HelmApp(app, 'x', { name: 'Bad', chart: { ...chart, version: '^3' }, route: false }, ['icon: Invalid value: "?"']);
    assert.throws(() => app.renderTree(), (error: Error) => {
      assert.match(error.message, /^HelmApp x: 4 invalid props:\n {2}- icon: Invalid value: "\?"\n {2}- name: Invalid value: "Bad"/);
      assert.match(error.message, /- chartVersion: Invalid value: "\^3": must be an exact chart version/);
      return true;
    });
  });
});
