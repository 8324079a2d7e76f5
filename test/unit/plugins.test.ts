// Headlamp plugins: a typed, pinned list rendered to the chart's plugin
// manager, and the floating defaults (node:lts-alpine, pluginctl@latest,
// plugins without a version) refused wherever they come from.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { HEADLAMP_PLUGINCTL_VERSION, HEADLAMP_PLUGINS_NODE_VERSION, JsonObject, ManifestObject } from '../../lib';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { imageViolations } from '../../lib/policy/image-policy';
import { FIXTURES, synthStack, tempDir } from '../helpers';

const FLUX = { name: 'headlamp_flux', source: 'https://artifacthub.io/packages/headlamp/headlamp-plugins/headlamp_flux', version: '0.7.0' };
const OPTIONS = { chartDirs: [join(FIXTURES, 'charts')], cacheDir: tempDir(), pull: false };

function findings(release: ManifestObject): string[] {
  return validationPolicy({ ...OPTIONS, render: true }).checkObjects([release]).flatMap((r) => r.findings.map((f) => `${f.object} ${f.check}: ${f.severity}: ${f.message}`));
}

/** A release with these values merged in by hand, as a hand-edited dist/ would have them (synth refuses them first). */
function edited(values: JsonObject): ManifestObject {
  const obj = synthStack().get('HelmRelease', 'headlamp');
  obj.spec.values = { ...obj.spec.values, ...values };
  return obj as unknown as ManifestObject;
}

describe('plugins', () => {
  const synth = synthStack({ plugins: [FLUX] });
  const values = synth.get('HelmRelease', 'headlamp').spec.values;

  it('renders the list to the plugin manager, with the sidecar image and pluginctl pinned', () => {
    assert.equal(values.pluginsManager.enabled, true);
    assert.equal(values.pluginsManager.baseImage, `node:${HEADLAMP_PLUGINS_NODE_VERSION}`);
    assert.equal(values.pluginsManager.version, HEADLAMP_PLUGINCTL_VERSION);
    assert.deepEqual(parse(values.pluginsManager.configContent), { plugins: [FLUX] });
    assert.deepEqual(values.pluginsManager.resources.limits, { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '512Mi' });
    assert.equal(values.config.watchPlugins, true, 'plugins installed after start are loaded');
  });

  it('renders a sidecar that passes every check, and lets the pod reach HTTPS to download them', () => {
    assert.deepEqual(findings(synth.get('HelmRelease', 'headlamp') as unknown as ManifestObject), []);
    const egress = synth.file('apps/headlamp/network-policy.yaml').find((p) => p.metadata.name === 'headlamp-egress')!.spec.egress;
    assert.deepEqual(egress[2], { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    const without = synthStack().file('apps/headlamp/network-policy.yaml').find((p) => p.metadata.name === 'headlamp-egress')!.spec.egress;
    assert.equal(without.length, 2, 'no HTTPS without plugins');
  });

  it('accepts pluginsManager.resources and .env, which the templates read', () => {
    const more = synthStack({ plugins: [FLUX], values: { pluginsManager: { env: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }], resources: { limits: { memory: '1Gi' } } } } });
    assert.deepEqual(findings(more.get('HelmRelease', 'headlamp') as unknown as ManifestObject), []);
  });

  it('refuses a plugin without an exact version, a bad source or name, and a name twice', () => {
    assert.throws(() => synthStack({ plugins: [{ ...FLUX, version: '^0.7' }] }), /plugins\[0\].version: Invalid value: "\^0.7": an exact version/);
    assert.throws(() => synthStack({ plugins: [{ ...FLUX, source: 'artifacthub.io/x' }] }), /plugins\[0\].source: Invalid value: "artifacthub.io\/x"/);
    assert.throws(() => synthStack({ plugins: [{ ...FLUX, name: '../x' }] }), /plugins\[0\].name: Invalid value: "..\/x"/);
    assert.throws(() => synthStack({ plugins: [FLUX, FLUX] }), /plugins lists "headlamp_flux" twice/);
  });
});

describe('the chart\'s floating plugin manager defaults', () => {
  it('refuses node:lts-alpine and pluginctl@latest in the values, and the floating image in what they render', () => {
    const found = findings(edited({ pluginsManager: { enabled: true, configContent: `plugins:\n  - name: headlamp_flux\n    source: ${FLUX.source}\n    version: 0.7.0\n` } }));
    assert.ok(found.some((f) => /headlamp-values: error: values.pluginsManager.baseImage "node:lts-alpine" is not a pinned release/.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /headlamp-values: error: values.pluginsManager.version "latest" makes the sidecar run npx @headlamp-k8s\/pluginctl@latest/.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /^Deployment .* images: error: container "headlamp-plugin" image "node:lts-alpine" uses the floating tag lts-alpine/.test(f)), found.join('\n'));
  });

  it('refuses a plugin listed without a version', () => {
    const pinned = synthStack({ plugins: [FLUX] }).get('HelmRelease', 'headlamp').spec.values.pluginsManager;
    const found = findings(edited({ pluginsManager: { ...pinned, configContent: `plugins:\n  - name: headlamp_flux\n    source: ${FLUX.source}\n` } }));
    assert.deepEqual(found.filter((f) => /: error:/.test(f)).map((f) => f.replace(/^.* headlamp-values: error: /, '')), [
      'values.pluginsManager.configContent lists plugin "headlamp_flux" without a version, so pluginctl installs its newest release: add version',
    ]);
  });
});

describe('floating image tags', () => {
  const pod = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image }] } }) as unknown as ManifestObject;

  it('are refused when the tag names a channel, not a release', () => {
    for (const image of ['node:lts-alpine', 'nginx:stable', 'alpine:edge']) assert.match(imageViolations(pod(image))!.join(), /uses the floating tag/, image);
  });

  it('while release tags and digests pass', () => {
    for (const image of [`node:${HEADLAMP_PLUGINS_NODE_VERSION}`, 'busybox:1.37.0', 'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef']) assert.deepEqual(imageViolations(pod(image)), [], image);
  });
});
