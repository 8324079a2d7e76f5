import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestObject } from '../../lib';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { ANNOTATION_PREFIX } from '../../lib/project';
import { synthStack } from '../helpers';

const POLICY_EXCEPTION_PREFIX = `${ANNOTATION_PREFIX}allow-`;
const checkObjects = (objects: readonly ManifestObject[]) => validationPolicy().checkObjects(objects);
const checkObject = (obj: ManifestObject) => checkObjects([obj])[0];

const adminBinding = (annotations = {}) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b', annotations },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [],
}) as unknown as ManifestObject;

describe('Policy.checkObjects', () => {
  it('finds nothing wrong with the default stack, and says which checks ran', () => {
    const reports = checkObjects(synthStack().objects as unknown as ManifestObject[]);
    assert.deepEqual(reports.flatMap((r) => r.findings), []);
    const byObject = Object.fromEntries(reports.map((r) => [r.object, r.checks.join(',')]));
    assert.equal(byObject['HelmRelease headlamp/headlamp'], 'chart-version,chart-values,plaintext-values,schema,headlamp-values');
    assert.equal(byObject['Deployment headlamp/cloudflared'], 'pod-security,images,schema');
    assert.equal(byObject['ClusterRoleBinding headlamp-login-view'], 'rbac,schema');
  });

  it('turns an error into a warning that carries the reason, for an annotated object only', () => {
    assert.deepEqual(checkObject(adminBinding()).findings.map((f) => f.severity), ['error']);
    const allowed = checkObject(adminBinding({ [`${POLICY_EXCEPTION_PREFIX}rbac`]: 'break-glass account, removed after the upgrade' }));
    assert.deepEqual(allowed.findings.map((f) => f.severity), ['warning']);
    assert.match(allowed.findings[0].message, /^allowed \(break-glass account, removed after the upgrade\): roleRef ClusterRole "cluster-admin"/);
    assert.equal(checkObject(adminBinding({ [`${POLICY_EXCEPTION_PREFIX}rbac`]: ' ' })).findings[0].severity, 'error', 'a blank reason allows nothing');
  });

  it('never lets an annotation exempt Pod Security', () => {
    const deployment = synthStack().get('Deployment', 'cloudflared');
    deployment.metadata.annotations = { [`${POLICY_EXCEPTION_PREFIX}pod-security`]: 'please' };
    deployment.spec.template.spec.hostNetwork = true;
    assert.deepEqual(checkObject(deployment as unknown as ManifestObject).findings.map((f) => f.severity), ['error']);
  });

  it('reports an unknown kind as not checked rather than passing it', () => {
    const report = checkObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } as unknown as ManifestObject);
    assert.deepEqual(report.findings.map((f) => [f.check, f.severity]), [['schema', 'unchecked']]);
    assert.match(report.findings[0].message, /no API schema known for example\.com\/v1 Widget: add its CRD to cdk8s\.yaml imports/);
  });

  it('checks the version pin of any HelmRelease, honouring a recorded reason', () => {
    const release = synthStack().get('HelmRelease', 'headlamp');
    release.spec.chart.spec.version = '0.x';
    const refused = checkObject(release as unknown as ManifestObject).findings.map((f) => `${f.check} ${f.severity}`);
    assert.deepEqual(refused, ['chart-version error', 'chart-values unchecked']);
    release.metadata.annotations = { [`${ANNOTATION_PREFIX}allow-version-range`]: 'tracking patch releases' };
    assert.deepEqual(checkObject(release as unknown as ManifestObject).findings.map((f) => `${f.check} ${f.severity}`), ['chart-version warning', 'chart-values unchecked']);
  });
});
