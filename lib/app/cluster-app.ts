import { posix } from 'node:path';
import { Construct } from 'constructs';
import { FluxKustomization, IFluxKustomization } from '../flux/flux-kustomization';
import { FluxSource } from '../flux/flux-source';
import { HelmRelease } from '../flux/helm-release';
import { allowAnnotation } from '../charts/release-checks';
import { JsonObject } from '../json';
import { ConfigMapGenerator } from '../output/config-map-generator';
import { FluxApp } from '../output/flux-app';
import { FluxFile } from '../output/flux-file';
import { MarkdownFile } from '../output/markdown-file';
import { IAppChartSource } from './app-chart-source';
import { AppAllowances, AppOptions, AppReleaseOptions } from './app-options';
import { AppValuesSources, releaseValuesFrom, VALUES_KEY, plainValuesName } from './app-values';
import { IAppService } from './app-service';
import { CloudflaredTunnel } from './cloudflared-tunnel';
import { clusterRunbook, RunbookAddon } from './runbook';
import { TRAEFIK_PODS, TraefikRoute } from './traefik-route';
import { AppNetworkPolicies, AppPods } from './app-network-policies';
import { GatewayRoute } from './gateway-route';
import { DisruptionBudget } from '../k8s/disruption-budget';

/** Namespace of the Flux Kustomizations, where `flux bootstrap` puts Flux. */
const FLUX_NAMESPACE = 'flux-system';

/** One cluster's settings of an app, after the cluster's own options are merged over the app's. */
export interface ClusterSettings {
  readonly cluster: string;
  readonly hostname?: string;
  /** Exact chart version (or a range allowed by `allow.versionRange`). */
  readonly chartVersion: string;
  readonly replicas?: number;
  /** Final chart values: the app's defaults, then the user's values, then the cluster's. */
  readonly values: JsonObject;
  readonly allow?: AppAllowances;
}

/** What an app's own parts get to build one cluster's objects. */
export interface ClusterAppScope {
  readonly app: string;
  readonly namespace: string;
  readonly settings: ClusterSettings;
  /** The Flux Kustomization that applies the app (it re-creates what is deleted from it). */
  readonly sync: IFluxKustomization;
  /** A new file in this cluster's app folder: `rbac` → `apps/<app>/rbac.yaml`. */
  file(concern: string): FluxFile;
}

/** An app's workload when it is not its chart (plain manifests). */
export interface AppWorkload extends IAppService {
  /** The Deployment the runbook restarts. */
  readonly deploymentName: string;
}

export interface ClusterAppProps extends AppOptions {
  /** Name of the app: its Flux Kustomizations and Helm release. */
  readonly app: string;

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

  /** This cluster's settings. */
  readonly settings: ClusterSettings;

  /** Chart name and where Flux gets it. */
  readonly chart: { readonly name: string; readonly source: IAppChartSource };

  /**
   * Options of the HelmRelease.
   * @default - none
   */
  readonly release?: AppReleaseOptions;

  /** The Service a chart release puts in front of the app, from the final values and the release name. */
  readonly service: (values: JsonObject, release: string) => IAppService;

  /**
   * The app's pods, from the final values and the release name.
   * @default - unknown: no NetworkPolicy opens them, no budget protects them
   */
  readonly pods?: (values: JsonObject, release: string) => AppPods;

  /**
   * Builds the workload instead of the chart (plain manifests).
   * @default - the chart, through a HelmRepository and a HelmRelease
   */
  readonly workload?: (scope: ClusterAppScope) => AppWorkload;

  /**
   * Builds the app's own objects beside the workload (before the tunnel and the route), and what the runbook says of them.
   * @default - none
   */
  readonly addons?: (scope: ClusterAppScope) => RunbookAddon | void;

  /**
   * Whether the app needs Secrets of its own (besides the tunnel's), applied from the secrets folder.
   * @default false
   */
  readonly secrets?: boolean;

  /**
   * Values the release reads from files and objects besides its own values.
   * @default - none
   */
  readonly valuesSources?: AppValuesSources;

  /** Name of the app in the runbook's headings, e.g. `Headlamp`. */
  readonly title: string;
}

/**
 * One cluster's app: the workload (the chart's HelmRelease, or plain
 * manifests), the app's own objects, the tunnel and the route, each in its own
 * file; in `clusters/<cluster>/`, the Flux Kustomizations that apply the
 * namespace, then the SOPS-encrypted Secrets, then the app; and a runbook with
 * the real names.
 */
