// Crossview the GitOps way: its chart from the OCI artifact with chartRef,
// hardened values that pass every check on what the chart renders, least
// privilege instead of the chart's */* ClusterRole, passwords from the SOPS
// values Secret; and the published defaults refused by name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CROSSVIEW_CHECKS, CrossviewStack, CrossviewStackProps, CROSSVIEW_CHART_VERSION, FluxApp, HelmApp, normalizeChartVersion, POSTGRES_VERSION } from '../../lib';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { validateTree } from '../../lib/effective/validate-tree';
import { captureWarnings } from '../../lib/policy/warnings';
import { FIXTURES, Synth, synthError, tempDir } from '../helpers';

const CHECKS = { chartDirs: [join(FIXTURES, 'crossview')], pull: false };
const HOST = { hostname: 'crossview.example.net' };

function crossview(props: CrossviewStackProps = {}, validation: object | false = CHECKS): FluxApp {
  const app = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation });
  new CrossviewStack(app, 'crossview', { ...HOST, ...props });
  return app;
}

/** The published chart with its default values, as a plain HelmApp installs it. */
function published(version: string): FluxApp {
  const app = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation: CHECKS });
  new HelmApp(app, 'crossview', { name: 'crossview', chart: { name: 'crossview', repository: 'oci://ghcr.io/crossplane-contrib/crossview-chart', version }, route: false, tunnel: false, checks: CROSSVIEW_CHECKS });
  return app;
}

