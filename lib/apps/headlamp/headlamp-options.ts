// Options of HeadlampStack beyond a generic HelmApp's.
import { IAppChartSource } from '../../app/app-chart-source';
import { APP_ALLOWANCES_KEYS, AppAllowances, AppClusterOptions, AppOptions } from '../../app/app-options';
import { JsonObject } from '../../json';
import { HeadlampHelmOptions } from './helm-access';
import { HeadlampOidcOptions } from './oidc';
import { HeadlampPlugin } from './plugins';

/** Headlamp's opt-ins beyond a HelmApp's, each with its reason. */
export interface HeadlampAllowances extends AppAllowances {
  /**
   * Why every visitor may act with Headlamp's own ServiceAccount token
   * (`values.config.unsafeUseServiceAccountToken`), without signing in.
   * @default - refused
   */
  readonly serviceAccountToken?: string;
}
import { PropKeys } from '../../props/prop-keys';

/** How Headlamp itself is installed. */
export enum HeadlampInstall {
  /** The upstream chart through a Flux HelmRelease. */
  HELM = 'helm',
  /** Plain manifests: Deployment, Service, ServiceAccount, ClusterRoleBinding. No Helm. */
  RAW = 'raw',
}

/** Options of the login identity. */
export interface LoginOptions {
  /**
   * ServiceAccount name; its token Secret is `<name>-token`.
   * @default 'headlamp-login'
   */
  readonly name?: string;
}

export interface HeadlampStackProps extends AppOptions {
  /** Public hostname served through the tunnel, e.g. `headlamp.example.net`. */
  readonly hostname: string;

  /**
   * Name of the app: its folder `apps/<name>/`, its Flux Kustomization and its Helm release.
   * @default 'headlamp'
   */
  readonly name?: string;

  /**
   * Namespace Headlamp, the tunnel and the login identity run in.
   * @default 'headlamp'
   */
  readonly namespace?: string;

  /**
   * Exact Headlamp chart version. In raw mode it picks the image (the chart's appVersion).
   * @default - HEADLAMP_CHART_VERSION, the newest tested chart
   */
  readonly chartVersion?: string;

  /**
   * Where the chart comes from (an OCI mirror, a folder in Git, a repository with credentials). Helm mode only.
   * @default - the HelmRepository HEADLAMP_CHART_REPOSITORY
   */
  readonly chartSource?: IAppChartSource;

  /**
   * Extra chart values, deep-merged over the hardened defaults. Helm mode only.
   * @default - the hardened defaults
   */
  readonly values?: JsonObject;

  /**
   * Number of Headlamp pods.
   * @default - the chart's default (1)
   */
  readonly replicas?: number;

  /**
   * The clusters Headlamp runs on, by folder name under `clusters/`, each with
   * what differs there. One cluster gets `apps/<name>/`; several share
   * `apps/<name>/base/` and get `apps/<name>/<cluster>/` overlays.
   * @default { homelab: {} }
   */
  readonly clusters?: { readonly [cluster: string]: AppClusterOptions };

  /**
   * Opt-ins for what is refused by default (Helm mode only), each with its reason.
   * @default - none
   */
  readonly allow?: HeadlampAllowances;

  /**
   * How Headlamp is installed.
   * @default HeadlampInstall.HELM
   */
  readonly install?: HeadlampInstall;

  /**
   * ClusterRole the chart's ServiceAccount (Headlamp's own identity) is bound
   * to, by a ClusterRoleBinding `<release>-<role>`; the chart's own binding
   * (named `-admin` whatever it binds) stays off. Helm mode only; keep it read-only.
   * @default 'view'
   */
  readonly clusterRole?: string;

  /**
   * Plugins the chart's plugin manager sidecar installs when the pod starts,
   * each at an exact version, with the sidecar's Node image and pluginctl
   * pinned in lib/versions.ts. Helm mode only.
   * @default - none (no sidecar)
   */
  readonly plugins?: readonly HeadlampPlugin[];

  /**
   * OIDC sign-in; the client secret comes only from the SOPS-encrypted Secret
   * `oidc.secretName` in `secrets/<cluster>/<name>/`. Helm mode only.
   * @default - none: sign in with the login token
   */
  readonly oidc?: HeadlampOidcOptions;

  /**
   * Let each user add clusters from their own kubeconfig (`-enable-dynamic-clusters`).
   * The kubeconfigs stay in the user's browser (IndexedDB), never on the
   * server; every request still carries that user's own credentials. Helm mode only.
   * @default false
   */
  readonly dynamicClusters?: boolean;

  /**
   * Headlamp's Helm release view and service proxy (`config.enableHelm`):
   * Roles in the listed namespaces only. Helm mode only.
   * @default - off
   */
  readonly helm?: HeadlampHelmOptions;

  /**
   * The read-only login identity; `false` leaves it out.
   * @default - ServiceAccount `headlamp-login` bound to `view`
   */
  readonly login?: LoginOptions | false;
}

/** The keys of LoginOptions, for the check of props given without tsc (lib/props/prop-keys.ts). */
export const LOGIN_OPTIONS_KEYS: PropKeys<LoginOptions> = { name: 'optional' };

/** The keys of HeadlampStackProps. */
export const HEADLAMP_STACK_PROPS_KEYS: PropKeys<HeadlampStackProps> = {
  hostname: 'required', name: 'optional', namespace: 'optional', chartVersion: 'optional', values: 'optional', replicas: 'optional',
  clusters: 'optional', allow: 'optional', install: 'optional', login: 'optional', tunnel: 'optional', route: 'optional', flux: 'optional', runbook: 'optional',
  chartSource: 'optional', clusterRole: 'optional', plugins: 'optional', oidc: 'optional', dynamicClusters: 'optional', helm: 'optional',
  httpRoute: 'optional', networkPolicy: 'optional',
};

/** The keys of HeadlampAllowances. */
export const HEADLAMP_ALLOWANCES_KEYS: PropKeys<HeadlampAllowances> = { ...APP_ALLOWANCES_KEYS, serviceAccountToken: 'optional' };
