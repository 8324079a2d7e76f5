// The holes found by attacking the safety net through the public API and by
// editing dist/ by hand: each is refused, by synth before anything is written,
// or by `npm run validate` on the tree as it is on disk.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { FluxApp, HeadlampStack, HeadlampStackProps, JsonObject } from '../../lib';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { validateTree } from '../../lib/effective/validate-tree';
import { failures } from '../../lib/policy/finding';
import { FIXTURES, GOTK_SYNC, readTree, tempDir, TEST_CHECKS } from '../helpers';

const HOST = { hostname: 'headlamp.example.net' };

describe('synth refuses unsafe values by what Helm renders, before writing', () => {
  let dist: string;
  let published: Map<string, string>;
  before(() => {
    dist = tempDir();
    const app = new FluxApp({ distDir: dist, outdir: tempDir(), validation: TEST_CHECKS });
    new HeadlampStack(app, 'headlamp', HOST);
    app.synth();
    published = readTree(dist);
  });

  const privileged = { privileged: true, allowPrivilegeEscalation: true };
  const cases: [string, JsonObject, RegExp][] = [
    ['a privileged container', { securityContext: privileged }, /Deployment headlamp\/headlamp \(rendered from HelmRelease headlamp\/headlamp\): pod-security: violates PodSecurity "restricted:latest": privileged/],
    ['runAsUser 0', { securityContext: { runAsUser: 0 } }, /runAsUser=0/],
    ['seccomp Unconfined', { podSecurityContext: { seccompProfile: { type: 'Unconfined' } } }, /seccompProfile .*Unconfined/],
    ['a hostPath volume', { volumes: [{ name: 'home', hostPath: { path: '/' } }, { name: 'tmp', emptyDir: {} }] }, /restricted volume types .*hostPath|hostPath volumes/],
    ['the chart binding with its role removed through null', { clusterRoleBinding: { create: true, clusterRoleName: null } }, /ClusterRoleBinding headlamp-admin \(rendered from HelmRelease headlamp\/headlamp\): headlamp-render: names no ClusterRole/],
    ['a public Ingress', { ingress: { enabled: true, hosts: [{ host: 'headlamp.example.net', paths: [{ path: '/', type: 'Prefix' }] }] } }, /Ingress headlamp\/headlamp \(rendered from HelmRelease headlamp\/headlamp\): exposure: an Ingress publishes the app/],
    ['readOnlyRootFilesystem as a string', { securityContext: { readOnlyRootFilesystem: 'true' } }, /Deployment headlamp\/headlamp \(rendered from HelmRelease headlamp\/headlamp\): schema: spec\.template\.spec\.containers\[0\]\.securityContext\.readOnlyRootFilesystem must be boolean/],
    ['a LoadBalancer Service', { service: { type: 'LoadBalancer', port: 80 } }, /Service headlamp\/headlamp \(rendered from HelmRelease headlamp\/headlamp\): exposure: spec\.type LoadBalancer/],
  ];
  for (const [what, values, message] of cases) {
    it(`refuses ${what}`, () => {
      const app = new FluxApp({ distDir: dist, outdir: tempDir(), validation: TEST_CHECKS });
      new HeadlampStack(app, 'headlamp', { ...HOST, values } as HeadlampStackProps);
      assert.throws(() => app.synth(), (error: Error) => {
        assert.match(error.message, message);
        assert.match(error.message, /Nothing was written to /);
        return true;
      });
      assert.deepEqual(readTree(dist), published);
    });
  }

  it('refuses extraManifests that bind cluster-admin', () => {
    const binding = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: sneaky\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: headlamp\n    namespace: headlamp\n';
    const app = new FluxApp({ distDir: tempDir(), outdir: tempDir(), validation: TEST_CHECKS });
    new HeadlampStack(app, 'headlamp', { ...HOST, values: { extraManifests: [binding] } });
    assert.throws(() => app.synth(), /ClusterRoleBinding sneaky \(rendered from HelmRelease headlamp\/headlamp\): rbac: roleRef ClusterRole "cluster-admin"/);
  });
});

