// The chart-values checks, against the exact pinned chart: the four ways
// Headlamp broke before, unknown keys with a suggestion, types from the chart's
// schema, and a loud "not checked" when the chart cannot be found.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsonObject, ManifestObject } from '../../lib';
import { hardenedValues } from '../../lib/apps/headlamp/hardened-values';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { ALLOW_IMAGE_TAG_ANNOTATION } from '../../lib/charts/release-checks';
import { closestKey } from '../../lib/charts/values-check';
import { mergeValues } from '../../lib/json';
import { FIXTURES, tempDir } from '../helpers';

const CHARTS = join(FIXTURES, 'charts');

/** The value findings (generic and Headlamp's) of a Headlamp HelmRelease with these values over the hardened ones. */
function check(values: JsonObject, version = '0.45.0', options: { allowImageTag?: string; chartDirs?: string[] } = {}) {
  const release = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease',
    metadata: { name: 'headlamp', namespace: 'headlamp', annotations: options.allowImageTag ? { [ALLOW_IMAGE_TAG_ANNOTATION]: options.allowImageTag } : {} },
    spec: { chart: { spec: { chart: 'headlamp', version, sourceRef: { kind: 'HelmRepository', name: 'headlamp' } } }, values: mergeValues(hardenedValues(), values) },
  } as unknown as ManifestObject;
  const policy = validationPolicy({ chartDirs: options.chartDirs ?? [CHARTS], cacheDir: tempDir(), pull: false });
  return policy.checkObjects([release])[0].findings.filter((f) => f.check !== 'schema');
}
const messages = (values: JsonObject, version?: string, options?: object) => check(values, version, options).map((p) => `${p.severity}: ${p.message}`);

