import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { at, JsonObject, listAt, mergeValues } from '../../json';
import { forbiddenClusterRole } from '../../policy/rbac-policy';
import { HelmApp } from '../../app/helm-app';
import { HEADLAMP_CHART_REPOSITORY, HEADLAMP_CHART_VERSION } from '../../versions';
import { hardenedValues } from './hardened-values';
import { HEADLAMP_CHART, HEADLAMP_CHECKS } from './headlamp-checks';
import { HEADLAMP_ALLOWANCES_KEYS, HEADLAMP_STACK_PROPS_KEYS, HeadlampInstall, HeadlampStackProps, LOGIN_OPTIONS_KEYS } from './headlamp-options';
import { propKeyProblems } from '../../props/prop-keys';
import { headlampChartService, headlampFullname, headlampPods, headlampServiceAccountName } from './headlamp-service';
import { HeadlampWorkload } from './headlamp-workload';
import { HeadlampHelmAccess } from './helm-access';
import { oidcProblems, oidcValues } from './oidc';
import { pluginProblems, pluginValues } from './plugins';
import { LoginIdentity } from './login-identity';
import { loginRunbook } from './login-runbook';

/** Problems of the props only Headlamp has: raw mode takes no chart values. */
function headlampProblems(props: HeadlampStackProps): string[] {
  // A missing hostname is reported by HelmApp, with how to do without one (route: false).
  const keys = [
    ...propKeyProblems(props, HEADLAMP_STACK_PROPS_KEYS).filter((p) => p !== 'hostname is required'),
    ...propKeyProblems(props.login === false ? undefined : props.login, LOGIN_OPTIONS_KEYS, 'login.'),
  ];
  const role = props.clusterRole === undefined ? undefined : forbiddenClusterRole(props.clusterRole);
  const enableHelm = [props.values, ...Object.values(props.clusters ?? {}).map((c) => c.values)].some((v) => at(v, 'config', 'enableHelm') === true);
  if ((props.install ?? HeadlampInstall.HELM) !== HeadlampInstall.RAW) {
    return [
      ...keys,
      ...(role ? [`clusterRole: ${role}`] : []),
      ...pluginProblems(props.plugins ?? []),
      ...(props.oidc ? oidcProblems(props.oidc) : []),
      ...(enableHelm && !props.helm ? ['values.config.enableHelm is true, but Headlamp\'s ServiceAccount may not read the release Secrets, so the Helm view stays empty: set helm: { namespaces: [...] } instead, which turns it on and grants what it needs there'] : []),
    ];
  }
  return [
    ...keys,
    ...(props.helm ? ['helm turns on the chart\'s enableHelm, and install: raw uses no chart: drop helm, or use install: helm'] : []),
    ...(props.plugins ? ['plugins are installed by the chart\'s plugin manager, and install: raw uses no chart: drop plugins, or use install: helm'] : []),
    ...(props.oidc ? ['oidc is set through the chart\'s values, and install: raw uses no chart: drop oidc, or use install: helm'] : []),
    ...(props.dynamicClusters ? ['dynamicClusters is set through the chart\'s values, and install: raw uses no chart: drop it, or use install: helm'] : []),
    ...(props.clusterRole !== undefined ? ['clusterRole applies to the chart\'s ServiceAccount, and install: raw binds its own to view: drop clusterRole, or use install: helm'] : []),
    ...(props.values ? ['values are chart values, and install: raw uses no chart: drop values, or use install: helm'] : []),
    ...(props.allow ? ['allow applies to the chart, and install: raw uses no chart: drop allow, or use install: helm'] : []),
    ...(props.chartSource ? ['chartSource is where the chart comes from, and install: raw uses no chart: drop chartSource, or use install: helm'] : []),
    ...Object.entries(props.clusters ?? {}).filter(([, own]) => own.values || own.allow)
      .map(([cluster]) => `clusters.${cluster} sets values or allow, and install: raw uses no chart: drop them, or use install: helm`),
  ];
}

/**
 * The user's values with what the typed features turn on: the Helm view, OIDC
 * (its environment appended to the user's `env`) and dynamic clusters (its
 * flag appended to the user's `config.extraArgs`).
 */
