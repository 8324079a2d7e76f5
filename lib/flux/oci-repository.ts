import { Construct } from 'constructs';
import { OciRepository as OciRepositoryL1, OciRepositorySpecLayerSelectorOperation, OciRepositorySpecRef } from '../../imports/ocirepository-source.toolkit.fluxcd.io';
import { ALLOW_VERSION_RANGE_ANNOTATION } from '../charts/release-checks';
import { PropProblems } from '../props/prop-problems';
import { isExactVersion } from '../charts/version';
import { authProblems, authSpec, ChartSourceKind, IChartSource, insecureAnnotations, SourceAuthOptions } from './chart-source';

/** Media type of a Helm chart's content layer in an OCI artifact. */
export const HELM_CHART_LAYER_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/** Which artifact of an OCI repository Flux pulls: exactly one of tag, semver or digest. */
export interface OciRef {
  /**
   * An exact tag, e.g. `3.4.0` (a chart version): what Renovate bumps.
   * @default - none
   */
  readonly tag?: string;
  /**
   * A semver range, e.g. `>=3.0.0 <4.0.0`; refused unless `allowVersionRange` gives the reason.
   * @default - none
   */
  readonly semver?: string;
  /**
   * A digest, `sha256:…`: immutable. Give `chartVersion` too, so the checks know which chart it is.
   * @default - none
   */
  readonly digest?: string;
}

export interface OCIRepositoryProps extends SourceAuthOptions {
  /** The artifact's URL, `oci://<registry>/<path>` (the chart itself, not a registry prefix). */
  readonly url: string;

  /** Namespace of the object. */
  readonly namespace: string;

  /** Which artifact to pull. */
  readonly ref: OciRef;

  /**
   * Name of the chart inside the artifact (its Chart.yaml `name`), which the checks look for as `<chartName>-<version>.tgz`.
   * @default - the last segment of `url`
   */
  readonly chartName?: string;

  /**
   * The exact chart version the digest holds (required with `ref.digest`, so the checks find the chart).
   * @default - `ref.tag`
   */
  readonly chartVersion?: string;

  /**
   * Why `ref.semver` may be a range. Recorded on the object and warned about on every synth.
   * @default - only exact tags and digests are accepted
   */
  readonly allowVersionRange?: string;

  /**
   * Name of the object.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * How often Flux looks for a new artifact.
   * @default '1h'
   */
  readonly interval?: string;

  /**
   * The layer Flux extracts, and whether it extracts or copies it.
   * @default - the Helm chart layer, copied as the chart archive (what a HelmRelease's `chartRef` needs)
   */
  readonly layerSelector?: { readonly mediaType: string; readonly operation?: 'extract' | 'copy' };

  /**
   * Labels on the object.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * A Flux OCIRepository (source.toolkit.fluxcd.io/v1) holding one Helm chart,
 * what current Flux recommends for OCI charts: the release refers to it with
 * `chartRef`, and the version lives here, in `ref`.
 */
export class OCIRepository extends Construct implements IChartSource {
  public readonly kind = ChartSourceKind.OCI_REPOSITORY;
  public readonly name: string;
  public readonly namespace: string;
  public readonly url: string;
  public readonly chartName: string;
  /** The exact version pinned (tag, or the version a digest holds), or the semver range. */
  public readonly chartVersion?: string;

  public constructor(scope: Construct, id: string, props: OCIRepositoryProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.url = props.url;
    this.chartName = props.chartName ?? props.url.replace(/\/+$/, '').split('/').pop() ?? '';
    const problems = new PropProblems(`OCIRepository ${this.node.path}`);
    problems.add(...refProblems(props), ...authProblems(props));
    if (!props.url.startsWith('oci://')) {
      problems.add(`url: Invalid value: "${props.url}": must start with oci:// (for plain HTTP registries keep oci:// and set allowInsecure to the reason)`);
    }
    problems.throwIfAny();
    this.chartVersion = props.ref.tag ?? props.chartVersion ?? props.ref.semver;
    const rangeReason = props.ref.semver !== undefined ? props.allowVersionRange?.trim() : undefined;
    const ref: OciRepositorySpecRef = props.ref.digest ? { digest: props.ref.digest } : props.ref.tag ? { tag: props.ref.tag } : { semver: props.ref.semver };
    const annotations = insecureAnnotations(props.allowInsecure, rangeReason ? { [ALLOW_VERSION_RANGE_ANNOTATION]: rangeReason } : undefined);
    new OciRepositoryL1(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: props.labels, annotations },
      spec: {
        url: props.url,
        interval: props.interval ?? '1h',
        ref,
        layerSelector: {
          mediaType: props.layerSelector?.mediaType ?? HELM_CHART_LAYER_MEDIA_TYPE,
          operation: (props.layerSelector?.operation ?? 'copy') === 'copy' ? OciRepositorySpecLayerSelectorOperation.COPY : OciRepositorySpecLayerSelectorOperation.EXTRACT,
        },
        ...(props.allowInsecure?.trim() ? { insecure: true } : {}),
        ...authSpec(props),
      },
    });
  }
}

function refProblems(props: OCIRepositoryProps): (string | undefined)[] {
  const { tag, semver, digest } = props.ref;
  const set = [tag, semver, digest].filter((v) => v !== undefined).length;
  if (set !== 1) return [`ref: set exactly one of tag, semver or digest (it has ${set})`];
  if (tag !== undefined && !isExactVersion(tag)) {
    return [`ref.tag: Invalid value: "${tag}": must be an exact chart version such as "1.2.3" (no "v" prefix, no "latest"); for a range use ref.semver with allowVersionRange`];
  }
  if (semver !== undefined && !props.allowVersionRange?.trim()) {
    return [`ref.semver: Invalid value: "${semver}": a range lets upgrades bypass review; pin ref.tag to one version, or set allowVersionRange to the reason`];
  }
  if (digest !== undefined && !DIGEST.test(digest)) return [`ref.digest: Invalid value: "${digest}": must be "sha256:" and 64 hex digits`];
  if (digest !== undefined && (props.chartVersion === undefined || !isExactVersion(props.chartVersion))) {
    return [`chartVersion: Invalid value: "${props.chartVersion ?? ''}": with ref.digest, give the exact chart version the digest holds (e.g. "3.4.0"), so the checks find its chart`];
  }
  return [];
}
