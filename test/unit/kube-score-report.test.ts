// npm run kube-score's judgement, on what kube-score v1.20.0 really printed for a
// small Deployment and Service (test/fixtures/kube-score): each finding is waived
// or fails, and a waiver that matches nothing fails. The tool itself runs in CI.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findingsOf, judgeFindings, ScoredObject } from '../../scripts/kube-score-report';
import { FIXTURES } from '../helpers';

const scored = JSON.parse(readFileSync(join(FIXTURES, 'kube-score/score.json'), 'utf8')) as ScoredObject[];

describe('kube-score report', () => {
  const findings = findingsOf(scored);

  it('reads a finding per check graded below OK, never a skipped or passed one', () => {
    assert.deepEqual(findings.map((f) => `${f.object}: ${f.check}`), [
      'Deployment demo/web: container-security-context-readonlyrootfilesystem',
      'Deployment demo/web: pod-probes',
      'Deployment demo/web: container-image-pull-policy',
      'Deployment demo/web: pod-networkpolicy',
      'Deployment demo/web: container-ephemeral-storage-request-and-limit',
      'Deployment demo/web: container-security-context-user-group-id',
      'Deployment demo/web: deployment-replicas',
    ]);
    assert.match(findings.find((f) => f.check === 'pod-networkpolicy')!.summary, /NetworkPolicy/);
  });

  it('passes when every finding is waived, also through a wildcard', () => {
    const report = judgeFindings(findings, findings.map((f, i) => ({ check: f.check, object: i === 0 ? 'Deployment */web' : f.object, reason: 'accepted for this test' })));
    assert.equal(report.failed, false, report.lines.join('\n'));
    assert.equal(report.used, findings.length);
    assert.match(report.lines[0], /^waived {2}Deployment demo\/web: container-security-context-readonlyrootfilesystem \(accepted for this test…\)$/);
  });

  it('fails on a finding nobody waived, and on a waiver that matches nothing', () => {
    const waivers = findings.filter((f) => f.check !== 'pod-probes').map((f) => ({ check: f.check, object: f.object, reason: 'accepted' }));
    const report = judgeFindings(findings, [...waivers, { check: 'pod-probes', object: 'Deployment demo/other', reason: 'stale' }]);
    assert.equal(report.failed, true);
    assert.equal(report.used, findings.length - 1);
    assert.deepEqual(report.lines.filter((l) => !l.startsWith('waived')).map((l) => l.replace(/: [^:]*: fix it/, ': …: fix it')), [
      'FAIL    Deployment demo/web: pod-probes: …: fix it, or waive it with its reason in kube-score-waivers.yaml',
      'STALE   waiver pod-probes for Deployment demo/other matches no finding: delete it from kube-score-waivers.yaml',
    ]);
    const all = findings.map((f) => ({ check: f.check, object: f.object, reason: 'accepted' }));
    assert.equal(judgeFindings(findings, [...all, { check: 'pod-probes', object: 'Deployment demo/other', reason: 'stale' }]).failed, true, 'a stale waiver alone fails');
  });
});
