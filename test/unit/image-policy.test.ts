import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestObject } from '../../lib';
import { imageTag, imageViolations } from '../../lib/policy/image-policy';
import { synthStack } from '../helpers';

const deployment = (image: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
  spec: { template: { spec: { initContainers: [{ name: 'init', image: 'busybox:1.36' }], containers: [{ name: 'app', image }] } } },
}) as unknown as ManifestObject;

describe('imageViolations', () => {
  it('reads tags past a registry port and knows digests', () => {
    assert.equal(imageTag('registry:5000/app'), undefined);
    assert.equal(imageTag('registry:5000/app:1.2'), '1.2');
    assert.equal(imageTag('app@sha256:abc'), 'digest');
  });

  it('refuses untagged and latest images, naming the container', () => {
    assert.match(imageViolations(deployment('nginx'))!.join(), /container "app" image "nginx" has no tag: pin a version/);
    assert.match(imageViolations(deployment('ghcr.io/x/nginx:latest'))!.join(), /container "app" image "ghcr\.io\/x\/nginx:latest" uses the tag latest/);
  });

  it('accepts tags and digests, and passes the default stack', () => {
    assert.deepEqual(imageViolations(deployment('nginx:1.27.0')), []);
    assert.deepEqual(imageViolations(deployment('nginx@sha256:0123')), []);
    for (const obj of synthStack().objects.filter((o) => o.kind === 'Deployment')) assert.deepEqual(imageViolations(obj as unknown as ManifestObject), []);
  });
});
