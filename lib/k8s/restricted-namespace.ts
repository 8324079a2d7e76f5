import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

export interface RestrictedNamespaceProps {
  /** Namespace name. */
  readonly name: string;

  /**
   * Pod Security Standards version the labels pin (`latest` or `v1.34`, …).
   * @default 'latest'
   */
  readonly podSecurityVersion?: string;

  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

/**
 * A Namespace whose pods must meet Pod Security `restricted`: enforced, and
 * also audited and warned about, so `kubectl apply` shows a violation early.
 */
export class RestrictedNamespace extends Construct {
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    const version = props.podSecurityVersion ?? 'latest';
    const podSecurity: Record<string, string> = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      podSecurity[`pod-security.kubernetes.io/${mode}`] = 'restricted';
      podSecurity[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    // L1 rather than cdk8s-plus: its Namespace emits an empty `spec: {}`.
    new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name: props.name, labels: { ...props.labels, ...podSecurity } },
    });
  }
}
