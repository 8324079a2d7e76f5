import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HelmRelease as HelmReleaseL1,
  HelmReleaseSpecChartRefKind,
  HelmReleaseSpecChartSpecReconcileStrategy,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecDriftDetectionMode,
  HelmReleaseSpecInstall,
  HelmReleaseSpecInstallStrategyName,
  HelmReleaseSpecUpgrade,
  HelmReleaseSpecUpgradeStrategyName,
  HelmReleaseSpecValuesFromKind,
} from '../../imports/helm.toolkit.fluxcd.io';
import { ALLOW_VERSION_RANGE_ANNOTATION, CHART_NAME_ANNOTATION, CHART_VERSION_ANNOTATION, SECRET_VALUES_ANNOTATION } from '../charts/release-checks';
import { PropProblems } from '../props/prop-problems';
import { countProblem, dnsLabelProblem, dnsSubdomainProblem, exactVersionProblem } from '../props/prop-rules';
import { isExactVersion } from '../charts/version';
import { hasNull, JsonObject, sortedKeys } from '../json';
import { CHART_FOLDER_KINDS, CHART_REF_KINDS, chartNameOf, chartPathProblem, ChartSourceKind, IChartSource } from './chart-source';
import { IHelmRepository } from './helm-repository';

/** A HelmRelease another one can depend on. */
export interface IHelmRelease {
  readonly name: string;
  readonly namespace: string;
}

/** A ConfigMap or Secret whose values helm-controller merges under `spec.values`, in order. */
export interface HelmReleaseValuesFrom {
  /** Kind of the object holding the values. */
  readonly kind: 'ConfigMap' | 'Secret';
  /** Its name, in the release's namespace. */
  readonly name: string;
  /**
   * Key holding a values.yaml document (or, with `targetPath`, one value).
   * @default 'values.yaml'
   */
  readonly valuesKey?: string;
  /**
   * Dotted path the key's single value is set at, e.g. `secrets.dbPassword`.
   * @default - the key's document is merged at the root
   */
  readonly targetPath?: string;
  /**
   * Whether a missing object is ignored.
   * @default false
   */
  readonly optional?: boolean;
  /**
   * Value paths a Secret sets (e.g. `secrets.dbPassword`), recorded on the
   * release: a SOPS-encrypted Secret cannot be read at check time, so the checks
   * render the chart with a placeholder at each path.
   * @default - unknown: a release whose Secret cannot be read is not rendered by the checks
   */
  readonly keys?: readonly string[];
}

/** What helm-controller does when an install or upgrade fails. */
export enum ReleaseFailureStrategy {
  /** Roll back (or uninstall) and retry up to `retries` times: the default. */
  REMEDIATE_ON_FAILURE = 'RemediateOnFailure',
  /** Retry the same action every `retryInterval`, without remediation, for releases that fail while a dependency comes up. */
  RETRY_ON_FAILURE = 'RetryOnFailure',
}

/** How an install or upgrade reacts to a failure. */
export interface ReleaseActionOptions {
  /**
   * The strategy.
   * @default ReleaseFailureStrategy.REMEDIATE_ON_FAILURE
   */
  readonly strategy?: ReleaseFailureStrategy;
  /**
   * Time between retries (RetryOnFailure only).
   * @default - Flux's default
   */
  readonly retryInterval?: string;
}

/** Helm tests run after an install or upgrade. */
export interface ReleaseTestOptions {
  /**
   * Whether a failed test fails the release (and triggers remediation).
   * @default true
   */
  readonly failRelease?: boolean;
  /**
   * How long the tests may run.
   * @default - the release timeout
   */
  readonly timeout?: string;
}

/** One kustomize post-renderer: patches and image overrides applied to what the chart renders (the checks see the result). */
export interface HelmReleasePostRenderer {
  /**
   * Strategic-merge or JSON6902 patches, each with an optional target.
   * @default - none
   */
  readonly patches?: readonly { readonly patch: string; readonly target?: { readonly [field: string]: string } }[];
  /**
   * Image overrides.
   * @default - none
   */
  readonly images?: readonly { readonly name: string; readonly newName?: string; readonly newTag?: string; readonly digest?: string }[];
}

export interface HelmReleaseProps {
  /**
   * Where the chart comes from: a HelmRepository, GitRepository or Bucket
   * (the release names `chart`), or an OCIRepository or HelmChart (referred to
   * with `chartRef`; the source names the chart and its version).
   * @default - `repository`
   */
  readonly source?: IChartSource;

  /**
   * The HelmRepository the chart comes from.
   * @deprecated use `source`
   * @default - `source`
   */
  readonly repository?: IHelmRepository;

