import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoginIdentity } from '../../lib';
import { synthChart } from '../helpers';

describe('LoginIdentity', () => {
  const [sa, secret, crb] = synthChart((s) => new LoginIdentity(s, 'l', { namespace: 'headlamp' }));

  it('creates the headlamp-login ServiceAccount without auto-mounted tokens', () => {
    assert.equal(sa.kind, 'ServiceAccount');
    assert.deepEqual(sa.metadata, { name: 'headlamp-login', namespace: 'headlamp' });
    assert.equal(sa.automountServiceAccountToken, false);
  });

  it('creates a token Secret the control plane fills, carrying no data itself', () => {
    assert.equal(secret.kind, 'Secret');
    assert.equal(secret.type, 'kubernetes.io/service-account-token');
    assert.deepEqual(secret.metadata.annotations, { 'kubernetes.io/service-account.name': 'headlamp-login' });
    assert.equal(secret.data, undefined);
    assert.equal(secret.stringData, undefined);
  });

  it('binds the ServiceAccount to the read-only view ClusterRole', () => {
    assert.equal(crb.kind, 'ClusterRoleBinding');
    assert.equal(crb.metadata.namespace, undefined);
    assert.deepEqual(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    assert.deepEqual(crb.subjects, [{ kind: 'ServiceAccount', name: 'headlamp-login', namespace: 'headlamp' }]);
  });

  it('takes another name', () => {
    const objects = synthChart((s) => new LoginIdentity(s, 'l', { namespace: 'x', name: 'viewer' }));
    assert.deepEqual(objects.map((o) => o.metadata.name), ['viewer', 'viewer-token', 'viewer-view']);
  });
});
