// Options of CrossviewStack beyond a generic HelmApp's.
import { IAppChartSource } from '../../app/app-chart-source';
import { AppAllowances, AppClusterOptions, AppOptions, AppReleaseOptions } from '../../app/app-options';
import { HelmReleaseValuesFrom } from '../../flux/helm-release';
import { JsonObject } from '../../json';
import { PropKeys } from '../../props/prop-keys';

export interface CrossviewStackProps extends AppOptions {
  /**
   * Public hostname served through the tunnel, e.g. `crossview.example.net`.
   * @default - none; required unless the route is off
   */
  readonly hostname?: string;

  /**
   * Name of the app: its folder `apps/<name>/`, its Flux Kustomizations and its Helm release.
   * @default 'crossview'
   */
  readonly name?: string;

  /**
   * Namespace Crossview, its database and the tunnel run in.
   * @default 'crossview'
   */
  readonly namespace?: string;

  /**
   * Exact chart version; a release tag with a leading `v` (`v3.4.0`) is taken as the version (`3.4.0`), with a warning.
   * @default - CROSSVIEW_CHART_VERSION
   */
  readonly chartVersion?: string;

  /**
   * Where the chart comes from.
   * @default - an OCIRepository for CROSSVIEW_CHART_URL, pinned by tag, taken with chartRef
   */
  readonly chartSource?: IAppChartSource;

  /**
   * Extra chart values, deep-merged over the hardened defaults. No passwords: they go in the values Secret.
   * @default - the hardened defaults
   */
  readonly values?: JsonObject;

  /**
   * Take the passwords (`secrets.dbPassword`, `secrets.sessionSecret`) from the
   * Secret `<name>-values`, generated from the SOPS-encrypted `values.yaml` in
   * `secrets/<cluster>/<name>/` (HelmApp's `secretValues`); `false` when you set them another way (`valuesFrom`).
   * @default true
   */
  readonly secretValues?: boolean;

  /**
   * Further ConfigMaps and Secrets you manage to take values from, after the values Secret.
   * @default - none
   */
  readonly valuesFrom?: readonly HelmReleaseValuesFrom[];

  /**
   * Number of Crossview pods.
   * @default - the chart's default (1)
   */
  readonly replicas?: number;

  /**
   * The clusters Crossview runs on, by folder name under `clusters/`, each with what differs there.
   * @default { homelab: {} }
   */
  readonly clusters?: { readonly [cluster: string]: AppClusterOptions };

  /**
   * Opt-ins for what is refused by default, each with its reason.
   * @default - none
   */
  readonly allow?: AppAllowances;

  /**
   * Options of the HelmRelease (post-renderers are added after Crossview's own `/tmp` one).
   * @default - remediation with 3 retries
   */
  readonly release?: AppReleaseOptions;
}

/** The keys of CrossviewStackProps, for the check of props given without tsc (lib/props/prop-keys.ts). */
export const CROSSVIEW_STACK_PROPS_KEYS: PropKeys<CrossviewStackProps> = {
  hostname: 'optional', name: 'optional', namespace: 'optional', chartVersion: 'optional', chartSource: 'optional', values: 'optional',
  secretValues: 'optional', valuesFrom: 'optional', replicas: 'optional', clusters: 'optional', allow: 'optional', release: 'optional',
  tunnel: 'optional', route: 'optional', httpRoute: 'optional', networkPolicy: 'optional', flux: 'optional', runbook: 'optional',
};
