// Options of HeadlampStack beyond a generic HelmApp's.
import { AppAllowances, AppClusterOptions, AppOptions } from '../../app/app-options';
import { JsonObject } from '../../json';
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
  readonly allow?: AppAllowances;

  /**
   * How Headlamp is installed.
   * @default HeadlampInstall.HELM
   */
  readonly install?: HeadlampInstall;

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
};
