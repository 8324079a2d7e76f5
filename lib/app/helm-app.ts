import { Construct } from 'constructs';
import { RestrictedNamespace } from '../k8s/restricted-namespace';
import { at, JsonObject, mergeValues } from '../json';
import { FluxFile } from '../output/flux-file';
import { CheckOptions, ManifestCheck } from '../policy/manifest-check';
import { lookupChart } from '../charts/chart-source';
import { valuesProblems } from '../charts/values-check';
import { Policy } from '../policy/policy';
import { PropProblems } from '../props/prop-problems';
import { SYSTEM_NAMESPACES } from '../policy/placement-policy';
import { countProblem, dnsLabelProblem, exactVersionProblem, hostnameProblem, repoPathProblem } from '../props/prop-rules';
import { AppAllowances, AppClusterOptions, appOptionKeyProblems, AppOptions } from './app-options';
import { PropKeys, propKeyProblems } from '../props/prop-keys';
import { IAppService } from './app-service';
import { AppWorkload, ClusterApp, ClusterAppScope, ClusterSettings } from './cluster-app';
import { RunbookAddon } from './runbook';

/** A chart and where Flux gets it. */
export interface HelmAppChart {
  /** Chart name, e.g. `podinfo`. */
  readonly name: string;
  /** Repository URL: `https://…` for an index, `oci://…` for a registry. */
  readonly repository: string;
  /** Exact chart version, e.g. `6.9.2`; a cluster may set its own. */
  readonly version: string;
}

export interface HelmAppProps extends AppOptions {
  /** Name of the app: its folder `apps/<name>/`, its Flux Kustomizations and its Helm release. */
  readonly name: string;

  /** The chart. */
  readonly chart: HelmAppChart;

  /**
   * Namespace the app, the tunnel and the app's Secrets live in.
   * @default - the app's name
   */
  readonly namespace?: string;

  /**
   * Public hostname, served through the tunnel and matched by the route.
   * @default - none; required when the route is on
   */
  readonly hostname?: string;

  /**
   * The app's own defaults (hardened values); `values` are deep-merged over them.
   * @default - the chart's defaults
   */
  readonly defaultValues?: JsonObject;

  /**
   * Chart values, deep-merged over `defaultValues` (maps merge; lists, scalars and `null` replace).
   * @default - none
   */
  readonly values?: JsonObject;

  /**
   * Number of pods, written to the value `replicasValue`.
   * @default - the chart's default
   */
  readonly replicas?: number;

  /**
   * The chart value that holds the number of pods.
   * @default 'replicaCount'
   */
  readonly replicasValue?: string;

  /**
   * The clusters the app runs on, by folder name under `clusters/`, each with
   * what differs there. One cluster gets `apps/<name>/`; several share
   * `apps/<name>/base/` and get `apps/<name>/<cluster>/` overlays.
   * @default { homelab: {} }
   */
  readonly clusters?: { readonly [cluster: string]: AppClusterOptions };

  /**
   * Opt-ins for what is refused by default, each with its reason.
   * @default - none
   */
  readonly allow?: AppAllowances;

  /**
   * The Service the chart puts in front of the app (the tunnel and the route send requests there).
   * @default - Service `<release name>`, port 80
   */
  readonly service?: (values: JsonObject, release: string) => IAppService;

  /**
   * Whether the app needs Secrets of its own (besides the tunnel's): the
   * cluster then applies `<secretsDir>/<cluster>/<name>/` before the app.
   * @default false
   */
  readonly secrets?: boolean;

  /**
   * Checks of the app's own, added to the app's Policy (run on every synth and by `npm run validate`).
   * @default - none
   */
  readonly checks?: readonly ManifestCheck[];

  /**
   * Builds plain manifests instead of installing the chart; the chart version
   * still names the release the app is taken from.
   * @default - the chart, through a HelmRepository and a HelmRelease
   */
  readonly workload?: (scope: ClusterAppScope) => AppWorkload;

  /**
   * Builds the app's own objects on each cluster (after the workload, before the tunnel), and what the runbook says of them.
   * @default - none
   */
  readonly addons?: (scope: ClusterAppScope) => RunbookAddon | void;

  /**
   * Name of the app in the runbook's headings.
   * @default - the app's name
   */
  readonly title?: string;
}

/**
 * The problems the values check would find at synth, for an app whose props
 * are invalid and which is therefore not built: from an archive already at
 * hand (never pulled); none when it is not.
 */
function valuesProblemsNow(chart: HelmAppChart, settings: readonly ClusterSettings[], options: CheckOptions | false): string[] {
  // chart may be missing when given without tsc; its own problem is reported already.
  if (options === false || typeof chart?.name !== 'string') return [];
  const problems = settings.flatMap((s) => {
    const lookup = lookupChart({ name: chart.name, version: s.chartVersion, repository: chart.repository }, { ...options, pull: false });
    return lookup.facts ? valuesProblems(s.values, lookup.facts) : [];
  });
  return [...new Set(problems)];
}

/** The keys of HelmAppProps, for the check of props given without tsc (lib/props/prop-keys.ts). */
export const HELM_APP_PROPS_KEYS: PropKeys<HelmAppProps> = {
  name: 'required', chart: 'required', namespace: 'optional', hostname: 'optional', defaultValues: 'optional', values: 'optional',
  replicas: 'optional', replicasValue: 'optional', clusters: 'optional', allow: 'optional', service: 'optional', secrets: 'optional',
  checks: 'optional', workload: 'optional', addons: 'optional', title: 'optional', tunnel: 'optional', route: 'optional', flux: 'optional', runbook: 'optional',
};

const RESERVED_CLUSTER_NAMES = ['base', 'namespace'];

