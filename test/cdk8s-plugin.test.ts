import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ValidationContext as Context } from 'cdk8s-cli/lib/plugins/validation';
import { stringify } from 'yaml';
import { CHECKED_MANIFESTS_FILE, CheckedManifests, HeadlampPolicyValidation, manifestDigest } from '../lib';
import { synthStack, tempDir } from './helpers';

// The package exports only `cdk8s-cli/plugins` at runtime; its types live under lib/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins') as { ValidationContext: typeof Context };
// What cdk8s.yaml loads: the JavaScript loader that replays the app's verdicts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { HeadlampPolicyValidation: PluginLoader } = require('../plugins/headlamp-policy') as { HeadlampPolicyValidation: typeof HeadlampPolicyValidation };

function manifest(objects: object[]): string {
  const path = join(tempDir(), 'app.k8s.yaml');
  writeFileSync(path, objects.map((o) => stringify(o)).join('---\n'));
  return path;
}

async function run(path: string, plugin: { validate(context: Context): Promise<void> } = new HeadlampPolicyValidation()) {
  const context = new ValidationContext([path], './plugins/headlamp-policy', '0.1.0', {}, false);
  await plugin.validate(context);
  return context.report.toJson();
}

/** A record that says the file at `path` was checked and found one made-up violation. */
function recordFor(path: string, text: string, options: object = {}): void {
  const record: CheckedManifests = {
    options,
    files: { 'app.k8s.yaml': { sha256: manifestDigest(text), failed: true, violations: [{ ruleName: 'recorded', recommendation: 'from the record', fix: 'none', resourceName: 'Deployment x/y' }], warnings: [] } },
  };
  writeFileSync(join(path, '..', CHECKED_MANIFESTS_FILE), JSON.stringify(record));
}

describe('HeadlampPolicyValidation (cdk8s-cli plugin)', () => {
  it('succeeds on the default stack', async () => {
    const report = await run(manifest(synthStack().objects));
    assert.equal(report.summary.status, 'success');
    assert.deepEqual(report.violations, []);
  });

  it('fails with one violation per finding, naming the object', async () => {
    const deployment = synthStack().get('Deployment', 'cloudflared');
    deployment.spec.template.spec.containers[0].image = 'cloudflare/cloudflared:latest';
    deployment.spec.template.spec.hostPID = true;
    const report = await run(manifest([deployment]));
    assert.equal(report.summary.status, 'failure');
    assert.deepEqual(report.violations.map((v) => v.ruleName).sort(), ['images', 'pod-security']);
    assert.match(report.violations.find((v) => v.ruleName === 'pod-security')!.recommendation, /host namespaces \(hostPID=true\)/);
    assert.equal(report.violations[0].violatingConstructs[0].resourceName, 'Deployment headlamp/cloudflared');
  });
});

describe('plugins/headlamp-policy (the loader cdk8s-cli runs)', () => {
  const objects = () => synthStack().objects;

  it('checks the manifests itself when the app left no verdicts', async () => {
    const deployment = synthStack().get('Deployment', 'cloudflared');
    deployment.spec.template.spec.hostPID = true;
    const report = await run(manifest([deployment]), new PluginLoader());
    assert.equal(report.summary.status, 'failure');
    assert.deepEqual(report.violations.map((v) => v.ruleName), ['pod-security']);
  });

  it('replays the app\'s verdict for a manifest whose bytes and options match', async () => {
    const path = manifest(objects());
    recordFor(path, readFileSync(path, 'utf8'));
    const report = await run(path, new PluginLoader());
    assert.equal(report.summary.status, 'failure');
    assert.deepEqual(report.violations.map((v) => [v.ruleName, v.recommendation, v.violatingConstructs[0].resourceName, v.violatingConstructs[0].manifestPath]), [['recorded', 'from the record', 'Deployment x/y', path]]);
  });

  it('checks a manifest changed since the app checked it, and one checked with other options', async () => {
    const changed = manifest(objects());
    recordFor(changed, 'the text the app wrote before someone edited it');
    assert.deepEqual((await run(changed, new PluginLoader())).violations, [], 'the real checks find nothing');

    const otherOptions = manifest(objects());
    recordFor(otherOptions, readFileSync(otherOptions, 'utf8'), { schema: false });
    assert.deepEqual((await run(otherOptions, new PluginLoader())).violations, []);
  });
});
