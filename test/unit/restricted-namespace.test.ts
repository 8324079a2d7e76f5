import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestrictedNamespace } from '../../lib';
import { synthChart } from '../helpers';

describe('RestrictedNamespace', () => {
  it('enforces, audits and warns restricted at the given version, with no spec', () => {
    const [ns] = synthChart((s) => new RestrictedNamespace(s, 'n', { name: 'apps', podSecurityVersion: 'v1.34', labels: { team: 'home' } }));
    assert.deepEqual(ns, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'apps',
        labels: {
          team: 'home',
          'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'v1.34',
          'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.34',
          'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.34',
        },
      },
    });
  });

  it('does not let extra labels weaken Pod Security', () => {
    const [ns] = synthChart((s) => new RestrictedNamespace(s, 'n', { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }));
    assert.equal(ns.metadata.labels!['pod-security.kubernetes.io/enforce'], 'restricted');
  });
});
