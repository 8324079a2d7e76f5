import { posix } from 'node:path';
import { Construct } from 'constructs';
import { CloudflaredTunnel } from './cloudflared-tunnel';
import { FluxKustomization } from './flux/flux-kustomization';
import { FluxSource } from './flux/flux-source';
import { HelmRepository } from './flux/helm-repository';
import { HeadlampAllowances, HeadlampAppOptions, HeadlampInstall } from './headlamp-options';
import { HeadlampRelease } from './headlamp/headlamp-release';
import { IHeadlampService } from './headlamp/headlamp-service';
import { HeadlampWorkload } from './headlamp/headlamp-workload';
import { LoginIdentity } from './login-identity';
import { FluxApp } from './output/flux-app';
import { FluxFile } from './output/flux-file';
import { MarkdownFile } from './output/markdown-file';
import { clusterRunbook } from './runbook/cluster-runbook';
import { TraefikRoute } from './traefik-route';
import { JsonObject } from './values';
import { HEADLAMP_CHART_REPOSITORY } from './versions';

export interface HeadlampClusterProps extends HeadlampAppOptions {
  /** Name of the app: its Flux Kustomizations and Helm release. */
  readonly app: string;

  /** Cluster folder under `clusters/`. */
  readonly cluster: string;

  /** Namespace of the app; it must already be synced from `namespaceDir`. */
  readonly namespace: string;

  /** Tree folder of the namespace, which every cluster of the app applies first. */
  readonly namespaceDir: string;

  /** Tree folder of this cluster's app, e.g. `apps/headlamp` or `apps/headlamp/staging`. */
  readonly appDir: string;

  /**
   * Shared base folder: files identical on every cluster move there.
   * @default - no base; every file stays in appDir
   */
  readonly baseDir?: string;

  /** Public hostname. */
  readonly hostname: string;

  /** Exact chart version (Helm), or the chart whose appVersion picks the image (raw). */
  readonly chartVersion: string;

  /**
   * Number of Headlamp pods.
   * @default - the chart's default (1)
   */
  readonly replicas?: number;

  /**
   * Chart values over the hardened defaults (Helm mode).
   * @default - the hardened defaults
   */
  readonly values?: JsonObject;

  /**
   * Opt-ins, each with its reason (Helm mode).
   * @default - none
   */
  readonly allow?: HeadlampAllowances;
}

/**
 * One cluster's Headlamp: the app files (Headlamp, login identity, tunnel,
 * route) and, in `clusters/<cluster>/`, the Flux Kustomizations that apply
 * the namespace, then the SOPS-encrypted Secrets, then the app, plus a runbook
 * with the real names.
 */
export class HeadlampCluster extends Construct {
  public readonly cluster: string;
  public readonly chartVersion: string;
  public readonly headlamp: IHeadlampService;
  /** The HelmRelease's Headlamp (Helm mode only). */
  public readonly release?: HeadlampRelease;
  /** Headlamp as plain manifests (raw mode only). */
  public readonly workload?: HeadlampWorkload;
  public readonly login?: LoginIdentity;
  public readonly tunnel?: CloudflaredTunnel;
  /** The Flux Kustomization of the app. */
  public readonly sync: FluxKustomization;
  /** The Flux Kustomization of the app's Secrets, when there is one. */
  public readonly secretsSync?: FluxKustomization;

