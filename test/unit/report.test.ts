import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PropProblems } from '../../lib/props/prop-problems';
import { failures } from '../../lib/policy/finding';
import { formatReport, ObjectReport, summarize } from '../../lib/policy/report';

const reports: ObjectReport[] = [
  { object: 'Deployment a/b', checks: ['pod-security', 'images'], findings: [] },
  { object: 'Secret a/s', checks: ['secrets'], findings: [{ object: 'Secret a/s', check: 'secrets', severity: 'error', message: 'plain text' }] },
  { object: 'HelmRelease a/h', checks: ['chart-values'], findings: [{ object: 'HelmRelease a/h', check: 'chart-values', severity: 'unchecked', message: 'no chart' }] },
];

describe('formatReport', () => {
  it('prints one ok row per clean object and one row per finding, aligned', () => {
    assert.equal(formatReport(reports), [
      'OBJECT           CHECK                 RESULT',
      'Deployment a/b   pod-security, images  ok',
      'Secret a/s       secrets               FAIL: plain text',
      'HelmRelease a/h  chart-values          NOT CHECKED: no chart',
    ].join('\n'));
    assert.match(formatReport(reports, { colour: true }), /\u001b\[31mFAIL: plain text\u001b\[0m/);
    assert.equal(summarize(reports), '3 objects: 1 ok, 1 errors, 0 warnings, 1 not checked');
  });

  it('fails synth on errors only, and validate on unchecked too', () => {
    const all = reports.flatMap((r) => r.findings);
    assert.equal(failures(all, false).length, 1);
    assert.equal(failures(all, true).length, 2);
  });
});

describe('PropProblems', () => {
  it('throws nothing, one message, or a list; unset problems are skipped', () => {
    const none = new PropProblems('X');
    none.add(undefined);
    assert.doesNotThrow(() => none.throwIfAny());
    const one = new PropProblems('X');
    one.add('a: bad', undefined);
    assert.throws(() => one.throwIfAny(), /^Error: X: a: bad$/);
    const two = new PropProblems('X');
    two.add('a: bad');
    two.add('b: bad');
    assert.throws(() => two.throwIfAny(), /^Error: X: 2 invalid props:\n {2}- a: bad\n {2}- b: bad$/);
  });
});
