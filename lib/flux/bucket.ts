import { Construct } from 'constructs';
import { Bucket as BucketL1, BucketSpecProvider } from '../../imports/bucket-source.toolkit.fluxcd.io';
import { PropProblems } from '../props/prop-problems';
import { authProblems, authSpec, ChartSourceKind, IChartSource, insecureAnnotations, SourceAuthOptions } from './chart-source';

export interface BucketProps extends SourceAuthOptions {
  /** Name of the bucket. */
  readonly bucketName: string;

  /** Host (and port) of the S3-compatible endpoint, without scheme, e.g. `minio.example.net:9000`. */
  readonly endpoint: string;

  /** Namespace of the object. */
  readonly namespace: string;

  /**
   * Storage provider, for cloud workload identity.
   * @default 'generic' (any S3-compatible storage, keys in the `secretName` Secret)
   */
  readonly provider?: 'generic' | 'aws' | 'gcp' | 'azure';

  /**
   * Only objects under this prefix.
   * @default - the whole bucket
   */
  readonly prefix?: string;

  /**
   * Name of the object.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * How often Flux lists the bucket.
   * @default '10m'
   */
  readonly interval?: string;

  /**
   * Labels on the object.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

const PROVIDERS: Record<string, BucketSpecProvider> = {
  generic: BucketSpecProvider.GENERIC, aws: BucketSpecProvider.AWS, gcp: BucketSpecProvider.GCP, azure: BucketSpecProvider.AZURE,
};

/** A Flux Bucket (source.toolkit.fluxcd.io/v1) as a chart source: a release names the chart's folder, as with Git. */
export class Bucket extends Construct implements IChartSource {
  public readonly kind = ChartSourceKind.BUCKET;
  public readonly name: string;
  public readonly namespace: string;

  public constructor(scope: Construct, id: string, props: BucketProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    const problems = new PropProblems(`Bucket ${this.node.path}`);
    problems.add(...authProblems(props));
    if (/^[a-z]+:\/\//i.test(props.endpoint)) {
      problems.add(`endpoint: Invalid value: "${props.endpoint}": give the host (and port) without a scheme; Flux uses TLS unless allowInsecure gives the reason for plain HTTP`);
    }
    problems.throwIfAny();
    new BucketL1(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: props.labels, annotations: insecureAnnotations(props.allowInsecure) },
      spec: {
        bucketName: props.bucketName,
        endpoint: props.endpoint,
        interval: props.interval ?? '10m',
        provider: PROVIDERS[props.provider ?? 'generic'],
        ...(props.prefix === undefined ? {} : { prefix: props.prefix }),
        ...(props.allowInsecure?.trim() ? { insecure: true } : {}),
        ...authSpec(props),
      },
    });
  }
}
