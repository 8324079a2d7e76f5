import { Construct } from 'constructs';
import { HelmRepository as HelmRepositoryL1, HelmRepositorySpecType } from '../../imports/helmrepository-source.toolkit.fluxcd.io';
import { IFluxSource } from './flux-source';

/** A HelmRepository that releases can install charts from. */
export interface IHelmRepository extends IFluxSource {
  readonly url: string;
}

export interface HelmRepositoryProps {
  /** Chart repository URL: `https://…` for an index, `oci://…` for a registry. */
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

/** A Flux HelmRepository (source.toolkit.fluxcd.io/v1). */
export class HelmRepository extends Construct implements IHelmRepository {
  public readonly kind = 'HelmRepository';
  public readonly name: string;
  public readonly namespace: string;
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: HelmRepositoryProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.url = props.url;
    const oci = props.url.startsWith('oci://');
    if (!oci && !props.url.startsWith('https://')) {
      throw new Error(`helm repository url "${props.url}" must start with https:// or oci://; plain http is refused because the chart would travel unauthenticated`);
    }
    new HelmRepositoryL1(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: props.labels },
      spec: {
        url: props.url,
        interval: props.interval ?? '1h',
        ...(oci ? { type: HelmRepositorySpecType.OCI } : {}),
      },
    });
  }
}
