import { Construct } from 'constructs';
import { HelmRelease } from '../flux/helm-release';
import { IHelmRepository } from '../flux/helm-repository';
import { at, isJsonObject, JsonObject, mergeValues } from '../values';
import { hardenedValues } from './hardened-values';
import { IHeadlampService } from './headlamp-service';
import { ALLOW_IMAGE_TAG_ANNOTATION } from './release-check';

export interface HeadlampReleaseProps {
  /** Repository serving the Headlamp chart. */
  readonly repository: IHelmRepository;

  /** Exact chart version. */
  readonly chartVersion: string;

  /** Namespace Headlamp runs in. */
  readonly namespace: string;

  /**
   * Release name.
   * @default 'headlamp'
   */
  readonly name?: string;

  /**
   * Chart values deep-merged over the hardened defaults (maps merge, lists and scalars replace).
   * @default - the hardened defaults alone
   */
  readonly values?: JsonObject;

  /**
   * Labels on the HelmRelease.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };

  /**
   * Why `values.image.tag` may pin the image apart from the chart (recorded on
   * the HelmRelease, warned about on every synth).
   * @default - a set image.tag is refused at synth
   */
  readonly allowImageTag?: string;

  /**
   * Why `chartVersion` may be a range (see HelmRelease).
   * @default - only exact versions are accepted
   */
  readonly allowVersionRange?: string;
}

function stringAt(values: JsonObject, ...path: string[]): string | undefined {
  const node = at(values, ...path);
  return typeof node === 'string' && node !== '' ? node : undefined;
}

/**
 * The Headlamp chart installed by Flux with hardened values. Its final values
 * are checked against the pinned chart on every synth (see checkHeadlampValues).
 */
export class HeadlampRelease extends Construct implements IHeadlampService {
  public readonly release: HelmRelease;
  /** The values Flux hands to Helm: hardened defaults with the user's values merged over them. */
  public readonly values: JsonObject;
  public readonly serviceName: string;
  public readonly servicePort: number;

  public constructor(scope: Construct, id: string, props: HeadlampReleaseProps) {
    super(scope, id);
    const name = props.name ?? 'headlamp';
    this.values = mergeValues(hardenedValues(), props.values ?? {});
    this.release = new HelmRelease(this, 'Release', {
      name,
      namespace: props.namespace,
      repository: props.repository,
      chart: 'headlamp',
      version: props.chartVersion,
      values: this.values,
      labels: props.labels,
      allowVersionRange: props.allowVersionRange,
      annotations: props.allowImageTag?.trim() ? { [ALLOW_IMAGE_TAG_ANNOTATION]: props.allowImageTag.trim() } : undefined,
    });
    this.serviceName = chartFullname(name, this.values);
    const port = isJsonObject(this.values.service) ? this.values.service.port : undefined;
    if (typeof port !== 'number') {
      throw new Error(`values.service.port ${JSON.stringify(port)} must be a port number, e.g. 80`);
    }
    this.servicePort = port;
  }
}

/** The chart's `headlamp.fullname`: the name of its Service and Deployment. */
function chartFullname(release: string, values: JsonObject): string {
  const override = stringAt(values, 'fullnameOverride');
  const name = override ?? (() => {
    const chart = stringAt(values, 'nameOverride') ?? 'headlamp';
    return release.includes(chart) ? release : `${release}-${chart}`;
  })();
  return name.slice(0, 63).replace(/-+$/, '');
}