describe('chart values of a Headlamp release (generic checks and Headlamp\'s)', () => {
  it('passes the hardened defaults against every indexed chart', () => {
    for (const version of ['0.41.0', '0.42.0', '0.43.0', '0.44.0', '0.45.0']) assert.deepEqual(check({}, version), [], version);
  });

  it('failure 1: refuses image.tag, and with a reason only warns', () => {
    assert.deepEqual(messages({ image: { tag: 'v0.40.0' } }, '0.41.0'), [
      'error: values.image.tag "v0.40.0" pins the binary apart from its chart (chart headlamp 0.41.0 is tested with app version 0.41.0; a mismatched pair can fail with "flag provided but not defined"): remove values.image.tag and change the chart version instead, or set allow.imageTag to the reason you need it',
    ]);
    assert.deepEqual(messages({ image: { tag: 'v0.41.1' } }, '0.41.0', { allowImageTag: 'hotfix for CVE-2026-1' }), [
      'warning: values.image.tag "v0.41.1" overrides the image of the chart (chart headlamp 0.41.0 is tested with app version 0.41.0); allowed: hotfix for CVE-2026-1',
    ]);
    assert.deepEqual(check({ image: { tag: '' } }), [], 'an empty tag means the chart default');
  });

  it('failure 2: refuses a read-only root filesystem with nothing writable at /home/headlamp or /tmp', () => {
    const found = messages({ volumes: [{ name: 'tmp', emptyDir: {} }], volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] });
    assert.deepEqual(found, ['error: values.securityContext.readOnlyRootFilesystem is true but no volume is mounted at /home/headlamp, so Headlamp crashloops with "mkdir /home/headlamp/.config: read-only file system": add {name: home, emptyDir: {}} to values.volumes and {name: home, mountPath: /home/headlamp} to values.volumeMounts']);
    assert.match(messages({ volumes: [{ name: 'home', emptyDir: {} }], volumeMounts: [{ name: 'home', mountPath: '/home/headlamp' }] }).join(), /no volume is mounted at \/tmp/);
    assert.deepEqual(check({ volumes: [{ name: 'all', emptyDir: {} }], volumeMounts: [{ name: 'all', mountPath: '/home' }, { name: 'all', mountPath: '/tmp' }] }), [], 'a parent folder mount covers the path');
    assert.deepEqual(check({ securityContext: { readOnlyRootFilesystem: false }, volumes: [], volumeMounts: [] }), [], 'a writable root needs no volumes');
  });

  it('failure 3: refuses keys the chart does not have, suggesting the one meant', () => {
    assert.deepEqual(messages({ extraVolumes: [], extraVolumeMounts: [] }, '0.41.0'), [
      'error: values.extraVolumes is not a key of chart headlamp 0.41.0; did you mean values.volumes?',
      'error: values.extraVolumeMounts is not a key of chart headlamp 0.41.0; did you mean values.volumeMounts?',
    ]);
    assert.deepEqual(messages({ service: { prot: 80 } }), ['error: values.service.prot is not a key of chart headlamp 0.45.0; did you mean values.service.port?']);
    assert.deepEqual(messages({ zzz: 1 }), ['error: values.zzz is not a key of chart headlamp 0.45.0; the chart ignores it: remove it (see the chart\'s values.yaml for the keys it has)']);
  });

  it('knows keys that only values.yaml has (volumes, securityContext, config.enableHelm, pluginsManager)', () => {
    assert.deepEqual(check({ config: { enableHelm: false }, pluginsManager: { enabled: false } }, '0.41.0'), []);
  });

  it('lets anything through below free-form keys (podAnnotations, resources, securityContext, nodeSelector)', () => {
    assert.deepEqual(check({ podAnnotations: { 'a/b': 'c' }, resources: { limits: { 'nvidia.com/gpu': 1 } }, nodeSelector: { 'kubernetes.io/arch': 'arm64' }, securityContext: { seLinuxOptions: { level: 's0' } } }), []);
  });

  it('knows keys per chart version: config.clusterInventory is new in later charts', () => {
    assert.deepEqual(check({ config: { clusterInventory: { enabled: false } } }, '0.45.0'), []);
    assert.match(messages({ config: { clusterInventory: { enabled: false } } }, '0.41.0').join(), /values\.config\.clusterInventory is not a key of chart headlamp 0\.41\.0/);
  });

  it('checks types against the chart\'s values.schema.json', () => {
    assert.deepEqual(messages({ service: { port: '80' } }), ['error: values.service.port must be integer (values.schema.json of chart headlamp 0.45.0)']);
    assert.match(messages({ image: { pullPolicy: 'Sometimes' } }).join(), /values\.image\.pullPolicy must be one of "Always", "IfNotPresent", "Never"/);
  });

  it('refuses a volumeMount whose volume does not exist', () => {
    const found = messages({ volumeMounts: [{ name: 'home', mountPath: '/home/headlamp' }, { name: 'tmp', mountPath: '/tmp' }, { name: 'cache', mountPath: '/cache' }] });
    assert.deepEqual(found, ['error: values.volumeMounts[2] mounts volume "cache", which is not in values.volumes: add {name: "cache", emptyDir: {}} to values.volumes, or fix the name']);
  });

  it('refuses a chart binding to cluster-admin, admin or edit, unless the binding is off', () => {
    assert.deepEqual(messages({ clusterRoleBinding: { create: true, clusterRoleName: 'cluster-admin' } }), ['error: values.clusterRoleBinding.clusterRoleName: ClusterRole "cluster-admin" grants full control of the cluster: bind "view" or a read-only ClusterRole of your own']);
    assert.match(messages({ clusterRoleBinding: { create: true, clusterRoleName: 'edit' } }).join(), /ClusterRole "edit" can read Secrets/);
    assert.deepEqual(check({ clusterRoleBinding: { create: false, clusterRoleName: 'cluster-admin' } }), []);
  });

  it('refuses an OIDC client secret passed as a flag or an environment variable', () => {
    assert.match(messages({ config: { extraArgs: ['-oidc-client-secret=hunter2'] } }).join(), /values\.config\.extraArgs passes -oidc-client-secret in plain text/);
    assert.match(messages({ env: [{ name: 'HEADLAMP_CONFIG_OIDC_CLIENT_SECRET', value: 'hunter2' }] }).join(), /values\.env HEADLAMP_CONFIG_OIDC_CLIENT_SECRET holds the OIDC client secret in plain text/);
    assert.deepEqual(check({ env: [{ name: 'HEADLAMP_CONFIG_OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'oidc', key: 'secret' } } }] }), [], 'from a Secret is fine');
  });

  it('refuses a dashboard that acts with its own token for every visitor, and a floating debug image', () => {
    assert.match(messages({ config: { unsafeUseServiceAccountToken: true } }).join(), /values\.config\.unsafeUseServiceAccountToken is true: every visitor of the dashboard acts with its ServiceAccount's token/);
    assert.match(messages({ config: { podDebugImage: 'busybox:latest' } }).join(), /values\.config\.podDebugImage "busybox:latest" is not pinned/);
    assert.match(messages({ config: { podDebugImage: 'busybox' } }).join(), /podDebugImage "busybox" is not pinned/);
    assert.deepEqual(check({ config: { podDebugImage: 'busybox:1.37.0' } }), []);
  });

  it('refuses an OIDC client secret in plain text', () => {
    assert.match(messages({ config: { oidc: { clientSecret: 's3cret' } } }).join(), /values\.config\.oidc\.clientSecret is a secret in plain text/);
  });

  it('says loudly what it did not check for a chart it cannot find, and still runs the other checks', () => {
    const found = check({ image: { tag: 'x' } }, '9.9.9');
    assert.deepEqual(found.map((p) => p.severity), ['unchecked', 'error']);
    assert.match(found[0].message, /^values were NOT checked against chart headlamp 9\.9\.9 \(unknown keys, types\): headlamp-9\.9\.9\.tgz is in none of .*fixtures\/charts.*\. To check them, put headlamp-9\.9\.9\.tgz in charts\//);
  });
});

describe('closestKey', () => {
  it('prefers a key the unknown one ends or starts with, then a near spelling', () => {
    assert.equal(closestKey('extraVolumes', ['volumes', 'volumeMounts']), 'volumes');
    assert.equal(closestKey('volumesMount', ['volumes', 'volumeMounts']), 'volumeMounts');
    assert.equal(closestKey('imag', ['image', 'service']), 'image');
    assert.equal(closestKey('qqqqqq', ['image', 'service']), undefined);
  });
});