describe('CrossviewStack', () => {
  it('refuses a prop it does not have, naming the one meant, even without tsc', () => {
    const app = crossview({ replica: 2 } as CrossviewStackProps, false);
    assert.throws(() => app.renderTree(), /replica is not a prop; did you mean replicas\?/);
  });

  it('takes its chart from the OCI artifact with chartRef, pinned by the OCIRepository tag', () => {
    const synth = new Synth(crossview());
    assert.deepEqual(synth.get('OCIRepository', 'crossview').spec, {
      url: 'oci://ghcr.io/crossplane-contrib/crossview-chart', interval: '1h', ref: { tag: CROSSVIEW_CHART_VERSION },
      layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
    });
    const hr = synth.get('HelmRelease', 'crossview');
    assert.deepEqual(hr.spec.chartRef, { kind: 'OCIRepository', name: 'crossview', namespace: 'crossview' });
    assert.deepEqual(hr.spec.valuesFrom, [{ kind: 'Secret', name: 'crossview-values', valuesKey: 'values.yaml' }]);
    assert.equal(hr.metadata.annotations?.['flux-helm-apps/secret-values'], '{"crossview-values":["secrets.dbPassword","secrets.sessionSecret"]}');
    assert.equal(hr.spec.values.database.image.tag, POSTGRES_VERSION);
    assert.equal(hr.spec.values.image.pullPolicy, 'IfNotPresent');
    assert.equal(hr.spec.values.rbac.create, false);
    assert.equal(JSON.stringify(hr.spec.values).match(/password|secret/i), null, 'no password in the release');
  });

  it('lays out namespace, source, release, RBAC, tunnel, route and a secrets Kustomization for the values Secret', () => {
    const synth = new Synth(crossview());
    assert.deepEqual([...synth.tree.keys()], [
      'apps/crossview/cloudflared.yaml', 'apps/crossview/kustomization.yaml', 'apps/crossview/namespace/kustomization.yaml', 'apps/crossview/namespace/namespace.yaml',
      'apps/crossview/rbac.yaml', 'apps/crossview/release.yaml', 'apps/crossview/repository.yaml', 'apps/crossview/route.yaml', 'clusters/homelab/RUNBOOK.md', 'clusters/homelab/crossview.yaml',
    ]);
    const secrets = synth.file('clusters/homelab/crossview.yaml').find((o) => o.metadata.name === 'crossview-secrets')!;
    assert.equal(secrets.spec.path, './secrets/homelab/crossview');
    const runbook = synth.tree.get('clusters/homelab/RUNBOOK.md')!;
    assert.match(runbook, /\| Passwords \| Secret `crossview-values`, generated from `secrets\/homelab\/crossview\/values\.yaml` \(SOPS-encrypted\) \|/);
    assert.match(runbook, /sops --encrypt --in-place secrets\/homelab\/crossview\/values\.yaml/);
    assert.match(runbook, /\| RBAC \| `crossplane-view` and `crossview-core-read` \(read-only, no Secrets\) \|/);
  });

  it('binds crossplane-view and a core read role without Secrets or wildcards, to the chart\'s ServiceAccount', () => {
    const synth = new Synth(crossview());
    const role = synth.get('ClusterRole', 'crossview-core-read');
    const rules = JSON.stringify(role.rules);
    assert.doesNotMatch(rules, /secrets|configmaps|"\*"/);
    assert.ok(role.rules.every((r: { verbs: string[] }) => r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))));
    const binding = synth.get('ClusterRoleBinding', 'crossview-crossplane-view');
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'crossplane-view' });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'crossview', namespace: 'crossview' }]);
  });

  it('passes every check at synth, on what the chart renders (post-renderer included)', () => {
    const { result, warnings } = captureWarnings(() => synthError(crossview()));
    assert.equal(result, '');
    assert.deepEqual(warnings.filter((w) => /NOT CHECKED/.test(w)), [], 'the chart was rendered and checked');
  });

  it('passes npm run validate on the written tree, rendering the chart', () => {
    const app = crossview({}, false);
    app.synth();
    const findings = validateTree(app.distDir, validationPolicy({ ...CHECKS, render: true }), 'dist', tempDir()).reports.flatMap((r) => r.findings)
      .filter((f) => f.severity === 'error' || f.severity === 'unchecked');
    assert.deepEqual(findings, []);
  });

  it('reads a pasted release tag as the chart version, with a warning', () => {
    assert.deepEqual(normalizeChartVersion('v3.4.0'), { version: '3.4.0', note: 'chart version "v3.4.0" is a release tag: using chart version "3.4.0" (the chart\'s OCI tag has no "v")' });
    assert.equal(normalizeChartVersion('v3.8.0-rc.3').version, '3.8.0-rc.3');
    assert.deepEqual(normalizeChartVersion('3.4.0'), { version: '3.4.0' });
    const { result: synth, warnings } = captureWarnings(() => new Synth(crossview({ chartVersion: 'v3.4.0', clusters: { lab: { chartVersion: 'v3.8.0-rc.3' }, home: {} } })));
    assert.deepEqual(synth.file('apps/crossview/lab/repository.yaml')[0].spec.ref, { tag: '3.8.0-rc.3' });
    assert.deepEqual(synth.file('apps/crossview/home/repository.yaml')[0].spec.ref, { tag: '3.4.0' });
    assert.ok(warnings.some((w) => /chartVersion: chart version "v3\.4\.0" is a release tag: using chart version "3\.4\.0"/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /clusters\.lab: chart version "v3\.8\.0-rc\.3"/.test(w)), warnings.join('\n'));
  });

  it('refuses a password in the release values, the chart\'s ClusterRole, postgres latest and pull policy Always', () => {
    const message = synthError(crossview({ values: { secrets: { dbPassword: 'hunter2' }, rbac: { create: true }, database: { image: { tag: 'latest' } }, image: { pullPolicy: 'Always' } } }));
    assert.match(message, /plaintext-values: spec\.values\.secrets\.dbPassword holds a credential in plain text: move it to the app's SOPS-encrypted values file/);
    assert.match(message, /crossview-values: values\.rbac\.create is not false: the chart's ClusterRole reads every resource of every API group \("\*"\/"\*"\), Secrets included/);
    assert.match(message, /crossview-values: values\.database\.image\.tag "latest" is not a pinned postgres version/);
    assert.match(message, /crossview-values: values\.image\.pullPolicy is Always/);
  });

  it('refuses a writable root filesystem in what the chart renders', () => {
    const message = synthError(crossview({ values: { app: { containerSecurityContext: { readOnlyRootFilesystem: false } } } }));
    assert.match(message, /Deployment crossview\/crossview \(rendered from HelmRelease crossview\/crossview\): crossview-render: container "crossview" has a writable root filesystem/);
  });

  it('refuses chart 1.5.0 even hardened: its appVersion is latest', () => {
    const message = synthError(crossview({ chartVersion: '1.5.0' }));
    assert.match(message, /Deployment crossview\/crossview \(rendered from HelmRelease crossview\/crossview\): images: container "crossview" image "ghcr\.io\/corpobit\/crossview:latest" uses the tag latest/);
  });
});

describe('the published Crossview charts with their default values', () => {
  for (const version of ['1.5.0', '3.4.0']) {
    it(`refuses ${version}: latest, the wildcard role, Secrets read`, () => {
      const message = synthError(published(version));
      const line = (kind: string, check: string, pattern: RegExp) => message.split('\n').some((l) => l.includes(`${kind} `) && l.includes('(rendered from HelmRelease crossview/crossview)') && l.includes(`: ${check}: `) && pattern.test(l));
      assert.ok(line('Deployment', 'images', /postgres:latest/), message);
      assert.ok(line('ClusterRole', 'rbac', /"\*"/), message);
      assert.ok(line('ClusterRole', 'rbac', /secrets/), message);
      assert.match(message, /crossview-values: values\.rbac\.create is not false/);
      if (version === '1.5.0') assert.ok(line('Deployment', 'images', /crossview:latest/), message);
    });
  }
});
