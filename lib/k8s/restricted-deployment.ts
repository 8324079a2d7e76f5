import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

export interface RestrictedDeploymentProps extends Omit<kplus.DeploymentProps, 'select' | 'podMetadata'> {
  /** Labels that select the pods; also set on the pod template. */
  readonly selectorLabels: { readonly [key: string]: string };

  /**
   * Spread the replicas over nodes (`kubernetes.io/hostname`), best effort so a
   * one-node homelab still schedules them all.
   * @default true
   */
  readonly spreadOverNodes?: boolean;
}

/**
 * A cdk8s-plus Deployment finished for Pod Security `restricted` and for
 * hand-written-looking output. cdk8s-plus-27 cannot express some of it, so
 * this adds, by JSON patch: seccomp `RuntimeDefault` on the pod, `drop: [ALL]`
 * capabilities on every container (the enum has no ALL), a hostname topology
 * spread, and it removes the hashed `cdk8s.io/metadata.addr` pod label in
 * favour of the given selector labels.
 */
export class RestrictedDeployment extends kplus.Deployment {
  private readonly patchContainers?: boolean;

  public constructor(scope: Construct, id: string, props: RestrictedDeploymentProps) {
    super(scope, id, {
      ...props,
      metadata: { ...props.metadata, labels: { ...props.selectorLabels, ...props.metadata?.labels } },
      select: false,
      podMetadata: { labels: { ...props.selectorLabels } },
    });
    this.select(kplus.LabelSelector.of({ labels: { ...props.selectorLabels } }));
    const patches = [
      JsonPatch.remove(`/spec/template/metadata/labels/${escapePointer(kplus.Pod.ADDRESS_LABEL)}`),
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    ];
    if (props.spreadOverNodes ?? true) {
      patches.push(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [{
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { ...props.selectorLabels } },
      }]));
    }
    ApiObject.of(this).addJsonPatch(...patches);
    this.containers.forEach((_, i) => this.dropAllCapabilities('containers', i));
    this.initContainers.forEach((_, i) => this.dropAllCapabilities('initContainers', i));
    this.patchContainers = true;
  }

  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    const container = super.addContainer(cont);
    if (this.patchContainers) this.dropAllCapabilities('containers', this.containers.length - 1);
    return container;
  }

  public addInitContainer(cont: kplus.ContainerProps): kplus.Container {
    const container = super.addInitContainer(cont);
    if (this.patchContainers) this.dropAllCapabilities('initContainers', this.initContainers.length - 1);
    return container;
  }

  private dropAllCapabilities(list: 'containers' | 'initContainers', index: number): void {
    ApiObject.of(this).addJsonPatch(JsonPatch.add(`/spec/template/spec/${list}/${index}/securityContext/capabilities`, { drop: ['ALL'] }));
  }
}

/** Escapes a key for a JSON pointer (RFC 6901). */
function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Sets ephemeral-storage request and limit on the first container: cdk8s-plus-27
 * takes only whole GiB. The patch runs before the L1 object maps resource
 * quantities, so the values are Quantity objects, as that mapping expects.
 */
export function boundEphemeralStorage(deployment: kplus.Deployment, request: string, limit: string): void {
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/resources/requests/ephemeral-storage', k8s.Quantity.fromString(request)),
    JsonPatch.add('/spec/template/spec/containers/0/resources/limits/ephemeral-storage', k8s.Quantity.fromString(limit)),
  );
}