export class ClusterApp extends Construct {
  public readonly cluster: string;
  public readonly chartVersion: string;
  public readonly service: IAppService;
  /** The HelmRelease (chart installs only). */
  public readonly release?: HelmRelease;
  /** The workload, when it is not the chart. */
  public readonly workload?: AppWorkload;
  public readonly tunnel?: CloudflaredTunnel;
  /** The Flux Kustomization of the app. */
  public readonly sync: FluxKustomization;
  /** The Flux Kustomization of the app's Secrets, when there is one. */
  public readonly secretsSync?: FluxKustomization;

  public constructor(scope: Construct, id: string, props: ClusterAppProps) {
    super(scope, id);
    const { app, namespace, settings } = props;
    const { cluster } = settings;
    this.cluster = cluster;
    this.chartVersion = settings.chartVersion;
    const labels = { 'app.kubernetes.io/part-of': app };
    const parts: ClusterAppScope = {
      app,
      namespace,
      settings,
      sync: { name: app, namespace: FLUX_NAMESPACE },
      file: (concern) => new FluxFile(this, concern, {
        path: `${props.appDir}/${concern}.yaml`,
        sharedAs: props.baseDir === undefined ? undefined : `${props.baseDir}/${concern}.yaml`,
        cluster,
        labels,
      }),
    };

    let sourceSecrets: readonly string[] = [];
    if (props.workload) {
      this.workload = props.workload(parts);
      this.service = this.workload;
    } else {
      const bound = props.chart.source.bind(parts.file('repository'), {
        name: app, namespace, chart: props.chart.name, version: settings.chartVersion, allowVersionRange: settings.allow?.versionRange,
      });
      sourceSecrets = bound.secretNames;
      const chartRef = bound.chart === undefined;
      // Every opt-in travels with the HelmRelease as an annotation, so `npm run validate` sees its reason too
      // (the version range is the HelmRelease's own, and only recorded on a range).
      const reasons = Object.entries(settings.allow ?? {})
        .filter((entry): entry is [string, string] => entry[0] !== 'versionRange' && typeof entry[1] === 'string' && entry[1].trim() !== '')
        .map(([key, reason]) => [allowAnnotation(key), reason.trim()]);
      const sources = props.valuesSources ?? { from: [] };
      if (sources.file) {
        new ConfigMapGenerator(this, 'Values', { dir: props.appDir, name: plainValuesName(app), namespace, files: { [VALUES_KEY]: sources.file.text } });
      }
      this.release = new HelmRelease(parts.file('release'), 'Release', {
        ...props.release,
        name: app,
        namespace,
        source: bound.source,
        chart: bound.chart,
        version: chartRef ? undefined : settings.chartVersion,
        values: settings.values,
        valuesFrom: releaseValuesFrom(app, sources),
        allowVersionRange: settings.allow?.versionRange,
        annotations: reasons.length > 0 ? Object.fromEntries(reasons) : undefined,
      });
      this.service = props.service(settings.values, app);
    }
    const own = props.addons?.(parts) ?? undefined;
    const tunnelFile = props.tunnel === false ? undefined : parts.file('cloudflared');
    const hostname = settings.hostname;
    const route = props.route !== false && hostname !== undefined
      ? new TraefikRoute(parts.file('route'), 'Route', {
        ...props.route, name: app, hostname, namespace, serviceName: this.service.serviceName, servicePort: this.service.servicePort,
      })
      : undefined;
    const httpRoute = props.httpRoute && hostname !== undefined
      ? new GatewayRoute(parts.file('httproute'), 'HttpRoute', {
        ...props.httpRoute, name: app, hostname, namespace, serviceName: this.service.serviceName, servicePort: this.service.servicePort,
      })
      : undefined;
    // Through Traefik (or the Gateway) when there is a route, so its middlewares see every request; else straight to the Service.
    const origin = route?.tunnelOrigin ?? httpRoute?.tunnelOrigin ?? `http://${this.service.serviceName}.${namespace}.svc.cluster.local:${this.service.servicePort}`;
    if (tunnelFile) {
      this.tunnel = new CloudflaredTunnel(tunnelFile, 'Tunnel', {
        namespace,
        ...props.tunnel,
        origin,
        // Kept off the Deployment when a route names it, so clusters that differ only by hostname share the connector.
        hostname: route || httpRoute ? undefined : hostname,
      });
    }
    const pods = props.pods?.(settings.values, app);
    // Unknown pods (a chart nobody described) get no policies: a default deny would cut the app off.
    if (props.networkPolicy !== false && pods) {
      new AppNetworkPolicies(parts.file('network-policy'), 'NetworkPolicies', {
        ...props.networkPolicy,
        namespace,
        name: app,
        pods,
        serviceName: this.service.serviceName,
        from: route ? (props.networkPolicy && props.networkPolicy.traefik) ?? TRAEFIK_PODS : httpRoute?.from,
        tunnel: this.tunnel && { name: this.tunnel.name, labels: this.tunnel.selectorLabels, metricsPort: this.tunnel.metricsPort, origin },
      });
    }
    if (pods && pods.disruptionBudget !== false && (settings.replicas ?? 1) > 1) {
      new DisruptionBudget(parts.file('disruption-budget'), 'DisruptionBudget', { name: app, namespace, selectorLabels: pods.labels });
    }

    // Namespace, then Secrets, then the app: the Secrets need the namespace and
    // the app needs its Secrets, so applying them together deadlocks a first bootstrap.
    const clusterFile = new FluxFile(this, 'sync', { path: `clusters/${cluster}/${app}.yaml`, listed: false, cluster, labels });
    const { sopsSecretName, secretsDir, ...sync } = props.flux ?? {};
    const distPath = FluxApp.distPathOf(this);
    const namespaceSync = new FluxKustomization(clusterFile, 'Namespace', {
      ...sync, name: `${app}-namespace`, path: `./${posix.join(distPath, props.namespaceDir)}`, sopsSecretName: false,
    });
    if ((this.tunnel || props.secrets || props.valuesSources?.secret || sourceSecrets.length > 0) && sopsSecretName !== false) {
      this.secretsSync = new FluxKustomization(clusterFile, 'Secrets', {
        ...sync, name: `${app}-secrets`, path: `./${posix.join(FluxApp.projectPathOf(this), secretsDir ?? 'secrets', cluster, app)}`, sopsSecretName, dependsOn: [namespaceSync],
      });
    }
    this.sync = new FluxKustomization(clusterFile, 'Kustomization', {
      ...sync, name: app, namespace: FLUX_NAMESPACE, path: `./${posix.join(distPath, props.appDir)}`, sopsSecretName: false,
      dependsOn: this.secretsSync ? [namespaceSync, this.secretsSync] : [namespaceSync],
    });

    const addon = sourceSecrets.length > 0 && this.secretsSync
      ? withSourceSecrets(own, sourceSecrets, this.secretsSync.path.replace(/^\.\//, ''))
      : own;
    if (props.runbook ?? true) {
      const kustomizations = [namespaceSync, ...(this.secretsSync ? [this.secretsSync] : []), this.sync];
      const { tunnel, secretsSync, release, workload } = this;
      new MarkdownFile(this, 'runbook', {
        path: `clusters/${cluster}/RUNBOOK.md`,
        render: () => clusterRunbook({
          cluster,
          title: props.title,
          chartMakes: `${props.title}'s Deployment and Service`,
          hostname: props.route === false ? undefined : settings.hostname,
          namespace,
          source: sync.sourceRef ?? FluxSource.gitRepository(),
          kustomizations,
          app: this.sync,
          helmRelease: release && { name: release.name, namespace: release.namespace },
          deployment: workload?.deploymentName,
          addon,
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

/** The app's runbook addon, with where the chart source's Secrets go (SOPS-encrypted, beside the app's other Secrets). */
function withSourceSecrets(addon: RunbookAddon | undefined, secrets: readonly string[], folder: string): RunbookAddon {
  return {
    ...addon,
    rows: [...(addon?.rows ?? []), ['Chart source Secrets', secrets.map((s) => `\`${s}\``).join(', ')]],
    sections: [...(addon?.sections ?? []), [
      '## Chart source credentials',
      '',
      `The chart source reads ${secrets.map((s) => `\`${s}\``).join(' and ')}: put each in \`${folder}/<name>.yaml\`, SOPS-encrypted (\`sops --encrypt --in-place <file>\`). Basic auth is \`username\`/\`password\`, an OCI registry a \`kubernetes.io/dockerconfigjson\` Secret (\`kubectl create secret docker-registry … --dry-run=client -o yaml\`), a private CA \`ca.crt\`.`,
    ]],
  };
}
