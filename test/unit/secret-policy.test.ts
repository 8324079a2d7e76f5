import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestObject } from '../../lib';
import { secretViolations } from '../../lib/policy/secret-policy';
import { synthStack } from '../helpers';

const secret = (fields: object) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, ...fields }) as unknown as ManifestObject;

describe('secretViolations', () => {
  it('refuses data or stringData in plain text', () => {
    assert.match(secretViolations(secret({ data: { token: 'c2VjcmV0' } }))!.join(), /has data or stringData in plain text: .*sops --encrypt/);
    assert.match(secretViolations(secret({ stringData: { token: 'secret' } }))!.join(), /in plain text/);
  });

  it('accepts a SOPS-encrypted Secret and one without data', () => {
    assert.deepEqual(secretViolations(secret({ data: { token: 'ENC[AES256_GCM,data:…]' }, sops: { age: [] } })), []);
    assert.deepEqual(secretViolations(secret({ data: {} })), []);
  });

  it('refuses a service-account-token Secret that carries data, even encrypted', () => {
    const token = { type: 'kubernetes.io/service-account-token', data: { token: 'x' }, sops: {} };
    assert.match(secretViolations(secret(token))!.join(), /service-account-token Secret must carry no data/);
  });

  it('ignores other kinds, and passes the default stack', () => {
    assert.equal(secretViolations({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), undefined);
    const secrets = synthStack().objects.filter((o) => o.kind === 'Secret');
    assert.equal(secrets.length, 1, 'the login token Secret');
    assert.deepEqual(secretViolations(secrets[0] as unknown as ManifestObject), []);
  });
});
