import { Construct } from 'constructs';
import { HelmRepository as HelmRepositoryL1, HelmRepositorySpecType } from '../../imports/helmrepository-source.toolkit.fluxcd.io';
import { PropProblems } from '../props/prop-problems';
import { authProblems, authSpec, ChartSourceKind, IChartSource, insecureAnnotations, SourceAuthOptions, urlSchemeProblem } from './chart-source';

/** A HelmRepository that releases can install charts from. */
export interface IHelmRepository extends IChartSource {
  readonly url: string;
}

export interface HelmRepositoryProps extends SourceAuthOptions {
  /** Chart repository URL: `https://…` for an index, `oci://…` for a registry (then `type: oci`). */
  readonly url: string;

  /** Namespace of the HelmRepository object. */
  readonly namespace: string;

  /**
   * Name of the HelmRepository object.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * How often Flux refreshes the repository index.
   * @default '1h'
   */
  readonly interval?: string;

  /**
   * Labels on the object.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

/** A Flux HelmRepository (source.toolkit.fluxcd.io/v1): an https chart index, or an OCI registry with `type: oci`. */
export class HelmRepository extends Construct implements IHelmRepository {
  public readonly kind = ChartSourceKind.HELM_REPOSITORY;
  public readonly name: string;
  public readonly namespace: string;
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: HelmRepositoryProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.url = props.url;
    const oci = props.url.startsWith('oci://');
    const problems = new PropProblems(`HelmRepository ${this.node.path}`);
    problems.add(urlSchemeProblem('url', props.url, ['https://', 'oci://'], props.allowInsecure), ...authProblems(props));
    problems.throwIfAny();
    new HelmRepositoryL1(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: props.labels, annotations: insecureAnnotations(props.allowInsecure) },
      spec: {
        url: props.url,
        interval: props.interval ?? '1h',
        ...(oci ? { type: HelmRepositorySpecType.OCI } : {}),
        ...(oci && props.allowInsecure?.trim() ? { insecure: true } : {}),
        ...authSpec(props),
      },
    });
  }
}
