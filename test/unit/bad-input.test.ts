// The bad-input battery: each bad input is refused with an error that names the
// value and the fix, and a dist/ published before stays byte-identical.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isUserError } from '../../lib/errors';
import { FluxApp, FluxAppProps, FluxKustomization, FluxFile, GitRepository, HeadlampInstall, HeadlampStack, HeadlampStackProps, HelmApp, HelmRelease, HelmRepository, OCIRepository } from '../../lib';
import { readTree, tempDir } from '../helpers';

const HOST = { hostname: 'headlamp.example.net' };
const stack = (props: Partial<HeadlampStackProps>) => (app: FluxApp) => new HeadlampStack(app, 'headlamp', { ...HOST, ...props });

const CASES: [string, (app: FluxApp) => void, RegExp][] = [
  ['a hostname with a scheme', stack({ hostname: 'https://headlamp.example.net' }), /hostname: Invalid value: "https:\/\/headlamp\.example\.net": a lowercase RFC 1123 subdomain .* \(drop the scheme\)/],
  ['a hostname with a port', stack({ hostname: 'headlamp.example.net:443' }), /hostname: Invalid value: "headlamp\.example\.net:443": .* \(drop the port or path\)/],
  ['a hostname with a path', stack({ hostname: 'example.net/headlamp' }), /hostname: Invalid value: "example\.net\/headlamp": .* \(drop the port or path\)/],
  ['an uppercase hostname', stack({ hostname: 'Headlamp.example.net' }), /hostname: Invalid value: "Headlamp\.example\.net": a lowercase RFC 1123 subdomain/],
  ['a hostname over 253 characters', stack({ hostname: `${'a'.repeat(60)}.`.repeat(5) + 'net' }), /hostname: Invalid value: "a{60}\..*": a lowercase RFC 1123 subdomain/],
  ['an uppercase name', stack({ name: 'Headlamp' }), /name: Invalid value: "Headlamp": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'/],
  ['a release name over 53 characters', stack({ name: 'h'.repeat(54) }), /name: Invalid value: "h{54}": must be no more than 53 characters \(it has 54\)/],
  ['a namespace with an underscore', stack({ namespace: 'head_lamp' }), /namespace: Invalid value: "head_lamp": a lowercase RFC 1123 label/],
  ['a namespace over 63 characters', stack({ namespace: 'n'.repeat(64) }), /namespace: Invalid value: "n{64}": must be no more than 63 characters/],
  ['a cluster name with a dot', stack({ clusters: { 'home.lab': {} } }), /clusters key "home\.lab": Invalid value: "home\.lab": a lowercase RFC 1123 label/],
  ['a caret range', stack({ chartVersion: '^0.45.0' }), /chartVersion: Invalid value: "\^0\.45\.0": must be an exact chart version such as "1\.2\.3".*set allow\.versionRange to the reason/],
  ['a wildcard version', stack({ chartVersion: '*' }), /chartVersion: Invalid value: "\*": must be an exact chart version/],
  ['an empty version', stack({ chartVersion: '' }), /chartVersion: Invalid value: "": must be an exact chart version/],
  ['a v-prefixed version', stack({ chartVersion: 'v0.45.0' }), /chartVersion: Invalid value: "v0\.45\.0": must be an exact chart version/],
  ['a two-part version', stack({ chartVersion: '0.45' }), /chartVersion: Invalid value: "0\.45": must be an exact chart version/],
  ['a blank reason for a range', stack({ chartVersion: '~0.45.0', allow: { versionRange: '  ' } }), /chartVersion: Invalid value: "~0\.45\.0"/],
  ['an http chart repository', (app) => new HelmRepository(new FluxFile(app, 'f', { path: 'apps/x/repository.yaml' }), 'r', { name: 'x', namespace: 'x', url: 'http://charts.example.net' }), /url: Invalid value: "http:\/\/charts\.example\.net": must start with https:\/\/ or oci:\/\/; plain http is refused .*set allowInsecure to the reason/],
  ['an unknown chart source kind', (app) => new HelmRelease(new FluxFile(app, 'f', { path: 'apps/x/release.yaml' }), 'r', { source: { kind: 'ExternalArtifact', name: 'x', namespace: 'x' }, chart: 'x', version: '1.0.0', namespace: 'x' }), /source: unknown chart source kind "ExternalArtifact": a HelmRelease takes its chart from one of HelmRepository, GitRepository, Bucket, OCIRepository, HelmChart/],
  ['an http Git chart source', (app) => new GitRepository(new FluxFile(app, 'f', { path: 'apps/x/repository.yaml' }), 'r', { url: 'http://git.lan/charts', namespace: 'x', ref: { branch: 'main' } }), /url: Invalid value: "http:\/\/git\.lan\/charts": must start with https:\/\/ or ssh:\/\/; plain http is refused .*set allowInsecure to the reason/],
  ['an OCI semver range without a reason', (app) => new OCIRepository(new FluxFile(app, 'f', { path: 'apps/x/repository.yaml' }), 'r', { url: 'oci://ghcr.io/x/app', namespace: 'x', ref: { semver: '>=1.0.0' } }), /ref\.semver: Invalid value: ">=1\.0\.0": a range lets upgrades bypass review; pin ref\.tag to one version, or set allowVersionRange to the reason/],
  ['a values file the chart does not have', (app) => new HelmApp(app, 'x', { name: 'x', chart: { name: 'headlamp', repository: 'https://kubernetes-sigs.github.io/headlamp/', version: '0.45.0' }, route: false, tunnel: false, release: { valuesFiles: ['values-prod.yaml'] } }), /chart-values: valuesFiles entry "values-prod\.yaml" is not in chart headlamp 0\.45\.0 .*, so Flux fails to build the chart/],
  ['zero tunnel replicas', stack({ tunnel: { replicas: 0 } }), /tunnel\.replicas: Invalid value: 0: must be a whole number ≥ 1; turn the tunnel off with tunnel: false instead/],
  ['chart values in raw mode', stack({ install: HeadlampInstall.RAW, values: { replicaCount: 2 } }), /values are chart values, and install: raw uses no chart: drop values, or use install: helm/],
  ['a Flux path outside the repository root', (app) => new FluxKustomization(new FluxFile(app, 'f', { path: 'clusters/x/app.yaml', listed: false }), 'k', { name: 'x', path: 'dist/apps/x' }), /kustomization path "dist\/apps\/x" must start with "\.\/"/],
  ['failure 1: a pinned image.tag', stack({ values: { image: { tag: '0.40.0' } } }), /HelmRelease headlamp\/headlamp: chart-values: values\.image\.tag "0\.40\.0" pins the binary apart from its chart .*set allow\.imageTag to the reason/],
  ['a blank reason for image.tag', stack({ values: { image: { tag: '0.40.0' } }, allow: { imageTag: ' ' } }), /values\.image\.tag "0\.40\.0" pins the binary/],
  ['failure 2: a read-only root with no volumes', stack({ values: { volumes: [], volumeMounts: [] } }), /headlamp-values: values\.securityContext\.readOnlyRootFilesystem is true but no volume is mounted at \/home\/headlamp/],
  ['failure 3: extraVolumes', stack({ values: { extraVolumes: [{ name: 'home', emptyDir: {} }] } }), /chart-values: values\.extraVolumes is not a key of chart headlamp 0\.45\.0; did you mean values\.volumes\?/],
  ['a misspelt nested key', stack({ values: { service: { prot: 8080 } } }), /values\.service\.prot is not a key of chart headlamp 0\.45\.0; did you mean values\.service\.port\?/],
  ['a volumeMount without its volume', stack({ values: { volumeMounts: [{ name: 'home', mountPath: '/home/headlamp' }, { name: 'tmp', mountPath: '/tmp' }, { name: 'plugins', mountPath: '/headlamp/plugins' }] } }), /values\.volumeMounts\[2\] mounts volume "plugins", which is not in values\.volumes/],
  ['a chart binding to cluster-admin', stack({ values: { clusterRoleBinding: { create: true, clusterRoleName: 'cluster-admin' } } }), /values\.clusterRoleBinding\.clusterRoleName: ClusterRole "cluster-admin" grants full control of the cluster: bind "view"/],
  ['a value of the wrong type', stack({ values: { replicaCount: 'two' } }), /values\.replicaCount must be integer \(values\.schema\.json of chart headlamp 0\.45\.0\)/],
  ['an OIDC secret in plain text', stack({ values: { config: { oidc: { clientSecret: 'hunter2' } } } }), /values\.config\.oidc\.clientSecret is a secret in plain text in the HelmRelease/],
  ['the app named flux-system', stack({ name: 'flux-system', namespace: 'tools' }), /name: Invalid value: "flux-system": the app's Flux Kustomization would be flux-system\/flux-system, which flux bootstrap owns/],
  ['the app in kube-system', stack({ namespace: 'kube-system' }), /namespace: Invalid value: "kube-system": that namespace holds the control plane's own workloads, and the app would label it Pod Security restricted/],
  ['the app in flux-system', stack({ namespace: 'flux-system' }), /namespace: Invalid value: "flux-system": that namespace holds Flux and its credentials/],
  ['an uppercase tunnel name', stack({ tunnel: { name: 'UPPER' } }), /tunnel\.name: Invalid value: "UPPER": a lowercase RFC 1123 label/],
  ['a tunnel Secret name with spaces', stack({ tunnel: { secretName: 'Bad Name!' } }), /tunnel\.secretName: Invalid value: "Bad Name!": a lowercase RFC 1123 subdomain/],
  ['a tunnel Secret name that climbs out of the repository', stack({ tunnel: { secretName: '../../../../etc/x' } }), /tunnel\.secretName: Invalid value: "\.\.\/\.\.\/\.\.\/\.\.\/etc\/x": a lowercase RFC 1123 subdomain/],
  ['a 250-character login name', stack({ login: { name: 'l'.repeat(250) } }), /login\.name \(as the token Secret name\): Invalid value: "l{250}-token": must be no more than 253 characters/],
  ['a metrics port above 65535', stack({ tunnel: { metricsPort: 70000 } }), /tunnel\.metricsPort: Invalid value: 70000: must be between 1 and 65535, inclusive/],
  ['a negative metrics port', stack({ tunnel: { metricsPort: -1 } }), /tunnel\.metricsPort: Invalid value: -1/],
  ['10^12 replicas', stack({ replicas: 1e12 }), /replicas: Invalid value: 1000000000000: must be a whole number ≥ 1 and ≤ 2147483647/],
  ['a middleware namespace with a path', stack({ route: { middlewares: [{ name: 'auth', namespace: '../x' }] } }), /route\.middlewares\[0\]\.namespace: Invalid value: "\.\.\/x"/],
  ['an empty entry point name', stack({ route: { entryPoints: [''], tunnelOrigin: 'http://traefik.kube-system.svc.cluster.local:80' } }), /route\.entryPoints\[0\]: Invalid value: "": a Traefik entry point name/],
  ['a hostname label of 64 characters', stack({ hostname: `${'h'.repeat(64)}.example.net` }), /hostname: Invalid value: "h{64}\.example\.net": each part between dots must be no more than 63 characters/],
  ['a secrets folder outside the repository', stack({ flux: { secretsDir: '../escape' } }), /flux\.secretsDir: Invalid value: "\.\.\/escape": must be a folder inside the repository/],
  ['two stacks defining one namespace', (app) => { stack({ name: 'a', namespace: 'tools' })(app); new HeadlampStack(app, 'other', { ...HOST, name: 'b', namespace: 'tools' }); }, /Namespace tools is defined twice, in apps\/a\/namespace\/namespace\.yaml and in apps\/b\/namespace\/namespace\.yaml: give one of them another name or namespace/],
];

describe('bad input', () => {
  let dist: string;
  let published: Map<string, string>;

  before(() => {
    dist = tempDir();
    const app = new FluxApp({ distDir: dist, outdir: tempDir() });
    new HeadlampStack(app, 'headlamp', HOST);
    app.synth();
    published = readTree(dist);
    assert.ok(published.size > 5);
  });

  it(`has at least 25 distinct cases (${CASES.length})`, () => {
    assert.ok(CASES.length >= 25);
    assert.equal(new Set(CASES.map(([what]) => what)).size, CASES.length);
  });

  for (const [what, build, message] of CASES) {
    it(`refuses ${what}, and dist/ stays byte-identical`, () => {
      assert.throws(() => {
        const app = new FluxApp({ distDir: dist, outdir: tempDir() });
        build(app);
        app.synth();
      }, message);
      assert.deepEqual(readTree(dist), published);
    });
  }

  it('reports every bad prop of a stack at once', () => {
    const app = new FluxApp({ distDir: tempDir() });
    new HeadlampStack(app, 'headlamp', { hostname: 'http://x', name: 'X', namespace: 'a_b', chartVersion: 'latest' });
    assert.throws(() => app.renderTree(), (error: Error) => {
      assert.match(error.message, /^HeadlampStack headlamp: 4 invalid props:\n/);
      for (const prop of ['hostname', 'name', 'namespace', 'chartVersion']) assert.match(error.message, new RegExp(`\\n  - ${prop}: Invalid value`));
      return true;
    });
  });

  it('lists, in one synth, unknown and missing props (as plain JavaScript gives them) with the values problems of every stack', () => {
    const app = new FluxApp({ distDir: dist, outdir: tempDir() });
    const typo = { hostName: 'headlamp.example.net', replica: 3, clusters: { homelab: { replcas: 2 } }, values: { replicaCont: 2 }, tunnel: { replica: 1 } };
    new HeadlampStack(app, 'headlamp', typo as unknown as HeadlampStackProps);
    new HeadlampStack(app, 'two', { name: 'two', namespace: 'two', hostname: 'two.example.net', values: { replicaCont: 2 } });
    const published = readTree(dist);
    assert.throws(() => app.synth(), (error: Error) => {
      assert.match(error.message, /^Validation failed with the following errors:\n {2}HeadlampStack headlamp: 6 invalid props:\n/);
      for (const line of [
        '- hostName is not a prop; did you mean hostname?',
        '- replica is not a prop; did you mean replicas?',
        '- clusters.homelab.replcas is not a prop; did you mean clusters.homelab.replicas?',
        '- tunnel.replica is not a prop; did you mean tunnel.replicas?',
        '- hostname is required for the route: set hostname, or turn the route off with route: false',
        '- values.replicaCont is not a key of chart headlamp 0.45.0; did you mean values.replicaCount?',
        'HelmRelease two/two: chart-values: values.replicaCont is not a key of chart headlamp 0.45.0; did you mean values.replicaCount?',
      ]) assert.ok(error.message.includes(line), `${line}\nin\n${error.message}`);
      assert.ok(isUserError(error));
      return true;
    });
    assert.deepEqual(readTree(dist), published);
  });

  it('refuses an unknown FluxApp prop with the one meant', () => {
    assert.throws(() => new FluxApp({ distdir: 'x' } as unknown as FluxAppProps), /^Error: FluxApp: distdir is not a prop; did you mean distDir\?$/);
  });

  it('reports every failed check of a synth at once', () => {
    const app = new FluxApp({ distDir: dist, outdir: tempDir() });
    new HeadlampStack(app, 'headlamp', { ...HOST, values: { extraVolumes: [], image: { tag: '1' }, clusterRoleBinding: { create: true, clusterRoleName: 'edit' } } });
    assert.throws(() => app.synth(), (error: Error) => {
      assert.match(error.message, /^Validation failed with the following errors:/);
      assert.equal(error.message.match(/chart-values:|headlamp-values:/g)?.length, 3, error.message);
      assert.match(error.message, /Nothing was written to /);
      return true;
    });
    assert.deepEqual(readTree(dist), published);
  });
});