  /**
   * The chart: its name in a HelmRepository, its folder (`./charts/app`) in Git or a bucket.
   * @default - none; required unless the source is an OCIRepository or a HelmChart
   */
  readonly chart?: string;

  /**
   * Exact chart version, e.g. `0.45.0`; ranges are refused so every upgrade is a
   * reviewed commit. For Git and buckets it is the version the folder holds,
   * recorded for the checks (Flux takes whatever the revision has).
   * @default - none; required unless the source is an OCIRepository or a HelmChart (which pin it themselves)
   */
  readonly version?: string;

  /**
   * Why `version` may be a range. With a reason a range is accepted, recorded
   * on the object and reported as a warning on every synth.
   * @default - only exact versions are accepted
   */
  readonly allowVersionRange?: string;

  /** Namespace of the HelmRelease and of what it installs. */
  readonly namespace: string;

  /**
   * Name of the HelmRelease.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Helm release name, when it differs from the object's name.
   * @default - the object's name
   */
  readonly releaseName?: string;

  /**
   * Namespace the chart's objects go to, when it differs from the release's.
   * @default - the release's namespace
   */
  readonly targetNamespace?: string;

  /**
   * Chart values.
   * @default - the chart's defaults
   */
  readonly values?: JsonObject;

  /**
   * ConfigMaps and Secrets merged under `values`, in order (a SOPS values Secret for passwords).
   * @default - none
   */
  readonly valuesFrom?: readonly HelmReleaseValuesFrom[];

  /**
   * Values files of the chart (paths in the archive; from the source's root for Git
   * and buckets), merged in order over values.yaml. Only with a `chart` (not `chartRef`).
   * @default - the chart's values.yaml
   */
  readonly valuesFiles?: readonly string[];

  /**
   * Releases that must be ready first.
   * @default - none
   */
  readonly dependsOn?: readonly IHelmRelease[];

  /**
   * How often Flux reconciles the release.
   * @default '30m'
   */
  readonly interval?: string;

  /**
   * How often Flux checks the source for a new chart (only with a `chart`).
   * @default - the release's interval
   */
  readonly chartInterval?: string;

  /**
   * How long Helm waits for install, upgrade or rollback.
   * @default '5m'
   */
  readonly timeout?: string;

  /**
   * How many times a failed install or upgrade is retried, after a rollback or
   * uninstall, before Flux stops (so a bad release never stays half-applied).
   * @default 3
   */
  readonly retries?: number;

  /**
   * How a failed install is handled.
   * @default - remediate (uninstall) and retry `retries` times
   */
  readonly install?: ReleaseActionOptions;

  /**
   * How a failed upgrade is handled.
   * @default - remediate (roll back, clean up) and retry `retries` times
   */
  readonly upgrade?: ReleaseActionOptions;

  /**
   * Run the chart's Helm tests after each install and upgrade.
   * @default - no tests
   */
  readonly test?: ReleaseTestOptions;

  /**
   * Kustomize post-renderers, applied in order to what the chart renders.
   * @default - none
   */
  readonly postRenderers?: readonly HelmReleasePostRenderer[];

  /**
   * Labels on the object.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };

  /**
   * Annotations on the object.
   * @default - none
   */
  readonly annotations?: { readonly [key: string]: string };
}

const SOURCE_REF_KINDS: Record<string, HelmReleaseSpecChartSpecSourceRefKind> = {
  [ChartSourceKind.HELM_REPOSITORY]: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY,
  [ChartSourceKind.GIT_REPOSITORY]: HelmReleaseSpecChartSpecSourceRefKind.GIT_REPOSITORY,
  [ChartSourceKind.BUCKET]: HelmReleaseSpecChartSpecSourceRefKind.BUCKET,
};
const CHART_REF: Record<string, HelmReleaseSpecChartRefKind> = {
  [ChartSourceKind.OCI_REPOSITORY]: HelmReleaseSpecChartRefKind.OCI_REPOSITORY,
  [ChartSourceKind.HELM_CHART]: HelmReleaseSpecChartRefKind.HELM_CHART,
};

/**
 * A Flux HelmRelease (helm.toolkit.fluxcd.io/v2) pinned to one chart version,
 * with remediation so a failed release rolls back instead of getting stuck,
 * and drift detection so in-cluster edits are reverted. It writes the source
 * the way Flux reads it: `chartRef` for an OCIRepository or a HelmChart,
 * `chart.spec.sourceRef` with the source's kind otherwise.
 */
export class HelmRelease extends Construct implements IHelmRelease {
  public readonly name: string;
  public readonly namespace: string;
  /** The chart version (or allowed range) the release installs, wherever it is pinned. */
  public readonly version: string;