  public constructor(scope: Construct, id: string, props: HeadlampClusterProps) {
    super(scope, id);
    this.cluster = props.cluster;
    this.chartVersion = props.chartVersion;
    const { app, namespace, cluster } = props;
    const labels = { 'app.kubernetes.io/part-of': app };
    const file = (concern: string) => new FluxFile(this, concern, {
      path: `${props.appDir}/${concern}.yaml`,
      sharedAs: props.baseDir === undefined ? undefined : `${props.baseDir}/${concern}.yaml`,
      cluster,
      labels,
    });

    if ((props.install ?? HeadlampInstall.HELM) === HeadlampInstall.HELM) {
      const repository = new HelmRepository(file('repository'), 'Repository', { name: app, namespace, url: HEADLAMP_CHART_REPOSITORY });
      this.release = new HeadlampRelease(file('release'), 'Headlamp', {
        name: app, namespace, repository, chartVersion: props.chartVersion,
        values: props.replicas === undefined ? props.values : { ...props.values, replicaCount: props.replicas },
        allowImageTag: props.allow?.imageTag, allowVersionRange: props.allow?.versionRange,
      });
      this.headlamp = this.release;
    } else {
      this.workload = new HeadlampWorkload(file('headlamp'), 'Headlamp', { name: app, namespace, chartVersion: props.chartVersion, replicas: props.replicas });
      this.headlamp = this.workload;
    }
    if (props.login !== false) {
      this.login = new LoginIdentity(file('rbac'), 'Login', { namespace, name: props.login?.name });
    }
    if (props.tunnel !== false) {
      this.tunnel = new CloudflaredTunnel(file('cloudflared'), 'Tunnel', { namespace, ...props.tunnel });
    }
    if (props.route !== false) {
      new TraefikRoute(file('route'), 'Route', {
        ...props.route,
        name: app,
        hostname: props.hostname,
        namespace,
        serviceName: this.headlamp.serviceName,
        servicePort: this.headlamp.servicePort,
      });
    }

    // Namespace, then Secrets, then the app: the Secrets need the namespace and
    // the tunnel needs its Secret, so applying them together deadlocks a first bootstrap.
    const clusterFile = new FluxFile(this, 'sync', { path: `clusters/${cluster}/${app}.yaml`, listed: false, cluster, labels });
    const { sopsSecretName, secretsDir, ...sync } = props.flux ?? {};
    const distPath = FluxApp.distPathOf(this);
    const namespaceSync = new FluxKustomization(clusterFile, 'Namespace', {
      ...sync, name: `${app}-namespace`, path: `./${posix.join(distPath, props.namespaceDir)}`, sopsSecretName: false,
    });
    if (this.tunnel && sopsSecretName !== false) {
      this.secretsSync = new FluxKustomization(clusterFile, 'Secrets', {
        ...sync, name: `${app}-secrets`, path: `./${posix.join(secretsDir ?? 'secrets', cluster, app)}`, sopsSecretName, dependsOn: [namespaceSync],
      });
    }
    this.sync = new FluxKustomization(clusterFile, 'Kustomization', {
      ...sync, name: app, path: `./${posix.join(distPath, props.appDir)}`, sopsSecretName: false,
      dependsOn: this.secretsSync ? [namespaceSync, this.secretsSync] : [namespaceSync],
    });

    if (props.runbook ?? true) {
      const kustomizations = [namespaceSync, ...(this.secretsSync ? [this.secretsSync] : []), this.sync];
      const tunnel = this.tunnel;
      const secretsSync = this.secretsSync;
      new MarkdownFile(this, 'runbook', {
        path: `clusters/${cluster}/RUNBOOK.md`,
        render: () => clusterRunbook({
          cluster,
          hostname: props.route === false ? undefined : props.hostname,
          namespace,
          source: sync.sourceRef ?? FluxSource.gitRepository(),
          kustomizations,
          app: this.sync,
          helmRelease: this.release && { name: this.release.release.name, namespace: this.release.release.namespace },
          deployment: this.workload?.deploymentName,
          login: this.login && { serviceAccount: this.login.serviceAccountName, tokenSecret: this.login.tokenSecretName, clusterRole: this.login.clusterRole },
          tunnel: tunnel && secretsSync && {
            deployment: tunnel.name,
            secretName: tunnel.secretName,
            secretsFile: posix.join(secretsSync.path.replace(/^\.\//, ''), `${tunnel.secretName}.yaml`),
            kustomization: secretsSync,
          },
        }),
      });
    }
  }
}
