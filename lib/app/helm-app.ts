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
import { HelmReleaseValuesFrom } from '../flux/helm-release';
import { AppChartSource, IAppChartSource } from './app-chart-source';
import { AppAllowances, APP_ALLOWANCES_KEYS, AppClusterOptions, appOptionKeyProblems, AppOptions, AppReleaseOptions } from './app-options';
import { AppPods } from './app-network-policies';
import { AppValuesSources, readValuesFile, SecretValuesOptions } from './app-values';
import { PropKeys, propKeyProblems } from '../props/prop-keys';
import { IAppService } from './app-service';
import { AppWorkload, ClusterApp, ClusterAppScope, ClusterSettings } from './cluster-app';
import { RunbookAddon } from './runbook';
import { TUNNEL_ENTRY_POINT } from './traefik-route';

/** A chart and where Flux gets it. */
export interface HelmAppChart {
  /** Chart name (its Chart.yaml `name`), e.g. `podinfo`. */
  readonly name: string;
  /**
   * Repository URL: `https://…` for an index, `oci://…` for a registry folder (a HelmRepository of `type: oci`).
   * @default - none; give `repository` or `source`
   */
  readonly repository?: string;
  /**
   * The chart's source, built on each cluster with that cluster's version: an
   * OCIRepository (`chartRef`), a folder in Git or a bucket, or a HelmRepository with credentials.
   * @default - a HelmRepository for `repository`
   */
  readonly source?: IAppChartSource;
  /** Exact chart version, e.g. `6.9.2`; a cluster may set its own. */
  readonly version: string;
}

export interface HelmAppProps extends AppOptions {
  /** Name of the app: its folder `apps/<name>/`, its Flux Kustomizations and its Helm release. */
  readonly name: string;

  /** The chart. */
  readonly chart: HelmAppChart;

  /**
   * Options of the HelmRelease: values from ConfigMaps and Secrets, values files, dependencies, failure strategy, tests, post-renderers.
   * @default - remediation with 3 retries, no tests, no post-renderers
   */
  readonly release?: AppReleaseOptions;

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
   * Plain chart values kept in a YAML file of the repository (its path from
   * the root, e.g. `values/podinfo.yaml`). Synth copies it into each
   * cluster's app folder, whose kustomization generates ConfigMap
   * `<name>-plain-values-<hash>` from it; a changed file makes a new ConfigMap, so
   * Flux upgrades the release. Merged before `values`. A credential in it is refused.
   * @default - none
   */
  readonly valuesFile?: string;

  /**
   * Chart values from the SOPS-encrypted `values.yaml` (and, for `targetPaths`,
   * `values.env`) in the app's secrets folder `<secretsDir>/<cluster>/<name>/`,
   * which its kustomization generates into Secret `<name>-values` (scaffolded
   * by `npm run init-secrets`). Merged after `valuesFile`, before `values`.
   * @default false
   */
  readonly secretValues?: boolean | SecretValuesOptions;

  /**
   * Further ConfigMaps and Secrets (that you manage) to take values from, after `valuesFile` and `secretValues`.
   * @default - none
   */
  readonly valuesFrom?: readonly HelmReleaseValuesFrom[];

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
   * The app's pods as the chart labels them, from the final values and the
   * release name: what the NetworkPolicies open and a PodDisruptionBudget
   * (when replicas > 1) protects.
   * @default - unknown: the namespace's default deny applies to them, and no budget is made
   */
  readonly pods?: (values: JsonObject, release: string) => AppPods;

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
  release: 'optional', valuesFile: 'optional', secretValues: 'optional', valuesFrom: 'optional', pods: 'optional', httpRoute: 'optional', networkPolicy: 'optional',
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
  /**
   * @param ownProblems problems of a subclass's own props, reported with these
   * @param allowKeys the opt-ins `allow` may hold (a subclass may add its own)
   */
  public constructor(scope: Construct, id: string, props: HelmAppProps, ownProblems: readonly string[] = [], allowKeys: PropKeys<AppAllowances> = APP_ALLOWANCES_KEYS) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace ?? props.name;
    const problems = new PropProblems(`${this.constructor.name} ${this.node.path}`);
    problems.add(...ownProblems, ...propKeyProblems(props, HELM_APP_PROPS_KEYS), ...appOptionKeyProblems(props, allowKeys));
    problems.add(dnsLabelProblem('name', this.name, 53), dnsLabelProblem('namespace', this.namespace));
    const system = SYSTEM_NAMESPACES[this.namespace];
    if (system) problems.add(`namespace: Invalid value: "${this.namespace}": that namespace ${system}, and the app would label it Pod Security restricted: give the app a namespace of its own, e.g. "${this.name === this.namespace ? `${this.name}-app` : this.name}"`);
    if (this.name === 'flux-system') problems.add('name: Invalid value: "flux-system": the app\'s Flux Kustomization would be flux-system/flux-system, which flux bootstrap owns (two of them stop Flux applying the cluster folder): pick another name');
    if (props.flux?.secretsDir !== undefined) problems.add(repoPathProblem('flux.secretsDir', props.flux.secretsDir));
    if (props.hostname !== undefined) problems.add(hostnameProblem('hostname', props.hostname));
    if (props.replicas !== undefined) problems.add(countProblem('replicas', props.replicas, 1));
    if (props.httpRoute && props.route !== false) problems.add('httpRoute is set and so is the Traefik route: the app gets one of them; set route: false to use the HTTPRoute');
    const entryPoints = props.route ? props.route.entryPoints : undefined;
    if (props.tunnel !== false && entryPoints !== undefined && !entryPoints.includes(TUNNEL_ENTRY_POINT) && props.route && props.route.tunnelOrigin === undefined) {
      problems.add(`route.entryPoints ${JSON.stringify(entryPoints)} leave out "${TUNNEL_ENTRY_POINT}", so the tunnel does not know where Traefik serves them: set route.tunnelOrigin to that URL (e.g. "http://traefik.kube-system.svc.cluster.local:80" for web), or keep the default entry point`);
    }
    const valuesSources: AppValuesSources = {
      file: props.valuesFile === undefined ? undefined : readValuesFile(props.valuesFile, problems),
      secret: props.secretValues === true ? {} : props.secretValues || undefined,
      from: props.valuesFrom ?? [],
    };
    if (props.workload && (props.valuesFile !== undefined || props.secretValues || props.valuesFrom?.length)) {
      problems.add('valuesFile, secretValues and valuesFrom feed the chart\'s HelmRelease, which a workload replaces: drop them, or the workload');
    }
    const clusters = Object.entries(props.clusters ?? { homelab: {} });
    if (props.chart.repository === undefined && props.chart.source === undefined && props.workload === undefined) problems.add('chart: give chart.repository (a URL) or chart.source (e.g. AppChartSource.ociRepository(...))');
    if (props.chart.repository !== undefined && props.chart.source !== undefined) problems.add('chart: give chart.repository or chart.source, not both');
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
      httpRoute: props.httpRoute,
      networkPolicy: props.networkPolicy,
      pods: props.pods,
      flux: props.flux,
      runbook: props.runbook,
      secrets: props.secrets,
      valuesSources,
      app: this.name,
      namespace: this.namespace,
      namespaceDir,
      appDir: several ? `${appDir}/${s.cluster}` : appDir,
      baseDir: several ? `${appDir}/base` : undefined,
      settings: s,
      chart: { name: props.chart.name, source: props.chart.source ?? AppChartSource.helmRepository(props.chart.repository ?? '') },
      release: props.release,
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
