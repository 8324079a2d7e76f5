// Option types of a HelmApp: what users set for the whole app and per cluster.
import { CloudflaredTunnelOptions } from './cloudflared-tunnel';
import { IFluxSource } from '../flux/flux-source';
import type { HelmReleaseProps } from '../flux/helm-release';
import { JsonObject } from '../json';
import { NetworkPolicyOptions } from './app-network-policies';
import { GatewayRouteOptions } from './gateway-route';
import { PropKeys, propKeyProblems } from '../props/prop-keys';
import { TraefikRouteOptions } from './traefik-route';

/**
 * What is refused by default, allowed with a stated reason. Each reason is
 * recorded on the HelmRelease and printed as a warning on every synth.
 */
export interface AppAllowances {
  /**
   * Why `values.image.tag` pins the image apart from the chart.
   * @default - a set image.tag is refused
   */
  readonly imageTag?: string;

  /**
   * Why the chart version is a range rather than an exact version.
   * @default - only exact versions are accepted
   */
  readonly versionRange?: string;

  /**
   * Why the app may be published around the tunnel: `values.ingress.enabled`,
   * a `NodePort` or `LoadBalancer` `values.service.type`, and what they render.
   * @default - refused: the tunnel is the only way in
   */
  readonly exposure?: string;
}

/** How Flux syncs the app. */
export interface FluxSyncOptions {
  /**
   * How often Flux re-applies the app folder.
   * @default '10m'
   */
  readonly interval?: string;

  /**
   * How long Flux waits for the app to become ready.
   * @default '5m'
   */
  readonly timeout?: string;

  /**
   * Source the cluster syncs this repository from.
   * @default - the GitRepository `flux-system/flux-system` made by flux bootstrap
   */
  readonly sourceRef?: IFluxSource;

  /**
   * Secret with the SOPS age key that decrypts the app's Secrets; `false`
   * means you apply them yourself (no secrets Kustomization is generated).
   * @default 'sops-age'
   */
  readonly sopsSecretName?: string | false;

  /**
   * Folder of the SOPS-encrypted Secrets, from the project folder (the
   * repository root unless the project lies in a subfolder), outside the
   * generated tree; each cluster's app reads `<secretsDir>/<cluster>/<app>/`.
   * @default 'secrets'
   */
  readonly secretsDir?: string;
}

/** What may differ between the clusters of one app. */
export interface AppClusterOptions {
  /**
   * Public hostname on this cluster.
   * @default - the app's hostname
   */
  readonly hostname?: string;

  /**
   * Number of pods on this cluster.
   * @default - the app's replicas
   */
  readonly replicas?: number;

  /**
   * Exact chart version on this cluster. Renovate bumps only the shared pin in
   * lib/versions.ts, so a cluster set here is held back until you change it.
   * @default - the app's chart version
   */
  readonly chartVersion?: string;

  /**
   * Chart values for this cluster, deep-merged over the app's values.
   * @default - the app's values
   */
  readonly values?: JsonObject;

  /**
   * Opt-ins for this cluster, over the app's.
   * @default - the app's allow
   */
  readonly allow?: AppAllowances;
}

/** What runs beside the app on every cluster, and how Flux syncs it. */
export interface AppOptions {
  /**
   * The cloudflared connector; `false` leaves it out (bring your own ingress).
   * @default - two replicas reading the Secret `cloudflared-tunnel`
   */
  readonly tunnel?: CloudflaredTunnelOptions | false;

  /**
   * The Traefik IngressRoute for `hostname`; `false` leaves it out (the tunnel then goes straight to the Service).
   * @default - entry point `tunnel`, which only the tunnel reaches; no middlewares
   */
  readonly route?: TraefikRouteOptions | false;

  /**
   * A Gateway API HTTPRoute for `hostname` instead of the IngressRoute (set `route: false`).
   * @default - none
   */
  readonly httpRoute?: GatewayRouteOptions;

  /**
   * The NetworkPolicies of the app's namespace (default deny ingress; the app
   * reached only by Traefik, the Gateway or the tunnel; cloudflared scraped only
   * from the monitoring namespace); `false` leaves them out. They need the
   * app's pods (HelmApp's `pods`): without them a default deny would cut the
   * app off, so none are generated.
   * @default - generated when the app's pods are known, monitoring namespace `monitoring`
   */
  readonly networkPolicy?: NetworkPolicyOptions | false;

  /**
   * How Flux syncs the app.
   * @default - every 10m, prune, wait; Secrets from `secrets/<cluster>/<name>/` decrypted with `sops-age`
   */
  readonly flux?: FluxSyncOptions;

  /**
   * Write `clusters/<cluster>/RUNBOOK.md` with the real names (turn it off for a second app in the same cluster).
   * @default true
   */
  readonly runbook?: boolean;
}

/** Release options a HelmApp passes to its HelmRelease on every cluster. */
export type AppReleaseOptions = Pick<HelmReleaseProps, 'valuesFiles' | 'dependsOn' | 'install' | 'upgrade' | 'test' | 'postRenderers' | 'chartInterval' | 'interval' | 'timeout' | 'retries'>;

/** The keys of AppAllowances, for the check of props given without tsc (lib/props/prop-keys.ts). */
export const APP_ALLOWANCES_KEYS: PropKeys<AppAllowances> = { imageTag: 'optional', versionRange: 'optional', exposure: 'optional' };

/** The keys of FluxSyncOptions. */
export const FLUX_SYNC_KEYS: PropKeys<FluxSyncOptions> = { interval: 'optional', timeout: 'optional', sourceRef: 'optional', sopsSecretName: 'optional', secretsDir: 'optional' };

/** The keys of AppClusterOptions. */
export const APP_CLUSTER_KEYS: PropKeys<AppClusterOptions> = { hostname: 'optional', replicas: 'optional', chartVersion: 'optional', values: 'optional', allow: 'optional' };

/** The keys of CloudflaredTunnelOptions. */
export const TUNNEL_OPTIONS_KEYS: PropKeys<CloudflaredTunnelOptions> = { name: 'optional', replicas: 'optional', version: 'optional', secretName: 'optional', metricsPort: 'optional' };

/** The keys of TraefikRouteOptions. */
export const ROUTE_OPTIONS_KEYS: PropKeys<TraefikRouteOptions> = { entryPoints: 'optional', middlewares: 'optional', tunnelOrigin: 'optional' };

/** Problems of the keys of the options every app shares (clusters, allow, flux, tunnel, route), e.g. `clusters.staging.replica is not a prop`. */
export function appOptionKeyProblems(
  props: AppOptions & { readonly clusters?: { readonly [cluster: string]: AppClusterOptions }; readonly allow?: AppAllowances },
  allowKeys: PropKeys<AppAllowances> = APP_ALLOWANCES_KEYS,
): string[] {
  return [
    ...propKeyProblems(props.tunnel === false ? undefined : props.tunnel, TUNNEL_OPTIONS_KEYS, 'tunnel.'),
    ...propKeyProblems(props.route === false ? undefined : props.route, ROUTE_OPTIONS_KEYS, 'route.'),
    ...propKeyProblems(props.allow, allowKeys, 'allow.'),
    ...propKeyProblems(props.flux, FLUX_SYNC_KEYS, 'flux.'),
    ...Object.entries(props.clusters ?? {}).flatMap(([cluster, own]) => [
      ...propKeyProblems(own, APP_CLUSTER_KEYS, `clusters.${cluster}.`),
      ...propKeyProblems(own?.allow, APP_ALLOWANCES_KEYS, `clusters.${cluster}.allow.`),
    ]),
  ];
}
