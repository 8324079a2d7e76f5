import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestCheck, ManifestObject, Policy } from '../../lib';
import { contentKey } from '../../lib/content-key';
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
    // With a reason the range is checked against the newest archive it matches, and the warning says which.
    const allowed = checkObject(release as unknown as ManifestObject).findings;
    assert.deepEqual(allowed.map((f) => `${f.check} ${f.severity}`), ['chart-version warning']);
    assert.match(allowed[0].message, /allowed: tracking patch releases; checked against chart headlamp 0\.45\.0, the newest available archive the range "0\.x" matches/);
  });
});

describe('the verdicts a Policy keeps', () => {
  const config = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' }, data }) as unknown as ManifestObject;
  const release = (name: string) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'x' }, spec: {} }) as unknown as ManifestObject;
  const counting = () => {
    const seen: string[] = [];
    const check: ManifestCheck = { name: 'counting', run: (obj, context) => { seen.push(`${JSON.stringify(obj.data)} ${context.renderedFrom?.metadata.name ?? '-'}`); return []; } };
    return { seen, policy: new Policy([check]) };
  };
  const context = (renderedFrom?: ManifestObject) => ({ options: {}, find: () => undefined, renderedFrom });

  it('checks the same content once, whatever the instance', () => {
    const { seen, policy } = counting();
    policy.checkObjects([config({ a: '1' }), config({ a: '1' })]);
    policy.checkObjects([config({ a: '1' })]);
    assert.deepEqual(seen, ['{"a":"1"} -']);
  });

  it('checks again an object that differs in one value, one key, or what it was rendered from', () => {
    const { seen, policy } = counting();
    for (const obj of [config({ a: '1' }), config({ a: '2' }), config({ b: '1' }), config({ a: '1', b: '1' })]) policy.checkObject(obj, context());
    for (const from of [release('one'), release('two'), release('one')]) policy.checkObject(config({ a: '1' }), context(from));
    assert.deepEqual(seen, ['{"a":"1"} -', '{"a":"2"} -', '{"b":"1"} -', '{"a":"1","b":"1"} -', '{"a":"1"} one', '{"a":"1"} two']);
  });

  it('keys content by a digest that tells apart what a key made of the values alone would not', () => {
    assert.equal(contentKey({ a: '1' }), contentKey({ a: '1' }));
    assert.notEqual(contentKey({ a: '1' }), contentKey({ a: 1 }));
    assert.notEqual(contentKey({ a: '1', b: '2' }), contentKey({ a: '1b', '': '2' }));
    assert.notEqual(contentKey({ a: '1' }), contentKey({ a: '1' }, contentKey(release('one'))), 'rendered from a release or not');
    assert.notEqual(contentKey({ a: '1' }, contentKey(release('one'))), contentKey({ a: '1' }, contentKey(release('two'))));
    assert.match(contentKey({ a: '1' }), /^[A-Za-z0-9+/]{43}=$/);
  });
});
