import { k8s } from 'cdk8s-plus-27';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PropProblems } from '../../props/prop-problems';
import { dnsSubdomainProblem } from '../../props/prop-rules';

export interface LoginIdentityProps {
  /** Namespace of the ServiceAccount and its token Secret. */
  readonly namespace: string;

  /**
   * ServiceAccount name; the token Secret is `<name>-token`.
   * @default 'headlamp-login'
   */
  readonly name?: string;

  /**
   * ClusterRole the identity is bound to. Keep it read-only.
   * @default 'view'
   */
  readonly clusterRole?: string;

  /**
   * Labels on every object.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

/**
 * The identity a person signs in to Headlamp with: a ServiceAccount bound to
 * the read-only `view` ClusterRole and a long-lived token Secret that the
 * control plane fills in (the Secret carries no data of its own).
 */
export class LoginIdentity extends Construct {
  public readonly serviceAccountName: string;
  public readonly tokenSecretName: string;
  public readonly clusterRoleBindingName: string;
  /** The ClusterRole the identity is bound to. */
  public readonly clusterRole: string;

  public constructor(scope: Construct, id: string, props: LoginIdentityProps) {
    super(scope, id);
    const name = props.name ?? 'headlamp-login';
    const problems = new PropProblems(`LoginIdentity ${this.node.path}`);
    // The token Secret and the binding are named after the ServiceAccount, so they bound its length.
    problems.add(dnsSubdomainProblem('login.name', name), dnsSubdomainProblem('login.name (as the token Secret name)', `${name}-token`));
    problems.throwIfAny();
    const labels = { ...props.labels };
    this.serviceAccountName = name;
    this.tokenSecretName = `${name}-token`;
    this.clusterRole = props.clusterRole ?? 'view';
    this.clusterRoleBindingName = `${name}-${this.clusterRole}`;
    new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace: props.namespace, labels },
      automountToken: false,
    });
    // L1 rather than cdk8s-plus: its token Secret always emits `stringData: {}`.
    new k8s.KubeSecret(this, 'Token', {
      metadata: {
        name: this.tokenSecretName,
        namespace: props.namespace,
        labels,
        annotations: { 'kubernetes.io/service-account.name': name },
      },
      type: 'kubernetes.io/service-account-token',
    });
    new k8s.KubeClusterRoleBinding(this, 'Binding', {
      metadata: { name: this.clusterRoleBindingName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole },
      subjects: [{ kind: 'ServiceAccount', name, namespace: props.namespace }],
    });
  }
}
