import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestObject } from '../../lib';
import { secretViolations } from '../../lib/policy/secret-policy';
import { SOPS_ENVELOPE, synthStack } from '../helpers';

const secret = (fields: object) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, ...fields }) as unknown as ManifestObject;

describe('secretViolations', () => {
  it('refuses data or stringData in plain text', () => {
    assert.match(secretViolations(secret({ data: { token: 'c2VjcmV0' } }))!.join(), /has no sops envelope: its data would reach Git in plain text; .*sops --encrypt/);
    assert.match(secretViolations(secret({ stringData: { token: 'secret' } }))!.join(), /in plain text/);
  });

  it('accepts a SOPS-encrypted Secret and one without data', () => {
    assert.deepEqual(secretViolations(secret({ data: { token: 'ENC[AES256_GCM,data:dG9r,iv:aXY=,tag:dGFn,type:str]' }, sops: SOPS_ENVELOPE })), []);
    assert.deepEqual(secretViolations(secret({ data: {} })), []);
  });

  it('counts a sops envelope only when it is one: a mac, a version, a recipient, every value encrypted', () => {
    const data = { data: { token: 'ENC[AES256_GCM,data:dG9r,iv:aXY=,tag:dGFn,type:str]' } };
    const problem = (sops: object, fields: object = data) => secretViolations(secret({ ...fields, sops }))!.join();
    assert.match(problem({}), /has a sops map without an encrypted mac/, 'a fake sops: {}');
    assert.match(problem({ ...SOPS_ENVELOPE, mac: undefined }), /without an encrypted mac/);
    assert.match(problem({ ...SOPS_ENVELOPE, version: undefined }), /without a version/);
    assert.match(problem({ ...SOPS_ENVELOPE, age: [] }), /with no recipient/);
    assert.match(problem(SOPS_ENVELOPE, { stringData: { password: 'hunter2' } }), /has a sops envelope but stringData\.password in plain text/);
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
