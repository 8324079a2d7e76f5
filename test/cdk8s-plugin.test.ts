import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ValidationContext as Context } from 'cdk8s-cli/lib/plugins/validation';
import { stringify } from 'yaml';
import { HeadlampPolicyValidation } from '../lib';
import { synthStack, tempDir } from './helpers';

// The package exports only `cdk8s-cli/plugins` at runtime; its types live under lib/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins') as { ValidationContext: typeof Context };

async function run(objects: object[]) {
  const manifest = join(tempDir(), 'app.k8s.yaml');
  writeFileSync(manifest, objects.map((o) => stringify(o)).join('---\n'));
  const context = new ValidationContext([manifest], './plugins/headlamp-policy', '0.1.0', {}, false);
  await new HeadlampPolicyValidation().validate(context);
  return context.report.toJson();
}

describe('HeadlampPolicyValidation (cdk8s-cli plugin)', () => {
  it('succeeds on the default stack', async () => {
    const report = await run(synthStack().objects);
    assert.equal(report.summary.status, 'success');
    assert.deepEqual(report.violations, []);
  });

  it('fails with one violation per finding, naming the object', async () => {
    const deployment = synthStack().get('Deployment', 'cloudflared');
    deployment.spec.template.spec.containers[0].image = 'cloudflare/cloudflared:latest';
    deployment.spec.template.spec.hostPID = true;
    const report = await run([deployment]);
    assert.equal(report.summary.status, 'failure');
    assert.deepEqual(report.violations.map((v) => v.ruleName).sort(), ['images', 'pod-security']);
    assert.match(report.violations.find((v) => v.ruleName === 'pod-security')!.recommendation, /host namespaces \(hostPID=true\)/);
    assert.equal(report.violations[0].violatingConstructs[0].resourceName, 'Deployment headlamp/cloudflared');
  });
});