  public constructor(scope: Construct, id: string, props: HelmReleaseProps) {
    super(scope, id);
    const source = props.source ?? props.repository;
    const chartRef = source !== undefined && CHART_REF_KINDS.includes(source.kind);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.version = (chartRef ? source.chartVersion : props.version) ?? '';
    const rangeReason = props.allowVersionRange?.trim();
    const retries = props.retries ?? 3;
    const problems = new PropProblems(`HelmRelease ${this.node.path}`);
    problems.add(countProblem('retries', retries, 0));
    if (props.releaseName !== undefined) problems.add(dnsLabelProblem('releaseName', props.releaseName, 53));
    if (props.targetNamespace !== undefined) problems.add(dnsLabelProblem('targetNamespace', props.targetNamespace));
    if (source === undefined) {
      problems.add('source: required: give the chart source (a HelmRepository, OCIRepository, GitRepository, Bucket or HelmChart)');
    } else if (!SOURCE_REF_KINDS[source.kind] && !CHART_REF[source.kind]) {
      problems.add(`source: unknown chart source kind "${source.kind}": a HelmRelease takes its chart from one of ${Object.values(ChartSourceKind).join(', ')}`);
    } else if (chartRef) {
      problems.add(...chartRefProblems(source, props));
    } else {
      problems.add(props.chart === undefined ? `chart: required with a ${source.kind}: give the chart's ${CHART_FOLDER_KINDS.includes(source.kind) ? 'folder, e.g. "./charts/app"' : 'name'}` : chartPathProblem('chart', source.kind, props.chart));
      problems.add(props.version === undefined ? 'version: required: give the exact chart version, e.g. "1.2.3"' : exactVersionProblem('version', props.version, CHART_FOLDER_KINDS.includes(source.kind) ? undefined : rangeReason));
    }
    problems.add(...strategyProblems('install', props.install), ...strategyProblems('upgrade', props.upgrade));
    problems.add(...(props.valuesFrom ?? []).flatMap((v, i) => valuesFromProblems(`valuesFrom[${i}]`, v)));
    problems.throwIfAny();
    if (source === undefined) return;
    const folder = CHART_FOLDER_KINDS.includes(source.kind);
    const annotations: { [key: string]: string } = { ...props.annotations };
    if (rangeReason && !isExactVersion(this.version)) annotations[ALLOW_VERSION_RANGE_ANNOTATION] = rangeReason;
    // Where the object itself does not name the chart's version, the checks read it here.
    if (chartRef) annotations[CHART_NAME_ANNOTATION] = source.chartName ?? '';
    if (folder) annotations[CHART_NAME_ANNOTATION] = chartNameOf(props.chart ?? '');
    if (folder || (chartRef && isExactVersion(this.version))) annotations[CHART_VERSION_ANNOTATION] = this.version;
    const secretKeys = (props.valuesFrom ?? []).filter((v) => v.kind === 'Secret' && v.keys?.length);
    if (secretKeys.length > 0) annotations[SECRET_VALUES_ANNOTATION] = JSON.stringify(Object.fromEntries(secretKeys.map((v) => [v.name, [...(v.keys ?? [])]])));

    const resource = new HelmReleaseL1(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: props.labels,
        annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      },
      spec: {
        interval: props.interval ?? '30m',
        timeout: props.timeout ?? '5m',
        ...(props.releaseName ? { releaseName: props.releaseName } : {}),
        ...(props.targetNamespace ? { targetNamespace: props.targetNamespace } : {}),
        ...(chartRef
          ? { chartRef: { kind: CHART_REF[source.kind], name: source.name, namespace: source.namespace } }
          : {
            chart: {
              spec: {
                chart: props.chart ?? '',
                ...(folder ? {} : { version: props.version }),
                sourceRef: { kind: SOURCE_REF_KINDS[source.kind], name: source.name, namespace: source.namespace },
                // A folder in Git or a bucket keeps its version while its files change: rebuild on every revision.
                ...(folder ? { reconcileStrategy: HelmReleaseSpecChartSpecReconcileStrategy.REVISION } : {}),
                ...(props.chartInterval ? { interval: props.chartInterval } : {}),
                ...(props.valuesFiles?.length ? { valuesFiles: [...props.valuesFiles] } : {}),
              },
            },
          }),
        ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((d) => ({ name: d.name, namespace: d.namespace })) } : {}),
        install: installSpec(props.install, retries),
        upgrade: upgradeSpec(props.upgrade, retries),
        ...(props.test ? { test: { enable: true, ignoreFailures: props.test.failRelease === false, ...(props.test.timeout ? { timeout: props.test.timeout } : {}) } } : {}),
        driftDetection: { mode: HelmReleaseSpecDriftDetectionMode.ENABLED },
        ...(props.postRenderers?.length ? { postRenderers: props.postRenderers.map((p) => ({ kustomize: { ...(p.patches ? { patches: p.patches.map((x) => ({ ...x })) } : {}), ...(p.images ? { images: p.images.map((x) => ({ ...x })) } : {}) } })) } : {}),
        values: props.values,
        ...(props.valuesFrom?.length ? { valuesFrom: props.valuesFrom.map(valuesFromSpec) } : {}),
      },
    });
    // cdk8s drops every null when it serializes an object, but to Helm a null
    // value removes the chart's default for that key: put the values back whole.
    if (props.values !== undefined && hasNull(props.values)) {
      ApiObject.of(resource).addJsonPatch(JsonPatch.replace('/spec/values', sortedKeys(props.values)));
    }
  }
}

