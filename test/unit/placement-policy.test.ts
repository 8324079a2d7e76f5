import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestObject } from '../../lib';
import { exposureViolations, namespaceViolations } from '../../lib/policy/placement-policy';
import { synthStack } from '../helpers';

const obj = (apiVersion: string, kind: string, namespace: string | undefined, spec: object = {}) => ({ apiVersion, kind, metadata: { name: 'x', ...(namespace ? { namespace } : {}) }, spec }) as unknown as ManifestObject;

describe('namespaceViolations', () => {
  it('refuses app objects in the system namespaces, and Namespace objects that would relabel them', () => {
    assert.match(namespaceViolations(obj('apps/v1', 'Deployment', 'kube-system'))!.join(), /is in namespace kube-system, which holds the control plane's own workloads/);
    assert.match(namespaceViolations(obj('v1', 'ServiceAccount', 'flux-system'))!.join(), /flux-system, which holds Flux and its credentials/);
    assert.match(namespaceViolations(obj('v1', 'ConfigMap', 'default'))!.join(), /namespace default/);
    assert.match(namespaceViolations({ ...(obj('v1', 'Namespace', undefined) as object), metadata: { name: 'kube-system' } } as unknown as ManifestObject)!.join(), /Namespace kube-system .* an app must not manage it/);
  });

  it('lets Flux objects live in flux-system, and apps in their own namespaces', () => {
    assert.deepEqual(namespaceViolations(obj('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system')), []);
    assert.equal(namespaceViolations(obj('apps/v1', 'Deployment', 'headlamp')), undefined);
    for (const o of synthStack().objects) assert.deepEqual(namespaceViolations(o as unknown as ManifestObject) ?? [], [], `${o.kind} ${o.metadata.name}`);
  });
});

describe('exposureViolations', () => {
  it('refuses a NodePort or LoadBalancer Service and an Ingress', () => {
    assert.match(exposureViolations(obj('v1', 'Service', 'app', { type: 'NodePort' }))!.join(), /spec\.type NodePort opens the app on a port of every node, around the tunnel/);
    assert.match(exposureViolations(obj('v1', 'Service', 'app', { type: 'LoadBalancer' }))!.join(), /a load-balancer address/);
    assert.match(exposureViolations(obj('networking.k8s.io/v1', 'Ingress', 'app'))!.join(), /an Ingress publishes the app .* around the tunnel/);
  });

  it('accepts a ClusterIP Service', () => {
    assert.deepEqual(exposureViolations(obj('v1', 'Service', 'app', { type: 'ClusterIP' })), []);
    assert.deepEqual(exposureViolations(obj('v1', 'Service', 'app')), []);
  });
});
