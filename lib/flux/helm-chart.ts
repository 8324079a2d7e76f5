import { Construct } from 'constructs';
import { HelmChart as HelmChartL1, HelmChartSpecReconcileStrategy, HelmChartSpecSourceRefKind } from '../../imports/helmchart-source.toolkit.fluxcd.io';
import { CHART_NAME_ANNOTATION, CHART_VERSION_ANNOTATION } from '../charts/release-checks';
import { isExactVersion } from '../charts/version';
import { PropProblems } from '../props/prop-problems';
import { exactVersionProblem } from '../props/prop-rules';
import { CHART_FOLDER_KINDS, chartNameOf, chartPathProblem, ChartSourceKind, IChartSource } from './chart-source';

const SOURCE_KINDS: Record<string, HelmChartSpecSourceRefKind> = {
  [ChartSourceKind.HELM_REPOSITORY]: HelmChartSpecSourceRefKind.HELM_REPOSITORY,
  [ChartSourceKind.GIT_REPOSITORY]: HelmChartSpecSourceRefKind.GIT_REPOSITORY,
  [ChartSourceKind.BUCKET]: HelmChartSpecSourceRefKind.BUCKET,
};

export interface HelmChartProps {
  /** Where the chart is: a HelmRepository, GitRepository or Bucket in the same namespace. */
  readonly source: IChartSource;

  /** The chart: its name in a HelmRepository, its folder (`./charts/app`) in Git or a bucket. */
  readonly chart: string;

  /**
   * The exact chart version: the version Flux pulls from a HelmRepository; for
   * Git and buckets (where Flux takes whatever the folder holds) the version
   * the folder holds, which the checks look for as `<name>-<version>.tgz`.
   */
  readonly version: string;

  /** Namespace of the object; the source must be in it. */
  readonly namespace: string;

  /**
   * When Flux builds a new chart artifact.
   * @default 'Revision' for Git and buckets (every new commit, so a chart edited without a version bump still rolls out), 'ChartVersion' for a HelmRepository
   */
  readonly reconcileStrategy?: 'Revision' | 'ChartVersion';

  /**
   * Values files in the source, merged in order, instead of the chart's values.yaml.
   * @default - the chart's values.yaml
   */
  readonly valuesFiles?: readonly string[];

  /**
   * Name of the chart (its Chart.yaml `name`), for the checks.
   * @default - `chart`, or its folder's last segment
   */
  readonly chartName?: string;

  /**
   * Name of the object.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * How often Flux checks the source for a new chart.
   * @default '10m'
   */
  readonly interval?: string;
}

/**
 * A Flux HelmChart (source.toolkit.fluxcd.io/v1): a chart built from a source
 * as an object of its own, which a release takes with `chartRef`. For Git and
 * buckets it rebuilds on every revision.
 */
export class HelmChart extends Construct implements IChartSource {
  public readonly kind = ChartSourceKind.HELM_CHART;
  public readonly name: string;
  public readonly namespace: string;
  public readonly chartName: string;
  public readonly chartVersion: string;

  public constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.chartName = props.chartName ?? chartNameOf(props.chart);
    this.chartVersion = props.version;
    const sourceKind = SOURCE_KINDS[props.source.kind];
    const problems = new PropProblems(`HelmChart ${this.node.path}`);
    if (!sourceKind) problems.add(`source: unknown chart source kind "${props.source.kind}": a HelmChart builds from one of ${Object.keys(SOURCE_KINDS).join(', ')}`);
    else problems.add(chartPathProblem('chart', props.source.kind, props.chart));
    problems.add(exactVersionProblem('version', props.version));
    if (props.source.namespace !== props.namespace) problems.add(`source: ${props.source.kind} ${props.source.namespace}/${props.source.name} is not in the HelmChart's namespace "${props.namespace}": Flux reads sources of a HelmChart in its own namespace only`);
    problems.throwIfAny();
    const folder = CHART_FOLDER_KINDS.includes(props.source.kind);
    const strategy = props.reconcileStrategy ?? (folder ? 'Revision' : 'ChartVersion');
    new HelmChartL1(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        // A folder in Git has no version Flux reads; the checks need the one it holds.
        ...(folder && isExactVersion(props.version) ? { annotations: { [CHART_NAME_ANNOTATION]: this.chartName, [CHART_VERSION_ANNOTATION]: props.version } } : {}),
      },
      spec: {
        chart: props.chart,
        interval: props.interval ?? '10m',
        sourceRef: { kind: sourceKind, name: props.source.name },
        reconcileStrategy: strategy === 'Revision' ? HelmChartSpecReconcileStrategy.REVISION : HelmChartSpecReconcileStrategy.CHART_VERSION,
        ...(folder ? {} : { version: props.version }),
        ...(props.valuesFiles?.length ? { valuesFiles: [...props.valuesFiles] } : {}),
      },
    });
  }
}