/**
 * Any Helm chart as a Flux app on one or several clusters: a Pod Security
 * `restricted` namespace, the chart from its repository with values merged
 * over the app's defaults and checked against the exact chart, an optional
 * cloudflared tunnel and Traefik route, and per cluster the Flux
 * Kustomizations that apply the namespace, then the Secrets, then the app,
 * with a runbook.
 */
export class HelmApp extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** One app per cluster, in the order the clusters were given. */
  public readonly clusters: readonly ClusterApp[];

  /**
   * @param ownProblems problems a construct built on HelmApp found in its own props, reported in the same list
   */
  public constructor(scope: Construct, id: string, props: HelmAppProps, ownProblems: readonly string[] = []) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace ?? props.name;
    const problems = new PropProblems(`${this.constructor.name} ${this.node.path}`);
    problems.add(...ownProblems, ...propKeyProblems(props, HELM_APP_PROPS_KEYS), ...appOptionKeyProblems(props));
    problems.add(dnsLabelProblem('name', this.name, 53), dnsLabelProblem('namespace', this.namespace));
    const system = SYSTEM_NAMESPACES[this.namespace];
    if (system) problems.add(`namespace: Invalid value: "${this.namespace}": that namespace ${system}, and the app would label it Pod Security restricted: give the app a namespace of its own, e.g. "${this.name === this.namespace ? `${this.name}-app` : this.name}"`);
    if (this.name === 'flux-system') problems.add('name: Invalid value: "flux-system": the app\'s Flux Kustomization would be flux-system/flux-system, which flux bootstrap owns (two of them stop Flux applying the cluster folder): pick another name');
    if (props.flux?.secretsDir !== undefined) problems.add(repoPathProblem('flux.secretsDir', props.flux.secretsDir));
    if (props.hostname !== undefined) problems.add(hostnameProblem('hostname', props.hostname));
    if (props.replicas !== undefined) problems.add(countProblem('replicas', props.replicas, 1));
    const clusters = Object.entries(props.clusters ?? { homelab: {} });
    if (clusters.length === 0) problems.add('clusters is empty: name at least one cluster, e.g. clusters: { homelab: {} }');
    const several = clusters.length > 1;
    const settings = clusters.map(([cluster, own]) => this.clusterSettings(props, cluster, own, several, problems));
    if (problems.any) {
      // The values problems too, so one synth lists everything wrong with the app.
      problems.add(...valuesProblemsNow(props.chart, settings, Policy.of(this).options));
      if (problems.report(this)) {
        this.clusters = [];
        return;
      }
    }
    Policy.of(this).register(...(props.checks ?? []));

    const appDir = `apps/${this.name}`;
    const namespaceDir = `${appDir}/namespace`;
    const namespaceFile = new FluxFile(this, 'namespace', { path: `${namespaceDir}/namespace.yaml`, labels: { 'app.kubernetes.io/part-of': this.name } });
    new RestrictedNamespace(namespaceFile, 'Namespace', { name: this.namespace });

    this.clusters = settings.map((s) => new ClusterApp(this, s.cluster, {
      tunnel: props.tunnel,
      route: props.route,
      flux: props.flux,
      runbook: props.runbook,
      secrets: props.secrets,
      app: this.name,
      namespace: this.namespace,
      namespaceDir,
      appDir: several ? `${appDir}/${s.cluster}` : appDir,
      baseDir: several ? `${appDir}/base` : undefined,
      settings: s,
      chart: props.chart,
      service: props.service ?? ((_values, release) => ({ serviceName: release, servicePort: 80 })),
      workload: props.workload,
      addons: props.addons,
      title: props.title ?? this.name,
    }));
  }

  /** One cluster's settings: its own options over the app's, with every problem added to `problems`. */
  private clusterSettings(props: HelmAppProps, cluster: string, own: AppClusterOptions, several: boolean, problems: PropProblems): ClusterSettings {
    const field = (key: keyof AppClusterOptions) => (own[key] === undefined ? key : `clusters.${cluster}.${key}`);
    problems.add(dnsLabelProblem(`clusters key "${cluster}"`, cluster));
    if (several && RESERVED_CLUSTER_NAMES.includes(cluster)) {
      problems.add(`clusters key "${cluster}" is taken by the folder apps/${this.name}/${cluster}/: pick another cluster name`);
    }
    const hostname = own.hostname ?? props.hostname;
    if (own.hostname !== undefined) problems.add(hostnameProblem(field('hostname'), own.hostname));
    if (hostname === undefined && props.route !== false) {
      problems.add(`${several ? `clusters.${cluster}.hostname` : 'hostname'} is required for the route: set hostname, or turn the route off with route: false`);
    }
    const chartVersion = own.chartVersion ?? props.chart.version;
    const allow = own.allow || props.allow ? { ...props.allow, ...own.allow } : undefined;
    problems.add(exactVersionProblem(own.chartVersion === undefined ? 'chartVersion' : field('chartVersion'), chartVersion, props.workload ? undefined : allow?.versionRange));
    const replicas = own.replicas ?? props.replicas;
    if (own.replicas !== undefined) problems.add(countProblem(field('replicas'), own.replicas, 1));
    const user = own.values ? mergeValues(props.values ?? {}, own.values) : props.values ?? {};
    const replicasValue = props.replicasValue ?? 'replicaCount';
    if (replicas !== undefined && at(user, replicasValue) !== undefined) {
      problems.add(`${field('replicas')} and values.${replicasValue} are both set: drop values.${replicasValue} and keep ${field('replicas')}`);
    }
    const merged = mergeValues(props.defaultValues ?? {}, user);
    const values = replicas === undefined || props.workload ? merged : { ...merged, [replicasValue]: replicas };
    return { cluster, hostname, chartVersion, replicas, values, allow };
  }
}
