import { Construct } from 'constructs';
import { HeadlampCluster } from './headlamp-cluster';
import { HeadlampAllowances, HeadlampAppOptions, HeadlampClusterOptions, HeadlampInstall } from './headlamp-options';
import { RestrictedNamespace } from './k8s/restricted-namespace';
import { assertDnsLabel, assertExactVersion, assertHostname } from './names';
import { FluxFile } from './output/flux-file';
import { PropErrors } from './prop-errors';
import { at, JsonObject, mergeValues } from './values';
import { HEADLAMP_CHART_VERSION } from './versions';

export interface HeadlampStackProps extends HeadlampAppOptions {
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
   * Cluster folder under `clusters/` that holds the Flux Kustomizations; point
   * `flux bootstrap --path` at it. For several clusters use `clusters`.
   * @default 'homelab' (when `clusters` is not set)
   */
  readonly cluster?: string;

  /**
   * Several clusters from one app, by folder name under `clusters/`, each with
   * what differs there. Files the same on every cluster go to `apps/<name>/base/`,
   * the rest to `apps/<name>/<cluster>/`.
   * @default - one cluster, `cluster`
   */
  readonly clusters?: { readonly [cluster: string]: HeadlampClusterOptions };

  /**
   * Opt-ins for what is refused by default (Helm mode only), each with its reason.
   * @default - none
   */
  readonly allow?: HeadlampAllowances;
}

/**
 * Headlamp for a Flux-managed homelab. The namespace goes to
 * `apps/<name>/namespace/`; the app (Headlamp, login identity, tunnel, route,
 * each in its own file) to `apps/<name>/` for one cluster, or to a shared
 * `apps/<name>/base/` plus `apps/<name>/<cluster>/` overlays for several; each
 * cluster gets its Flux Kustomizations and RUNBOOK.md in `clusters/<cluster>/`.
 */
export class HeadlampStack extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** One app per cluster, in the order the clusters were given. */
  public readonly clusters: readonly HeadlampCluster[];

  public constructor(scope: Construct, id: string, props: HeadlampStackProps) {
    super(scope, id);
    this.name = props.name ?? 'headlamp';
    this.namespace = props.namespace ?? 'headlamp';
    const install = props.install ?? HeadlampInstall.HELM;
    const errors = new PropErrors(`HeadlampStack ${this.node.path}`);
    errors.check(() => assertHostname('hostname', props.hostname));
    errors.check(() => assertDnsLabel('name', this.name, 53));
    errors.check(() => assertDnsLabel('namespace', this.namespace));
    if (install === HeadlampInstall.RAW && props.values) {
      errors.add('values are chart values, and install: raw uses no chart: drop values, or use install: helm');
    }
    if (install === HeadlampInstall.RAW && props.allow) {
      errors.add('allow applies to the chart, and install: raw uses no chart: drop allow, or use install: helm');
    }
    const several = props.clusters !== undefined;
    if (several && props.cluster !== undefined) {
      errors.add(`cluster "${props.cluster}" and clusters are both set: use cluster for one cluster, or list every cluster in clusters`);
    }
    const options: Array<[string, HeadlampClusterOptions]> = several ? Object.entries(props.clusters ?? {}) : [[props.cluster ?? 'homelab', {}]];
    if (several && options.length === 0) errors.add('clusters is empty: name at least one cluster, e.g. clusters: { homelab: {} }');
    const settings = options.map(([cluster, own]) => this.clusterSettings(props, cluster, own, several, errors));
    errors.throwIfAny();

    const appDir = `apps/${this.name}`;
    const namespaceDir = `${appDir}/namespace`;
    const namespaceFile = new FluxFile(this, 'namespace', { path: `${namespaceDir}/namespace.yaml`, labels: { 'app.kubernetes.io/part-of': this.name } });
    new RestrictedNamespace(namespaceFile, 'Namespace', { name: this.namespace });

    this.clusters = settings.map((s) => new HeadlampCluster(this, s.cluster, {
      install, tunnel: props.tunnel, route: props.route, login: props.login, flux: props.flux, runbook: props.runbook,
      ...s,
      app: this.name,
      namespace: this.namespace,
      namespaceDir,
      appDir: several ? `${appDir}/${s.cluster}` : appDir,
      baseDir: several ? `${appDir}/base` : undefined,
    }));
  }

  /** One cluster's settings: its own options over the stack's, with every problem added to `errors`. */
  private clusterSettings(props: HeadlampStackProps, cluster: string, own: HeadlampClusterOptions, several: boolean, errors: PropErrors) {
    const field = (key: keyof HeadlampClusterOptions) => (own[key] === undefined ? key : `clusters.${cluster}.${key}`);
    errors.check(() => assertDnsLabel(several ? `clusters key "${cluster}"` : 'cluster', cluster));
    if (several && ['base', 'namespace'].includes(cluster)) {
      errors.add(`cluster name "${cluster}" is taken by the folder apps/${this.name}/${cluster}/: pick another cluster name`);
    }
    const hostname = own.hostname ?? props.hostname;
    if (own.hostname !== undefined) errors.check(() => assertHostname(field('hostname'), hostname));
    const chartVersion = own.chartVersion ?? props.chartVersion ?? HEADLAMP_CHART_VERSION;
    const allow = own.allow || props.allow ? { ...props.allow, ...own.allow } : undefined;
    const raw = (props.install ?? HeadlampInstall.HELM) === HeadlampInstall.RAW;
    if (raw && (own.values || own.allow)) {
      errors.add(`clusters.${cluster} sets values or allow, and install: raw uses no chart: drop them, or use install: helm`);
    }
    if (raw || !allow?.versionRange?.trim()) {
      errors.check(() => assertExactVersion(field('chartVersion'), chartVersion));
    }
    const replicas = own.replicas ?? props.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 1)) {
      errors.add(`${field('replicas')} ${replicas} must be a whole number ≥ 1`);
    }
    const values = own.values ? mergeValues(props.values ?? {}, own.values) : props.values;
    if (replicas !== undefined && at(values, 'replicaCount') !== undefined) {
      errors.add(`${field('replicas')} and values.replicaCount are both set: drop values.replicaCount and keep ${field('replicas')}`);
    }
    return { cluster, hostname, chartVersion, replicas, values, allow };
  }
}
