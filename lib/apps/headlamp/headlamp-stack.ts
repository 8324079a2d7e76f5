import { Construct } from 'constructs';
import { HelmApp } from '../../app/helm-app';
import { HEADLAMP_CHART_REPOSITORY, HEADLAMP_CHART_VERSION } from '../../versions';
import { hardenedValues } from './hardened-values';
import { HEADLAMP_CHART, HEADLAMP_CHECKS } from './headlamp-checks';
import { HEADLAMP_STACK_PROPS_KEYS, HeadlampInstall, HeadlampStackProps, LOGIN_OPTIONS_KEYS } from './headlamp-options';
import { propKeyProblems } from '../../props/prop-keys';
import { headlampChartService } from './headlamp-service';
import { HeadlampWorkload } from './headlamp-workload';
import { LoginIdentity } from './login-identity';
import { loginRunbook } from './login-runbook';

/** Problems of the props only Headlamp has: raw mode takes no chart values. */
function headlampProblems(props: HeadlampStackProps): string[] {
  // A missing hostname is reported by HelmApp, with how to do without one (route: false).
  const keys = [
    ...propKeyProblems(props, HEADLAMP_STACK_PROPS_KEYS).filter((p) => p !== 'hostname is required'),
    ...propKeyProblems(props.login === false ? undefined : props.login, LOGIN_OPTIONS_KEYS, 'login.'),
  ];
  if ((props.install ?? HeadlampInstall.HELM) !== HeadlampInstall.RAW) return keys;
  return [
    ...keys,
    ...(props.values ? ['values are chart values, and install: raw uses no chart: drop values, or use install: helm'] : []),
    ...(props.allow ? ['allow applies to the chart, and install: raw uses no chart: drop allow, or use install: helm'] : []),
    ...Object.entries(props.clusters ?? {}).filter(([, own]) => own.values || own.allow)
      .map(([cluster]) => `clusters.${cluster} sets values or allow, and install: raw uses no chart: drop them, or use install: helm`),
  ];
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
    super(scope, id, {
      name: props.name ?? 'headlamp',
      namespace: props.namespace ?? 'headlamp',
      hostname: props.hostname,
      chart: { name: HEADLAMP_CHART, repository: HEADLAMP_CHART_REPOSITORY, version: props.chartVersion ?? HEADLAMP_CHART_VERSION },
      defaultValues: raw ? undefined : hardenedValues(),
      values: props.values,
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
      workload: raw
        ? ({ file, app, namespace, settings }) => new HeadlampWorkload(file('headlamp'), 'Headlamp', { name: app, namespace, chartVersion: settings.chartVersion, replicas: settings.replicas })
        : undefined,
      addons: login === false ? undefined : ({ file, namespace, settings, sync }) => loginRunbook({
        login: new LoginIdentity(file('rbac'), 'Login', { namespace, name: login?.name }),
        namespace,
        hostname: props.route === false ? undefined : settings.hostname,
        kustomization: sync,
      }),
    }, headlampProblems(props));
  }
}
