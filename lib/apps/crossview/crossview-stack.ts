import { posix } from 'node:path';
import { Construct } from 'constructs';
import { AppChartSource } from '../../app/app-chart-source';
import { secretValuesName } from '../../app/app-values';
import { HelmApp } from '../../app/helm-app';
import { emitWarnings } from '../../policy/warnings';
import { CROSSVIEW_CHART_URL, CROSSVIEW_CHART_VERSION } from '../../versions';
import { normalizeChartVersion } from './chart-version';
import { CROSSVIEW_CHART, CROSSVIEW_CHECKS } from './crossview-checks';
import { CROSSVIEW_STACK_PROPS_KEYS, CrossviewStackProps } from './crossview-options';
import { propKeyProblems } from '../../props/prop-keys';
import { CROSSPLANE_VIEW_ROLE, CrossviewRbac } from './crossview-rbac';
import { crossviewRunbook } from './crossview-runbook';
import { CROSSVIEW_SECRET_VALUES, CROSSVIEW_SERVICE_ACCOUNT, hardenedValues, tmpPostRenderer } from './hardened-values';

/**
 * Crossview, the Crossplane visualizer, installed the GitOps way: the chart
 * from its OCI artifact (OCIRepository + chartRef) with hardened values that
 * pass Pod Security `restricted`, least-privilege RBAC instead of the chart's
 * `*`/`*` ClusterRole, postgres pinned, every password from a SOPS-encrypted
 * values Secret, reachable through a cloudflared tunnel. A HelmApp with
 * Crossview's defaults and checks.
 */
export class CrossviewStack extends HelmApp {
  /** Notes on how the props were read (a `v` dropped from the version), also printed as warnings. */
  public readonly notes: readonly string[];

  public constructor(scope: Construct, id: string, props: CrossviewStackProps = {}) {
    const name = props.name ?? 'crossview';
    const version = normalizeChartVersion(props.chartVersion ?? CROSSVIEW_CHART_VERSION);
    const clusterNotes: string[] = [];
    const clusters = props.clusters && Object.fromEntries(Object.entries(props.clusters).map(([cluster, own]) => {
      if (own.chartVersion === undefined) return [cluster, own];
      const normalized = normalizeChartVersion(own.chartVersion);
      if (normalized.note) clusterNotes.push(`clusters.${cluster}: ${normalized.note}`);
      return [cluster, { ...own, chartVersion: normalized.version }];
    }));
    const secretValues = props.secretValues ?? true;
    super(scope, id, {
      name,
      namespace: props.namespace ?? 'crossview',
      hostname: props.hostname,
      chart: { name: CROSSVIEW_CHART, source: props.chartSource ?? AppChartSource.ociRepository(CROSSVIEW_CHART_URL), version: version.version },
      defaultValues: hardenedValues(),
      values: props.values,
      replicas: props.replicas,
      replicasValue: 'app.replicas',
      clusters,
      allow: props.allow,
      tunnel: props.tunnel,
      route: props.route,
      flux: props.flux,
      runbook: props.runbook,
      title: 'Crossview',
      checks: CROSSVIEW_CHECKS,
      // Secret <name>-values from the SOPS-encrypted values.yaml in the app's secrets folder (npm run init-secrets scaffolds it).
      secretValues: secretValues ? { keys: CROSSVIEW_SECRET_VALUES } : undefined,
      valuesFrom: props.valuesFrom,
      release: { ...props.release, postRenderers: [tmpPostRenderer(name), ...(props.release?.postRenderers ?? [])] },
      addons: ({ file, namespace, settings }) => {
        const rbac = new CrossviewRbac(file('rbac'), 'Rbac', { name, namespace, serviceAccount: CROSSVIEW_SERVICE_ACCOUNT });
        const secretsDir = props.flux?.secretsDir ?? 'secrets';
        return crossviewRunbook({
          namespace,
          roles: [CROSSPLANE_VIEW_ROLE, rbac.coreRoleName],
          valuesSecret: secretValues ? secretValuesName(name) : undefined,
          secretsFolder: posix.join(secretsDir, settings.cluster, name),
        });
      },
    }, propKeyProblems(props, CROSSVIEW_STACK_PROPS_KEYS));
    this.notes = [...(version.note ? [`chartVersion: ${version.note}`] : []), ...clusterNotes];
    emitWarnings(`CrossviewStack ${this.node.path}`, this.notes.map((message) => ({ object: `CrossviewStack ${this.node.path}`, check: 'chart-version', severity: 'warning', message })));
  }
}
