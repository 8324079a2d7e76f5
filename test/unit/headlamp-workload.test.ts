import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HeadlampWorkload } from '../../lib';
import { FIXTURES, K8sObject, parseYaml, synthChart } from '../helpers';

function rawDeployment(chartVersion: string): K8sObject {
  const objects = synthChart((scope) => new HeadlampWorkload(scope, 'h', { chartVersion, namespace: 'headlamp' }));
  return objects.find((o) => o.kind === 'Deployment')!;
}

function renderedDeployment(chartVersion: string): K8sObject {
  const text = readFileSync(join(FIXTURES, 'rendered', `headlamp-hardened-${chartVersion}.yaml`), 'utf8');
  return parseYaml(text).find((o) => o.kind === 'Deployment')!;
}

/** Every security field the chart-rendered object sets must be set to the same value in the raw one. */
function assertAtLeastAsStrict(raw: Record<string, unknown>, rendered: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(rendered)) {
    assert.deepEqual(raw[key], value, `${where}.${key}`);
  }
}

describe('HeadlampWorkload (raw mode)', () => {
  for (const version of ['0.41.0', '0.45.0']) {
    it(`is as hardened as the chart ${version} pod rendered with hardened values`, () => {
      const raw = rawDeployment(version).spec.template.spec;
      const rendered = renderedDeployment(version).spec.template.spec;
      assertAtLeastAsStrict(raw.securityContext, rendered.securityContext, 'pod securityContext');
      const [rawContainer] = raw.containers;
      const [renderedContainer] = rendered.containers;
      assertAtLeastAsStrict(rawContainer.securityContext, renderedContainer.securityContext, 'container securityContext');
      assert.equal(rawContainer.image, renderedContainer.image, 'same image as the chart: its appVersion');
      assert.deepEqual(rawContainer.ports.map((p: { containerPort: number }) => p.containerPort), [4466]);
      const mounts = (c: K8sObject) => Object.fromEntries(c.volumeMounts.map((m: { name: string; mountPath: string }) => [m.name, m.mountPath]));
      assert.deepEqual(mounts(rawContainer), mounts(renderedContainer));
      const volumes = (s: K8sObject) => Object.fromEntries(s.volumes.map((v: { name: string; emptyDir?: object }) => [v.name, v.emptyDir]));
      assert.deepEqual(volumes(raw), volumes(rendered));
      for (const flag of ['-in-cluster', '-in-cluster-context-name=main', '-plugins-dir=/headlamp/plugins']) {
        assert.ok(renderedContainer.args.includes(flag), `the chart passes ${flag}`);
        assert.ok(rawContainer.args.includes(flag), `raw mode passes ${flag}`);
      }
      assert.equal(raw.automountServiceAccountToken, rendered.automountServiceAccountToken);
    });
  }

  it('adds the resource limits the rendered chart pod lacks', () => {
    const container = rawDeployment('0.45.0').spec.template.spec.containers[0];
    assert.ok(container.resources.requests.cpu && container.resources.limits.memory);
  });

  it('binds its ServiceAccount to view and exposes port 80', () => {
    const objects = synthChart((scope) => new HeadlampWorkload(scope, 'h', { chartVersion: '0.45.0', namespace: 'headlamp' }));
    const crb = objects.find((o) => o.kind === 'ClusterRoleBinding')!;
    assert.equal(crb.roleRef.name, 'view');
    assert.deepEqual(crb.subjects, [{ kind: 'ServiceAccount', name: 'headlamp', namespace: 'headlamp' }]);
    const svc = objects.find((o) => o.kind === 'Service')!;
    assert.deepEqual(svc.spec.ports, [{ name: 'http', port: 80, targetPort: 4466 }]);
    assert.deepEqual(svc.spec.selector, { 'app.kubernetes.io/name': 'headlamp', 'app.kubernetes.io/instance': 'headlamp' });
    const deploy = objects.find((o) => o.kind === 'Deployment')!;
    assert.deepEqual(deploy.spec.template.metadata.labels, svc.spec.selector);
    assert.equal(deploy.spec.template.spec.serviceAccountName, 'headlamp');
  });

  it('refuses a chart version whose image it does not know', () => {
    assert.throws(
      () => synthChart((scope) => new HeadlampWorkload(scope, 'h', { chartVersion: '0.40.0', namespace: 'headlamp' })),
      /chartVersion "0\.40\.0": raw mode takes Headlamp's image from that chart's appVersion, and headlamp-0\.40\.0\.tgz is in none of .*: put headlamp-0\.40\.0\.tgz in charts\//,
    );
  });
});
