// Option types shared by HeadlampStack (what users set) and HeadlampCluster (one cluster's app).
import { CloudflaredTunnelOptions } from './cloudflared-tunnel';
import { IFluxSource } from './flux/flux-source';
import { TraefikRouteOptions } from './traefik-route';
import { JsonObject } from './values';

/** How Headlamp itself is installed. */
export enum HeadlampInstall {
  /** The upstream chart through a Flux HelmRelease. */
  HELM = 'helm',
  /** Plain manifests: Deployment, Service, ServiceAccount, ClusterRoleBinding. No Helm. */
  RAW = 'raw',
}

/** Options of the login identity, as the stack exposes them. */
export interface LoginOptions {
  /**
   * ServiceAccount name; its token Secret is `<name>-token`.
   * @default 'headlamp-login'
   */
  readonly name?: string;
}

/**
 * What the stack refuses by default, allowed with a stated reason. Each reason
 * is recorded on the HelmRelease and printed as a warning on every synth.
 */
export interface HeadlampAllowances {
  /**
   * Why `values.image.tag` pins the image apart from the chart.
   * @default - a set image.tag is refused
   */
  readonly imageTag?: string;

  /**
   * Why `chartVersion` is a range rather than an exact version.
   * @default - only exact versions are accepted
   */
  readonly versionRange?: string;
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
   * Folder of the SOPS-encrypted Secrets, from the repository root, outside
   * the generated tree; each cluster's app reads `<secretsDir>/<cluster>/<app>/`.
   * @default 'secrets'
   */
  readonly secretsDir?: string;
}

/** What may differ between the clusters of one stack. */
export interface HeadlampClusterOptions {
  /**
   * Public hostname on this cluster.
   * @default - the stack's hostname
   */
  readonly hostname?: string;

  /**
   * Number of Headlamp pods on this cluster.
   * @default - the stack's replicas
   */
  readonly replicas?: number;

  /**
   * Exact chart version on this cluster. Renovate bumps only the shared pin in
   * lib/versions.ts, so a cluster set here is held back until you change it.
   * @default - the stack's chartVersion
   */
  readonly chartVersion?: string;

  /**
   * Chart values for this cluster, deep-merged over the stack's values.
   * @default - the stack's values
   */
  readonly values?: JsonObject;

  /**
   * Opt-ins for this cluster, over the stack's.
   * @default - the stack's allow
   */
  readonly allow?: HeadlampAllowances;
}

/** What every cluster of a stack shares: how Headlamp is installed, what runs beside it, and how Flux syncs it. */
export interface HeadlampAppOptions {
  /**
   * How Headlamp is installed.
   * @default HeadlampInstall.HELM
   */
  readonly install?: HeadlampInstall;

  /**
   * The cloudflared connector; `false` leaves it out (bring your own ingress).
   * @default - two replicas reading the Secret `cloudflared-tunnel`
   */
  readonly tunnel?: CloudflaredTunnelOptions | false;

  /**
   * The Traefik IngressRoute for `hostname`; `false` leaves it out.
   * @default - entry point `web`, no middlewares
   */
  readonly route?: TraefikRouteOptions | false;

  /**
   * The read-only login identity; `false` leaves it out.
   * @default - ServiceAccount `headlamp-login` bound to `view`
   */
  readonly login?: LoginOptions | false;

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