function featureValues(props: HeadlampStackProps): JsonObject | undefined {
  let values = props.values;
  if (props.helm) values = mergeValues(values ?? {}, { config: { enableHelm: true } });
  if (props.oidc) {
    const oidc = oidcValues(props.oidc, props.hostname);
    values = mergeValues(values ?? {}, { ...oidc.values, env: [...listAt(values, 'env'), ...oidc.env] });
  }
  if (props.dynamicClusters) {
    const args = at(values, 'config', 'extraArgs');
    values = mergeValues(values ?? {}, { config: { extraArgs: [...(Array.isArray(args) ? args : []), '-enable-dynamic-clusters'] } });
  }
  return values;
}

/**
 * Binds the chart's ServiceAccount to a read-only ClusterRole under a name
 * that says which (the chart's own binding, always `<fullname>-admin`, is off),
 * unless the values turn the chart's binding back on.
 */
function chartBinding(scope: Construct, props: { app: string; namespace: string; values: JsonObject; clusterRole: string }): void {
  if (at(props.values, 'clusterRoleBinding', 'create') === true) return;
  const serviceAccount = headlampServiceAccountName(props.values, props.app);
  new k8s.KubeClusterRoleBinding(scope, 'ChartBinding', {
    metadata: { name: `${headlampFullname(props.values, props.app)}-${props.clusterRole}`.slice(0, 253) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.clusterRole },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace: props.namespace }],
  });
}

/**
 * Headlamp, the Kubernetes SIG UI, as a read-only dashboard: the upstream
 * chart with hardened values (or plain manifests), a login identity bound to
 * `view`, reachable through a cloudflared tunnel. A HelmApp with Headlamp's
 * defaults and checks: the namespace goes to `apps/<name>/namespace/`; the app
 * to `apps/<name>/` (or a shared base plus overlays for several clusters);
 * each cluster's Flux Kustomizations and RUNBOOK.md to `clusters/<cluster>/`.
 */
export class HeadlampStack extends HelmApp {
  public constructor(scope: Construct, id: string, props: HeadlampStackProps) {
    const raw = (props.install ?? HeadlampInstall.HELM) === HeadlampInstall.RAW;
    const login = props.login;
    const clusterRole = props.clusterRole ?? 'view';
    super(scope, id, {
      name: props.name ?? 'headlamp',
      namespace: props.namespace ?? 'headlamp',
      hostname: props.hostname,
      chart: props.chartSource && !raw
        ? { name: HEADLAMP_CHART, source: props.chartSource, version: props.chartVersion ?? HEADLAMP_CHART_VERSION }
        : { name: HEADLAMP_CHART, repository: HEADLAMP_CHART_REPOSITORY, version: props.chartVersion ?? HEADLAMP_CHART_VERSION },
      defaultValues: raw ? undefined : props.plugins?.length ? mergeValues(hardenedValues(), pluginValues(props.plugins)) : hardenedValues(),
      values: featureValues(props),
      secrets: props.oidc !== undefined,
      replicas: props.replicas,
      clusters: props.clusters,
      allow: props.allow,
      tunnel: props.tunnel,
      route: props.route,
      flux: props.flux,
      runbook: props.runbook,
      title: 'Headlamp',
      checks: HEADLAMP_CHECKS,
      service: headlampChartService,
      pods: headlampPods,
      httpRoute: props.httpRoute,
      networkPolicy: props.networkPolicy,
      workload: raw
        ? ({ file, app, namespace, settings }) => new HeadlampWorkload(file('headlamp'), 'Headlamp', { name: app, namespace, chartVersion: settings.chartVersion, replicas: settings.replicas })
        : undefined,
      addons: ({ app, file, namespace, settings, sync }) => {
        const rbac = file('rbac');
        if (!raw) chartBinding(rbac, { app, namespace, values: settings.values, clusterRole });
        if (props.helm) {
          new HeadlampHelmAccess(rbac, 'Helm', { ...props.helm, namespace, name: `${headlampFullname(settings.values, app)}-helm`, serviceAccountName: headlampServiceAccountName(settings.values, app) });
        }
        if (login === false) return undefined;
        return loginRunbook({
          login: new LoginIdentity(rbac, 'Login', { namespace, name: login?.name }),
          namespace,
          hostname: props.route === false ? undefined : settings.hostname,
          kustomization: sync,
        });
      },
    }, headlampProblems(props), HEADLAMP_ALLOWANCES_KEYS);
  }
}
