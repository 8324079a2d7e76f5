// The dist-in-sync workflow, of this repository and of every scaffolded
// project: a Renovate branch ends with a checked head commit, although pushes
// made with GITHUB_TOKEN start no workflow.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ownPackage } from '../../cli/package-info';
import { workflowYaml } from '../../cli/scaffold';
import { ROOT } from '../helpers';

interface Step { name?: string; run?: string; if?: string; uses?: string }
interface Workflow { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { steps: Step[]; strategy?: { matrix: { node: number[] } } }> }

const OWN = parse(readFileSync(join(ROOT, '.github/workflows/dist-in-sync.yml'), 'utf8')) as Workflow;
const SCAFFOLD = parse(workflowYaml({ projectPath: '', cluster: 'homelab', pkg: ownPackage() })) as Workflow;

describe('the dist-in-sync workflow', () => {
  for (const [name, workflow] of [['this repository', OWN], ['a scaffolded project', SCAFFOLD]] as const) {
    it(`${name}: pushes the regenerated dist/, then starts itself on the pushed commit, and checks drift in the same run`, () => {
      assert.ok('workflow_dispatch' in workflow.on, 'workflow_dispatch is the event a GITHUB_TOKEN run may start');
      assert.equal(workflow.permissions.actions, 'write');
      const steps = workflow.jobs.synth.steps;
      const push = steps.findIndex((s) => s.run?.includes('git push'));
      assert.ok(push >= 0);
      assert.match(steps[push].if ?? '', /github\.event_name == 'push'/, 'the dispatched run does not push again');
      assert.ok(steps[push].run!.indexOf('gh workflow run') > steps[push].run!.indexOf('git push'));
      const drift = steps.findIndex((s) => s.run?.includes('git diff --exit-code'));
      assert.ok(drift > push);
      assert.ok(steps.slice(drift).some((s) => s.run === 'npm run validate'));
    });
  }

  it('is the same synth job in this repository and in a scaffolded project at a repository root', () => {
    assert.deepEqual(OWN.jobs.synth.steps, SCAFFOLD.jobs.synth.steps);
  });

  it('runs the tests on Node.js 20, 22 and 24', () => {
    assert.deepEqual(OWN.jobs.test.strategy?.matrix.node, [20, 22, 24]);
  });
});
