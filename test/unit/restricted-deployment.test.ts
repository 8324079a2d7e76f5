import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestrictedDeployment } from '../../lib';
import { synthChart } from '../helpers';

describe('RestrictedDeployment', () => {
  const [deploy] = synthChart((s) => {
    const d = new RestrictedDeployment(s, 'd', {
      metadata: { name: 'app', namespace: 'ns' },
      selectorLabels: { 'app.kubernetes.io/name': 'app' },
      containers: [{ name: 'first', image: 'example/first:1.0.0' }],
      initContainers: [{ name: 'init', image: 'example/init:1.0.0' }],
    });
    d.addContainer({ name: 'second', image: 'example/second:1.0.0' });
  });
  const pod = deploy.spec.template.spec;

  it('drops ALL capabilities on every container, added before or after construction', () => {
    for (const c of [...pod.containers, ...pod.initContainers]) assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'] }, c.name);
    assert.equal(pod.containers.length, 2);
  });

  it('sets seccomp RuntimeDefault on the pod', () => {
    assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
  });

  it('selects pods by the given labels only, without the hashed cdk8s address label', () => {
    assert.deepEqual(deploy.spec.selector, { matchLabels: { 'app.kubernetes.io/name': 'app' } });
    assert.deepEqual(deploy.spec.template.metadata.labels, { 'app.kubernetes.io/name': 'app' });
    assert.equal(deploy.metadata.labels!['app.kubernetes.io/name'], 'app');
    assert.doesNotMatch(JSON.stringify(deploy), /cdk8s\.io/);
  });

  it('can leave out the node spread', () => {
    const [d] = synthChart((s) => new RestrictedDeployment(s, 'd', { selectorLabels: { a: 'b' }, spreadOverNodes: false, containers: [{ image: 'x/y:1.0.0' }] }));
    assert.equal(d.spec.template.spec.topologySpreadConstraints, undefined);
  });
});
