import { posix } from 'node:path';
import { Construct } from 'constructs';
import { CloudflaredTunnel, CloudflaredTunnelOptions } from './cloudflared-tunnel';
import { FluxKustomization } from './flux/flux-kustomization';
import { IFluxSource } from './flux/flux-source';
import { HelmRepository } from './flux/helm-repository';
import { HeadlampRelease } from './headlamp/headlamp-release';
import { IHeadlampService } from './headlamp/headlamp-service';
import { HeadlampWorkload } from './headlamp/headlamp-workload';
import { RestrictedNamespace } from './k8s/restricted-namespace';
import { LoginIdentity } from './login-identity';
import { assertDnsLabel, assertExactVersion, assertHostname } from './names';
import { FluxApp } from './output/flux-app';
import { FluxFile } from './output/flux-file';
import { PropErrors } from './prop-errors';
import { TraefikRoute, TraefikRouteOptions } from './traefik-route';
import { JsonObject } from './values';
import { HEADLAMP_CHART_REPOSITORY, HEADLAMP_CHART_VERSION } from './versions';

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

/** How Flux syncs the app folder. */
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
   * Secret with the SOPS age key; `false` turns decryption off.
   * @default 'sops-age'
   */
  readonly sopsSecretName?: string | false;
}

export interface HeadlampStackProps {
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
   * Cluster folder under `clusters/` that holds the Flux Kustomization; point
   * `flux bootstrap --path` at it.
   * @default 'homelab'
   */
  readonly cluster?: string;

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
   * Opt-ins for what is refused by default (Helm mode only), each with its reason.
   * @default - none
   */
  readonly allow?: HeadlampAllowances;

  /**
   * How Flux syncs the app.
   * @default - every 10m, prune, wait, SOPS decryption with `sops-age`
   */
  readonly flux?: FluxSyncOptions;
}

/**
 * Headlamp for a Flux-managed homelab: one app folder `apps/<name>/` (namespace,
 * Headlamp, login identity, tunnel, route, each in its own file) and the Flux
 * Kustomization in `clusters/<cluster>/` that syncs it.
 */
export class HeadlampStack extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly cluster: string;
  public readonly chartVersion: string;
  public readonly headlamp: IHeadlampService;
  /** The HelmRelease's Headlamp (Helm mode only). */
  public readonly release?: HeadlampRelease;

  public constructor(scope: Construct, id: string, props: HeadlampStackProps) {
    super(scope, id);
    this.name = props.name ?? 'headlamp';
    this.namespace = props.namespace ?? 'headlamp';
    this.cluster = props.cluster ?? 'homelab';
    this.chartVersion = props.chartVersion ?? HEADLAMP_CHART_VERSION;
    const install = props.install ?? HeadlampInstall.HELM;
    const errors = new PropErrors(`HeadlampStack ${this.node.path}`);
    errors.check(() => assertHostname('hostname', props.hostname));
    errors.check(() => assertDnsLabel('name', this.name, 53));
    errors.check(() => assertDnsLabel('namespace', this.namespace));
    errors.check(() => assertDnsLabel('cluster', this.cluster));
    if (install === HeadlampInstall.RAW && props.values) {
      errors.add('values are chart values, and install: raw uses no chart: drop values, or use install: helm');
    }
    if (install === HeadlampInstall.RAW && props.allow) {
      errors.add('allow applies to the chart, and install: raw uses no chart: drop allow, or use install: helm');
    }
    if (install === HeadlampInstall.RAW || !props.allow?.versionRange?.trim()) {
      errors.check(() => assertExactVersion('chartVersion', this.chartVersion));
    }
    errors.throwIfAny();

    const appDir = `apps/${this.name}`;
    const labels = { 'app.kubernetes.io/part-of': this.name };
    const file = (concern: string, path = `${appDir}/${concern}.yaml`) => new FluxFile(this, concern, { path, labels });
    const namespace = this.namespace;

    new RestrictedNamespace(file('namespace'), 'Namespace', { name: namespace });

    if (install === HeadlampInstall.HELM) {
      const repository = new HelmRepository(file('repository'), 'Repository', { name: this.name, namespace, url: HEADLAMP_CHART_REPOSITORY });
      this.release = new HeadlampRelease(file('release'), 'Headlamp', {
        name: this.name, namespace, repository, chartVersion: this.chartVersion, values: props.values,
        allowImageTag: props.allow?.imageTag, allowVersionRange: props.allow?.versionRange,
      });
      this.headlamp = this.release;
    } else {
      this.headlamp = new HeadlampWorkload(file('headlamp'), 'Headlamp', { name: this.name, namespace, chartVersion: this.chartVersion });
    }

    if (props.login !== false) {
      new LoginIdentity(file('rbac'), 'Login', { namespace, name: props.login?.name });
    }
    if (props.tunnel !== false) {
      new CloudflaredTunnel(file('cloudflared'), 'Tunnel', { namespace, ...props.tunnel });
    }
    if (props.route !== false) {
      new TraefikRoute(file('route'), 'Route', {
        ...props.route,
        name: this.name,
        hostname: props.hostname,
        namespace,
        serviceName: this.headlamp.serviceName,
        servicePort: this.headlamp.servicePort,
      });
    }

    const sync = new FluxFile(this, 'sync', { path: `clusters/${this.cluster}/${this.name}.yaml`, listed: false, labels });
    new FluxKustomization(sync, 'Kustomization', {
      name: this.name,
      path: `./${posix.join(FluxApp.distPathOf(this), appDir)}`,
      ...props.flux,
    });
  }
}
