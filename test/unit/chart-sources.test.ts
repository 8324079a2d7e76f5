// Chart sources as typed constructs: each writes the object Flux expects (and
// its schema accepts), refuses what would silently break, and a HelmRelease
// refers to each the way Flux reads it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Construct } from 'constructs';
import { Bucket, GitRepository, HelmChart, HelmRelease, HelmRepository, IChartSource, OCIRepository } from '../../lib';
import { apiSchemaViolations } from '../../lib/policy/api-schema';
import { K8sObject, synthChart } from '../helpers';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** The objects `build` makes, each checked against its pinned CRD schema. */
function objects(build: (scope: Construct) => void): K8sObject[] {
  const made = synthChart(build);
  for (const obj of made) assert.deepEqual(apiSchemaViolations(obj), [], `${obj.kind} ${obj.metadata.name} fails its schema`);
  return made;
}

const one = (kind: string, build: (scope: Construct) => void) => objects(build).find((o) => o.kind === kind)!;

describe('OCIRepository', () => {
  it('pins a tag and selects the Helm chart layer, copied, by default', () => {
    const repo = one('OCIRepository', (s) => new OCIRepository(s, 'podinfo', { url: 'oci://ghcr.io/stefanprodan/charts/podinfo', namespace: 'apps', ref: { tag: '6.9.2' } }));
    assert.equal(repo.apiVersion, 'source.toolkit.fluxcd.io/v1');
    assert.deepEqual(repo.spec, {
      url: 'oci://ghcr.io/stefanprodan/charts/podinfo', interval: '1h', ref: { tag: '6.9.2' },
      layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
    });
  });

  it('takes a digest with the version it holds, credentials, a CA and a layer selector', () => {
    const repo = one('OCIRepository', (s) => new OCIRepository(s, 'r', {
      url: 'oci://registry.example.net/charts/app', namespace: 'apps', ref: { digest: DIGEST }, chartVersion: '1.0.0',
      secretName: 'registry-auth', certSecretName: 'registry-ca', layerSelector: { mediaType: 'application/x-custom', operation: 'extract' },
    }));
    assert.deepEqual(repo.spec.ref, { digest: DIGEST });
    assert.deepEqual(repo.spec.secretRef, { name: 'registry-auth' });
    assert.deepEqual(repo.spec.certSecretRef, { name: 'registry-ca' });
    assert.deepEqual(repo.spec.layerSelector, { mediaType: 'application/x-custom', operation: 'extract' });
  });

  it('refuses a range without a reason, and records the reason when given', () => {
    const build = (allowVersionRange?: string) => (s: Construct) => new OCIRepository(s, 'r', { url: 'oci://ghcr.io/x/app', namespace: 'a', ref: { semver: '>=1.0.0 <2.0.0' }, allowVersionRange });
    assert.throws(() => objects(build()), /ref\.semver: Invalid value: ">=1\.0\.0 <2\.0\.0": a range lets upgrades bypass review; pin ref\.tag to one version, or set allowVersionRange to the reason/);
    const repo = one('OCIRepository', build('staging follows every 1.x'));
    assert.deepEqual(repo.spec.ref, { semver: '>=1.0.0 <2.0.0' });
    assert.equal(repo.metadata.annotations?.['flux-helm-apps/allow-version-range'], 'staging follows every 1.x');
  });

  it('refuses a v-prefixed or latest tag, two pins, a digest without its version, and a non-oci url', () => {
    const make = (props: Partial<ConstructorParameters<typeof OCIRepository>[2]>) => () => objects((s) => new OCIRepository(s, 'r', { url: 'oci://ghcr.io/x/app', namespace: 'a', ref: { tag: '1.0.0' }, ...props }));
    assert.throws(make({ ref: { tag: 'v1.0.0' } }), /ref\.tag: Invalid value: "v1\.0\.0": must be an exact chart version/);
    assert.throws(make({ ref: { tag: 'latest' } }), /ref\.tag: Invalid value: "latest"/);
    assert.throws(make({ ref: { tag: '1.0.0', digest: DIGEST } }), /ref: set exactly one of tag, semver or digest \(it has 2\)/);
    assert.throws(make({ ref: { digest: DIGEST } }), /chartVersion: Invalid value: "": with ref\.digest, give the exact chart version the digest holds/);
    assert.throws(make({ url: 'https://ghcr.io/x/app' }), /url: Invalid value: "https:\/\/ghcr\.io\/x\/app": must start with oci:\/\//);
  });

  it('reaches a plain-HTTP registry only with a reason, recorded on the object', () => {
    const repo = one('OCIRepository', (s) => new OCIRepository(s, 'r', { url: 'oci://registry.lan:5000/app', namespace: 'a', ref: { tag: '1.0.0' }, allowInsecure: 'lab registry without TLS' }));
    assert.equal(repo.spec.insecure, true);
    assert.equal(repo.metadata.annotations?.['flux-helm-apps/allow-insecure'], 'lab registry without TLS');
  });
});

describe('HelmRepository', () => {
  it('takes basic auth and a CA for https, dockerconfigjson for oci', () => {
    const https = one('HelmRepository', (s) => new HelmRepository(s, 'r', { url: 'https://charts.example.net/', namespace: 'a', secretName: 'charts-auth', certSecretName: 'charts-ca' }));
    assert.deepEqual(https.spec, { url: 'https://charts.example.net/', interval: '1h', secretRef: { name: 'charts-auth' }, certSecretRef: { name: 'charts-ca' } });
    const oci = one('HelmRepository', (s) => new HelmRepository(s, 'r', { url: 'oci://ghcr.io/x/charts', namespace: 'a', secretName: 'ghcr-auth' }));
    assert.deepEqual(oci.spec, { url: 'oci://ghcr.io/x/charts', interval: '1h', type: 'oci', secretRef: { name: 'ghcr-auth' } });
  });

  it('accepts http:// only with a reason', () => {
    assert.throws(() => objects((s) => new HelmRepository(s, 'r', { url: 'http://charts.lan/', namespace: 'a', allowInsecure: ' ' })), /plain http is refused/);
    const repo = one('HelmRepository', (s) => new HelmRepository(s, 'r', { url: 'http://charts.lan/', namespace: 'a', allowInsecure: 'LAN mirror' }));
    assert.equal(repo.spec.url, 'http://charts.lan/');
    assert.equal(repo.metadata.annotations?.['flux-helm-apps/allow-insecure'], 'LAN mirror');
  });

  it('refuses a Secret name Kubernetes would refuse', () => {
    assert.throws(() => objects((s) => new HelmRepository(s, 'r', { url: 'https://x/', namespace: 'a', secretName: 'Charts_Auth' })), /secretName: Invalid value: "Charts_Auth"/);
  });
});

describe('GitRepository and Bucket', () => {
  it('writes url, one ref and ignore', () => {
    for (const ref of [{ branch: 'main' }, { tag: 'v1.2.3' }, { semver: '>=1.0.0' }, { commit: 'c'.repeat(40) }]) {
      const repo = one('GitRepository', (s) => new GitRepository(s, 'charts', { url: 'https://github.com/me/charts', namespace: 'a', ref, ignore: '/*\n!/charts/app/\n', secretName: 'git-auth' }));
      assert.deepEqual(repo.spec, { url: 'https://github.com/me/charts', interval: '10m', ref, ignore: '/*\n!/charts/app/\n', secretRef: { name: 'git-auth' } });
    }
  });

  it('refuses two refs, a short commit, http:// and a certSecretName', () => {
    const make = (props: Partial<ConstructorParameters<typeof GitRepository>[2]>) => () => objects((s) => new GitRepository(s, 'r', { url: 'ssh://git@github.com/me/charts', namespace: 'a', ref: { branch: 'main' }, ...props }));
    assert.throws(make({ ref: { branch: 'main', tag: 'v1' } }), /ref: set exactly one of branch, tag, semver or commit \(it has 2\)/);
    assert.throws(make({ ref: { commit: 'abc123' } }), /ref\.commit: Invalid value: "abc123": must be a full lowercase commit SHA/);
    assert.throws(make({ url: 'http://git.lan/charts' }), /url: Invalid value: "http:\/\/git\.lan\/charts": must start with https:\/\/ or ssh:\/\/; plain http is refused/);
    assert.throws(make({ certSecretName: 'ca' }), /certSecretName: a GitRepository has no certSecretRef: put ca\.crt in the Secret named by secretName instead/);
  });

  it('writes a Bucket with its endpoint, and plain HTTP only with a reason', () => {
    const bucket = one('Bucket', (s) => new Bucket(s, 'charts', { bucketName: 'charts', endpoint: 'minio.lan:9000', namespace: 'a', secretName: 'minio-keys', allowInsecure: 'MinIO on the LAN without TLS' }));
    assert.deepEqual(bucket.spec, { bucketName: 'charts', endpoint: 'minio.lan:9000', interval: '10m', provider: 'generic', insecure: true, secretRef: { name: 'minio-keys' } });
    assert.throws(() => objects((s) => new Bucket(s, 'b', { bucketName: 'c', endpoint: 'http://minio.lan', namespace: 'a' })), /endpoint: Invalid value: "http:\/\/minio\.lan": give the host \(and port\) without a scheme/);
  });
});

describe('HelmChart', () => {
  it('rebuilds a Git folder on every revision, and records the version the folder holds', () => {
    const chart = one('HelmChart', (s) => {
      const git = new GitRepository(s, 'charts', { url: 'https://github.com/me/charts', namespace: 'a', ref: { branch: 'main' } });
      new HelmChart(s, 'app', { source: git, chart: './charts/app', version: '1.2.3', namespace: 'a', valuesFiles: ['./charts/app/values-prod.yaml'] });
    });
    assert.deepEqual(chart.spec, { chart: './charts/app', interval: '10m', sourceRef: { kind: 'GitRepository', name: 'charts' }, reconcileStrategy: 'Revision', valuesFiles: ['./charts/app/values-prod.yaml'] });
    assert.deepEqual(chart.metadata.annotations, { 'flux-helm-apps/chart-name': 'app', 'flux-helm-apps/chart-version': '1.2.3' });
  });

  it('pulls a HelmRepository chart by version', () => {
    const chart = one('HelmChart', (s) => new HelmChart(s, 'app', { source: new HelmRepository(s, 'r', { url: 'https://x/', namespace: 'a' }), chart: 'app', version: '1.2.3', namespace: 'a' }));
    assert.deepEqual(chart.spec, { chart: 'app', interval: '10m', sourceRef: { kind: 'HelmRepository', name: 'r' }, reconcileStrategy: 'ChartVersion', version: '1.2.3' });
  });

  it('refuses a source in another namespace, a name for a Git chart, and an OCIRepository', () => {
    const git = (s: Construct, ns = 'a') => new GitRepository(s, 'g', { url: 'https://x/charts', namespace: ns, ref: { branch: 'main' } });
    assert.throws(() => objects((s) => new HelmChart(s, 'c', { source: git(s, 'b'), chart: './charts/app', version: '1.0.0', namespace: 'a' })), /source: GitRepository b\/g is not in the HelmChart's namespace "a"/);
    assert.throws(() => objects((s) => new HelmChart(s, 'c', { source: git(s), chart: 'app', version: '1.0.0', namespace: 'a' })), /chart: Invalid value: "app": a chart in a GitRepository is its folder from the root, e\.g\. "\.\/charts\/app"/);
    const oci = (s: Construct) => new OCIRepository(s, 'o', { url: 'oci://x/app', namespace: 'a', ref: { tag: '1.0.0' } });
    assert.throws(() => objects((s) => new HelmChart(s, 'c', { source: oci(s), chart: 'app', version: '1.0.0', namespace: 'a' })), /source: unknown chart source kind "OCIRepository": a HelmChart builds from one of HelmRepository, GitRepository, Bucket/);
  });
});

describe('HelmRelease from each source', () => {
  const release = (source: (s: Construct) => IChartSource, props: Partial<ConstructorParameters<typeof HelmRelease>[2]> = {}) =>
    one('HelmRelease', (s) => new HelmRelease(s, 'release', { name: 'app', source: source(s), namespace: 'a', ...props }));

  it('takes an OCIRepository with chartRef, and records the chart it holds', () => {
    const hr = release((s) => new OCIRepository(s, 'app', { url: 'oci://ghcr.io/x/charts/app', namespace: 'a', ref: { tag: '2.0.0' } }));
    assert.deepEqual(hr.spec.chartRef, { kind: 'OCIRepository', name: 'app', namespace: 'a' });
    assert.equal(hr.spec.chart, undefined);
    assert.deepEqual(hr.metadata.annotations, { 'flux-helm-apps/chart-name': 'app', 'flux-helm-apps/chart-version': '2.0.0' });
  });

  it('takes a HelmChart with chartRef', () => {
    const hr = release((s) => new HelmChart(s, 'app', { source: new GitRepository(s, 'g', { url: 'https://x/c', namespace: 'a', ref: { tag: 'v1' } }), chart: './charts/app', version: '1.0.0', namespace: 'a' }));
    assert.deepEqual(hr.spec.chartRef, { kind: 'HelmChart', name: 'app', namespace: 'a' });
  });

  it('takes a GitRepository or a Bucket folder with chart.spec, its kind, and reconcileStrategy Revision', () => {
    const git = release((s) => new GitRepository(s, 'charts', { url: 'https://x/c', namespace: 'flux-system', ref: { branch: 'main' } }), { chart: './charts/app', version: '1.0.0', chartInterval: '5m' });
    assert.deepEqual(git.spec.chart.spec, { chart: './charts/app', sourceRef: { kind: 'GitRepository', name: 'charts', namespace: 'flux-system' }, reconcileStrategy: 'Revision', interval: '5m' });
    assert.deepEqual(git.metadata.annotations, { 'flux-helm-apps/chart-name': 'app', 'flux-helm-apps/chart-version': '1.0.0' });
    const bucket = release((s) => new Bucket(s, 'b', { bucketName: 'c', endpoint: 's3.example.net', namespace: 'a' }), { chart: './app', version: '1.0.0' });
    assert.equal(bucket.spec.chart.spec.sourceRef.kind, 'Bucket');
  });

  it('refuses an unknown source kind, a chart or version beside a chartRef, and a Git chart by name', () => {
    const fake = () => ({ kind: 'ExternalArtifact', name: 'x', namespace: 'a' });
    assert.throws(() => release(fake, { chart: 'x', version: '1.0.0' }), /source: unknown chart source kind "ExternalArtifact": a HelmRelease takes its chart from one of HelmRepository, GitRepository, Bucket, OCIRepository, HelmChart/);
    const oci = (s: Construct) => new OCIRepository(s, 'o', { url: 'oci://x/app', namespace: 'a', ref: { tag: '1.0.0' } });
    assert.throws(() => release(oci, { chart: 'app', version: '1.0.0' }), (e: Error) => /chart: a release from a OCIRepository takes it with chartRef and names no chart/.test(e.message) && /version: a release from a OCIRepository takes it with chartRef/.test(e.message));
    assert.throws(() => release(oci, { valuesFiles: ['values-prod.yaml'] }), /valuesFiles: a release from a OCIRepository \(chartRef\) has no valuesFiles/);
    const git = (s: Construct) => new GitRepository(s, 'g', { url: 'https://x/c', namespace: 'a', ref: { branch: 'main' } });
    assert.throws(() => release(git, { chart: 'app', version: '1.0.0' }), /chart: Invalid value: "app": a chart in a GitRepository is its folder/);
    assert.throws(() => release(git, { chart: './app', version: '^1.0.0', allowVersionRange: 'Flux ignores it anyway' }), /version: Invalid value: "\^1\.0\.0": must be an exact chart version/);
  });
});