describe('validate refuses a hand-edited tree by what Flux would apply', () => {
  /** A published tree with bootstrap's files, and a way to break it. */
  function tree(): { dist: string; edit: (path: string, change: (text: string) => string) => void; errors: () => string } {
    const dist = tempDir();
    const app = new FluxApp({ distDir: dist, outdir: tempDir(), validation: TEST_CHECKS });
    new HeadlampStack(app, 'headlamp', HOST);
    app.synth();
    mkdirSync(join(dist, 'clusters/homelab/flux-system'));
    writeFileSync(join(dist, 'clusters/homelab/flux-system/gotk-sync.yaml'), GOTK_SYNC);
    writeFileSync(join(dist, 'clusters/homelab/flux-system/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-sync.yaml\n');
    return {
      dist,
      edit: (path, change) => writeFileSync(join(dist, path), change(readFileSync(join(dist, path), 'utf8'))),
      errors: () => failures(validateTree(dist, validationPolicy({ chartDirs: [join(FIXTURES, 'charts')], pull: false, render: true }), 'dist', tempDir()).reports.flatMap((r) => r.findings), true)
        .map((f) => `${f.object} | ${f.check} | ${f.message}`).join('\n'),
    };
  }
  const privileged = (text: string) => text.replace('privileged: false', 'privileged: true');
  const adminBinding = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: evil\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: Group\n    name: system:authenticated\n    apiGroup: rbac.authorization.k8s.io\n';

  const cases: [string, (t: ReturnType<typeof tree>) => void, RegExp][] = [
    ['a privileged container in a file whose marker was removed', (t) => t.edit('apps/headlamp/cloudflared.yaml', (s) => privileged(s.split('\n').slice(1).join('\n'))), /Deployment headlamp\/cloudflared via Kustomization flux-system\/headlamp \(cluster homelab\) \| pod-security \| .*privileged/],
    ['the same with CRLF line ends and a BOM', (t) => t.edit('apps/headlamp/cloudflared.yaml', (s) => `\uFEFF${privileged(s).replace(/\n/g, '\r\n')}`), /Deployment headlamp\/cloudflared .* pod-security \| .*privileged/],
    ['an unmarked evil.yaml in the cluster folder, as a List', (t) => writeFileSync(join(t.dist, 'clusters/homelab/evil.yaml'), `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBindingList\nitems:\n${adminBinding.split('\n').filter(Boolean).map((l, i) => `${i === 0 ? '  - ' : '    '}${l}`).join('\n')}\n`), /ClusterRoleBinding evil via dist\/clusters\/homelab\/ \(applied by flux bootstrap\) \(cluster homelab\) \| rbac \| roleRef ClusterRole "cluster-admin"/],
    ['patches in a generated kustomization.yaml', (t) => t.edit('apps/headlamp/kustomization.yaml', (s) => `${s}patches:\n  - target: {kind: Deployment, name: cloudflared}\n    patch: |\n      - op: add\n        path: /spec/template/spec/hostPID\n        value: true\n`), /Deployment headlamp\/cloudflared .* pod-security \| .*hostPID=true/],
    ['a secretGenerator with literals', (t) => t.edit('apps/headlamp/kustomization.yaml', (s) => `${s}secretGenerator:\n  - name: leaked\n    literals: [password=hunter2]\n`), /Secret (headlamp\/)?leaked-\w+ via Kustomization flux-system\/headlamp .* \| secrets \| has no sops envelope/],
    ['a plaintext Secret in a .json resource', (t) => { writeFileSync(join(t.dist, 'apps/headlamp/leak.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak', namespace: 'headlamp' }, stringData: { a: 'b' } })); t.edit('apps/headlamp/kustomization.yaml', (s) => s.replace('  - route.yaml', '  - route.yaml\n  - leak.json')); }, /apps\/headlamp\/leak\.json: Secret headlamp\/leak \| secrets \| has no sops envelope/],
    ['resources outside the tree', (t) => t.edit('apps/headlamp/kustomization.yaml', (s) => s.replace('  - route.yaml', '  - route.yaml\n  - ../../../../outside')), /Kustomization flux-system\/headlamp \(cluster homelab\) \| build \| could not be built as Flux would build it/],
    ['YAML merge keys that bring in privileged', (t) => t.edit('apps/headlamp/cloudflared.yaml', (s) => s.replace('kind: Deployment', 'kind: Deployment\nx-priv: &priv\n  privileged: true\n').replace('privileged: false', '<<: *priv')), /Deployment headlamp\/cloudflared .* pod-security \| .*privileged/],
    ['postRenderers on the HelmRelease', (t) => t.edit('apps/headlamp/release.yaml', (s) => s.replace('  driftDetection:', '  postRenderers:\n    - kustomize:\n        patches:\n          - target: {kind: Deployment}\n            patch: |\n              - op: add\n                path: /spec/template/spec/hostNetwork\n                value: true\n  driftDetection:')), /Deployment headlamp\/headlamp \(rendered from HelmRelease headlamp\/headlamp\) \| pod-security \| .*hostNetwork=true/],
    ['spec.patches on a Flux Kustomization', (t) => t.edit('clusters/homelab/headlamp.yaml', (s) => s.replace('  path: ./dist/apps/headlamp\n', '  path: ./dist/apps/headlamp\n  patches:\n    - target: {kind: Deployment, name: cloudflared}\n      patch: |\n        - op: add\n          path: /spec/template/spec/containers/0/securityContext/privileged\n          value: true\n')), /Deployment headlamp\/cloudflared .* pod-security \| .*privileged/],
    ['postBuild substitution of a role name', (t) => { t.edit('apps/headlamp/rbac.yaml', (s) => s.replace('  name: view', '  name: ${ROLE}')); t.edit('clusters/homelab/headlamp.yaml', (s) => s.replace('  path: ./dist/apps/headlamp\n', '  path: ./dist/apps/headlamp\n  postBuild:\n    substitute:\n      ROLE: cluster-admin\n')); }, /ClusterRoleBinding headlamp-view via Kustomization flux-system\/headlamp .* \| rbac \| roleRef ClusterRole "cluster-admin"/],
    ['a Secret with a fake sops map', (t) => writeFileSync(join(t.dist, 'clusters/homelab/fake.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: fake\n  namespace: headlamp\nstringData:\n  a: b\nsops: {}\n'), /Secret headlamp\/fake .* \| secrets \| has a sops map without an encrypted mac/],
    ['a Secret file whose second document is an alias bomb', (t) => writeFileSync(join(t.dist, 'clusters/homelab/bomb.yaml'), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: headlamp\nstringData:\n  a: b\n---\nx: &a [1]\ny: [${Array.from({ length: 101 }, () => '*a').join(', ')}]\n`), /clusters\/homelab\/bomb\.yaml \| yaml \| .*not valid YAML|clusters\/homelab\/bomb\.yaml \| yaml/],
  ];
  it('passes the untouched tree', () => assert.equal(tree().errors(), ''));

  for (const [what, tamper, message] of cases) {
    it(`refuses ${what}`, () => {
      const t = tree();
      tamper(t);
      assert.match(t.errors(), message);
    });
  }
});
