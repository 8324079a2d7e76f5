import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestObject } from '../../lib';
import { apiSchemaViolations } from '../../lib/policy/api-schema';
import { synthStack } from '../helpers';

const obj = (o: object) => o as unknown as ManifestObject;

describe('apiSchemaViolations', () => {
  it('validates every object of the default stack, core kinds and CRDs alike', () => {
    const objects = synthStack().objects;
    assert.deepEqual([...new Set(objects.map((o) => o.kind))].sort(), ['ClusterRoleBinding', 'Deployment', 'HelmRelease', 'HelmRepository', 'IngressRoute', 'Kustomization', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Secret', 'ServiceAccount']);
    for (const o of objects) assert.deepEqual(apiSchemaViolations(obj(o)), [], `${o.kind} ${o.metadata.name}`);
  });

  it('refuses a field the CRD does not have, which the API server would silently drop', () => {
    const release = synthStack().get('HelmRelease', 'headlamp');
    release.spec.valuesFrm = [];
    assert.deepEqual(apiSchemaViolations(obj(release)), ['spec.valuesFrm is not a field of HelmRelease helm.toolkit.fluxcd.io/v2: the API server would drop it; check the spelling against the CRD']);
  });

  it('refuses wrong types and enum values in CRD objects', () => {
    const release = synthStack().get('HelmRelease', 'headlamp');
    release.spec.interval = 30;
    release.spec.chart.spec.sourceRef.kind = 'OCIRepository';
    const found = apiSchemaViolations(obj(release))!;
    assert.ok(found.includes('spec.interval must be string'), found.join('\n'));
    assert.ok(found.some((m) => /^spec\.chart\.spec\.sourceRef\.kind must be one of "HelmRepository", "GitRepository", "Bucket"$/.test(m)), found.join('\n'));
  });

  it('refuses wrong types and missing required fields in core objects', () => {
    const found = apiSchemaViolations(obj({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'two', selector: {}, template: { spec: { containers: [{ image: 'a:1' }] } } } }))!;
    assert.deepEqual(found, ['spec.replicas must be integer', 'spec.template.spec.containers[0].name is required']);
  });

  it('validates core kinds this project never emits, through the kind table', () => {
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: {} } };
    assert.deepEqual(apiSchemaViolations(obj(cronJob)), ['spec.schedule is required']);
    assert.deepEqual(apiSchemaViolations(obj({ ...cronJob, spec: { schedule: '@daily', jobTemplate: {} } })), []);
  });

  it('keeps free-form fields open (HelmRelease values)', () => {
    const release = synthStack().get('HelmRelease', 'headlamp');
    release.spec.values.anything = { goes: true };
    assert.deepEqual(apiSchemaViolations(obj(release)), []);
  });

  it('says it does not know a kind instead of passing it', () => {
    assert.equal(apiSchemaViolations(obj({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })), undefined);
    assert.equal(apiSchemaViolations(obj({ apiVersion: 'v1', kind: '../../evil', metadata: { name: 'w' } })), undefined);
    assert.equal(apiSchemaViolations(obj({ apiVersion: 'v1', kind: 'constructor', metadata: { name: 'w' } })), undefined);
  });
});
