import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HelmRelease as HelmReleaseL1,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecDriftDetectionMode,
  HelmReleaseSpecValuesFromKind,
} from '../../imports/helm.toolkit.fluxcd.io';
import { ALLOW_VERSION_RANGE_ANNOTATION } from '../charts/release-checks';
import { PropProblems } from '../props/prop-problems';
import { countProblem, dnsSubdomainProblem, exactVersionProblem } from '../props/prop-rules';
import { isExactVersion } from '../charts/version';
import { hasNull, JsonObject, sortedKeys } from '../json';
import { IHelmRepository } from './helm-repository';

/** Values a release reads from a ConfigMap or Secret in its namespace, merged in order before `values`. */
export interface HelmReleaseValuesFrom {
  readonly kind: 'ConfigMap' | 'Secret';
  /** Name of the ConfigMap or Secret. */
  readonly name: string;
  /**
   * The key holding the values.
   * @default 'values.yaml'
   */
  readonly valuesKey?: string;
  /**
   * Dotted path the key's value is set at (e.g. `auth.password`), instead of merging it as a values document.
   * @default - the key is a YAML document merged at the root
   */
  readonly targetPath?: string;
  /**
   * Whether a missing ConfigMap or Secret (or key) is ignored.
   * @default false
   */
  readonly optional?: boolean;
}

export interface HelmReleaseProps {
  /** Repository the chart comes from. */
  readonly repository: IHelmRepository;

  /** Chart name in the repository. */
  readonly chart: string;

  /** Exact chart version, e.g. `0.45.0`; ranges are refused so every upgrade is a reviewed commit. */
  readonly version: string;

  /**
   * Why `version` may be a range. With a reason a range is accepted, recorded
   * on the object and reported as a warning on every synth.
   * @default - only exact versions are accepted
   */
  readonly allowVersionRange?: string;

  /** Namespace of the HelmRelease and of what it installs. */
  readonly namespace: string;

  /**
   * Name of the HelmRelease, also the Helm release name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Chart values.
   * @default - the chart's defaults
   */
  readonly values?: JsonObject;

  /**
   * ConfigMaps and Secrets whose values are merged, in order, under `values`.
   * @default - none
   */
  readonly valuesFrom?: readonly HelmReleaseValuesFrom[];

  /**
   * How often Flux reconciles the release.
   * @default '30m'
   */
  readonly interval?: string;

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

/**
 * A Flux HelmRelease (helm.toolkit.fluxcd.io/v2) pinned to one chart version,
 * with remediation so a failed release rolls back instead of getting stuck,
 * and drift detection so in-cluster edits are reverted.
 */
export class HelmRelease extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly version: string;

  public constructor(scope: Construct, id: string, props: HelmReleaseProps) {
    super(scope, id);
    const rangeReason = props.allowVersionRange?.trim();
    const retries = props.retries ?? 3;
    const problems = new PropProblems(`HelmRelease ${this.node.path}`);
    problems.add(exactVersionProblem('version', props.version, rangeReason), countProblem('retries', retries, 0));
    for (const [i, from] of (props.valuesFrom ?? []).entries()) {
      problems.add(dnsSubdomainProblem(`valuesFrom[${i}].name`, from.name));
      if (from.targetPath !== undefined && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(from.targetPath)) {
        problems.add(`valuesFrom[${i}].targetPath: Invalid value: "${from.targetPath}": must be a dotted path of value keys, e.g. "auth.password"`);
      }
    }
    problems.throwIfAny();
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.version = props.version;
    const resource = new HelmReleaseL1(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: props.labels,
        annotations: rangeReason && !isExactVersion(props.version) ? { ...props.annotations, [ALLOW_VERSION_RANGE_ANNOTATION]: rangeReason } : props.annotations,
      },
      spec: {
        interval: props.interval ?? '30m',
        timeout: props.timeout ?? '5m',
        chart: {
          spec: {
            chart: props.chart,
            version: props.version,
            sourceRef: {
              kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY,
              name: props.repository.name,
              namespace: props.repository.namespace,
            },
          },
        },
        install: { remediation: { retries } },
        upgrade: { cleanupOnFail: true, remediation: { retries, remediateLastFailure: true } },
        driftDetection: { mode: HelmReleaseSpecDriftDetectionMode.ENABLED },
        ...(props.valuesFrom?.length ? {
          valuesFrom: props.valuesFrom.map((v) => ({
            kind: v.kind === 'Secret' ? HelmReleaseSpecValuesFromKind.SECRET : HelmReleaseSpecValuesFromKind.CONFIG_MAP,
            name: v.name,
            valuesKey: v.valuesKey,
            targetPath: v.targetPath,
            optional: v.optional,
          })),
        } : {}),
        values: props.values,
      },
    });
    // cdk8s drops every null when it serializes an object, but to Helm a null
    // value removes the chart's default for that key: put the values back whole.
    if (props.values !== undefined && hasNull(props.values)) {
      ApiObject.of(resource).addJsonPatch(JsonPatch.replace('/spec/values', sortedKeys(props.values)));
    }
  }
}
