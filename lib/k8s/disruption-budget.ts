import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

export interface DisruptionBudgetProps {
  /** Name of the PodDisruptionBudget. */
  readonly name: string;
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Labels that select the pods. */
  readonly selectorLabels: { readonly [key: string]: string };
  /**
   * Labels on the object.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

/**
 * A PodDisruptionBudget that lets a drain evict one pod at a time, so a
 * replicated Deployment keeps serving while a node is drained.
 */
export class DisruptionBudget extends Construct {
  public constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...props.selectorLabels } } },
    });
  }
}