function chartRefProblems(source: IChartSource, props: HelmReleaseProps): (string | undefined)[] {
  const fix = `the ${source.kind} names the chart and pins its version`;
  return [
    props.chart === undefined ? undefined : `chart: a release from a ${source.kind} takes it with chartRef and names no chart (${fix}): drop chart`,
    props.version === undefined ? undefined : `version: a release from a ${source.kind} takes it with chartRef and names no version (${fix}): drop version, or change the ${source.kind}'s ref`,
    props.valuesFiles?.length ? `valuesFiles: a release from a ${source.kind} (chartRef) has no valuesFiles: set them on a HelmChart, or use values` : undefined,
    props.chartInterval === undefined ? undefined : `chartInterval: a release from a ${source.kind} (chartRef) has no chart template: set the ${source.kind}'s interval`,
    source.chartName ? undefined : `source: the ${source.kind} ${source.namespace}/${source.name} does not say which chart it holds (chartName)`,
  ];
}

function strategyProblems(prop: string, options: ReleaseActionOptions | undefined): (string | undefined)[] {
  if (options?.retryInterval !== undefined && options.strategy !== ReleaseFailureStrategy.RETRY_ON_FAILURE) {
    return [`${prop}.retryInterval: only RetryOnFailure retries on an interval: set ${prop}.strategy to ReleaseFailureStrategy.RETRY_ON_FAILURE, or drop retryInterval`];
  }
  return [];
}

const DOTTED_PATH = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function valuesFromProblems(prop: string, ref: HelmReleaseValuesFrom): (string | undefined)[] {
  return [
    ref.kind === 'ConfigMap' || ref.kind === 'Secret' ? undefined : `${prop}.kind: Invalid value: "${String(ref.kind)}": must be ConfigMap or Secret`,
    dnsSubdomainProblem(`${prop}.name`, ref.name),
    ref.targetPath !== undefined && !DOTTED_PATH.test(ref.targetPath) ? `${prop}.targetPath: Invalid value: "${ref.targetPath}": must be a dotted path of value keys, e.g. "secrets.dbPassword"` : undefined,
    ref.keys !== undefined && ref.kind !== 'Secret' ? `${prop}.keys: only a Secret's value paths are declared (a ConfigMap is read as it is): drop keys` : undefined,
    ...(ref.keys ?? []).filter((k) => !DOTTED_PATH.test(k)).map((k) => `${prop}.keys: Invalid value: "${k}": must be a dotted path of keys, e.g. "secrets.dbPassword"`),
  ];
}

function valuesFromSpec(ref: HelmReleaseValuesFrom) {
  return {
    kind: ref.kind === 'Secret' ? HelmReleaseSpecValuesFromKind.SECRET : HelmReleaseSpecValuesFromKind.CONFIG_MAP,
    name: ref.name,
    ...(ref.valuesKey ? { valuesKey: ref.valuesKey } : {}),
    ...(ref.targetPath ? { targetPath: ref.targetPath } : {}),
    ...(ref.optional ? { optional: true } : {}),
  };
}

function installSpec(options: ReleaseActionOptions | undefined, retries: number): HelmReleaseSpecInstall {
  if (options?.strategy === ReleaseFailureStrategy.RETRY_ON_FAILURE) {
    return { strategy: { name: HelmReleaseSpecInstallStrategyName.RETRY_ON_FAILURE, ...(options.retryInterval ? { retryInterval: options.retryInterval } : {}) } };
  }
  return { remediation: { retries } };
}

function upgradeSpec(options: ReleaseActionOptions | undefined, retries: number): HelmReleaseSpecUpgrade {
  if (options?.strategy === ReleaseFailureStrategy.RETRY_ON_FAILURE) {
    return { cleanupOnFail: true, strategy: { name: HelmReleaseSpecUpgradeStrategyName.RETRY_ON_FAILURE, ...(options.retryInterval ? { retryInterval: options.retryInterval } : {}) } };
  }
  return { cleanupOnFail: true, remediation: { retries, remediateLastFailure: true } };
}
