// Headlamp's Helm release view and service proxy (`-enable-helm`): what its
// ServiceAccount needs, granted namespace by namespace through Roles that
// carry the reason the RBAC check accepts them with.
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ALLOW_HELM_RELEASES_ANNOTATION, ALLOW_HELM_WRITE_ANNOTATION, HELM_RELEASE_GRANTS } from '../../policy/rbac-policy';
import { PropProblems } from '../../props/prop-problems';
import { dnsLabelProblem } from '../../props/prop-rules';
import { SYSTEM_NAMESPACES } from '../../policy/placement-policy';

/** Options of the Helm release view. */
export interface HeadlampHelmOptions {
  /**
   * Namespaces whose Helm releases the dashboard shows and whose Services it
   * may proxy to. Each gets a Role and a RoleBinding; nothing is cluster-wide.
   */
  readonly namespaces: readonly string[];

  /**
   * Why the dashboard may also install, upgrade and uninstall releases there
   * (create, update and delete on Secrets); without it, the view is read-only.
   * @default - read-only
   */
  readonly write?: string;
}

export interface HeadlampHelmAccessProps extends HeadlampHelmOptions {
  /** Namespace of Headlamp's ServiceAccount. */
  readonly namespace: string;
  /** Headlamp's ServiceAccount. */
  readonly serviceAccountName: string;
  /** Name of each Role and RoleBinding. */
  readonly name: string;
}

/** Reason recorded on each Role, which the RBAC check prints when it accepts the grant. */
const REASON = 'Headlamp -enable-helm (HeadlampStack helm.namespaces): the Helm view reads the release Secrets of this namespace, the service proxy its Services';

/**
 * In each listed namespace, a Role with what the Helm view and the service
 * proxy need (Secrets get/list, Services get/list, `services/proxy` for every
 * HTTP method; Secret writes only with `write`), bound to Headlamp's ServiceAccount.
 */
export class HeadlampHelmAccess extends Construct {
  public constructor(scope: Construct, id: string, props: HeadlampHelmAccessProps) {
    super(scope, id);
    const problems = new PropProblems(`HeadlampHelmAccess ${this.node.path}`);
    if (props.namespaces.length === 0) problems.add('helm.namespaces is empty: name the namespaces whose releases the dashboard may show, e.g. ["apps"], or leave helm out');
    props.namespaces.forEach((ns, i) => {
      problems.add(dnsLabelProblem(`helm.namespaces[${i}]`, ns));
      if (SYSTEM_NAMESPACES[ns]) problems.add(`helm.namespaces[${i}]: Invalid value: "${ns}": that namespace ${SYSTEM_NAMESPACES[ns]}, and its Secrets are not a dashboard's to read: list the namespaces of your own releases`);
    });
    if (new Set(props.namespaces).size !== props.namespaces.length) problems.add(`helm.namespaces lists a namespace twice: ${JSON.stringify(props.namespaces)}`);
    if (props.write !== undefined && props.write.trim() === '') problems.add('helm.write is empty: give the reason the dashboard may install, upgrade and uninstall releases, or leave it out');
    problems.throwIfAny();
    const write = props.write?.trim();
    const annotations = { [ALLOW_HELM_RELEASES_ANNOTATION]: REASON, ...(write ? { [ALLOW_HELM_WRITE_ANNOTATION]: write } : {}) };
    const rule = (resource: string, verbs: readonly string[]) => ({ apiGroups: [''], resources: [resource], verbs: [...verbs] });
    for (const namespace of props.namespaces) {
      new k8s.KubeRole(this, `Role-${namespace}`, {
        metadata: { name: props.name, namespace, annotations },
        rules: [
          rule('secrets', write ? [...HELM_RELEASE_GRANTS.secrets, 'create', 'update', 'delete'] : HELM_RELEASE_GRANTS.secrets),
          rule('services', HELM_RELEASE_GRANTS.services),
          rule('services/proxy', HELM_RELEASE_GRANTS['services/proxy']),
        ],
      });
      new k8s.KubeRoleBinding(this, `Binding-${namespace}`, {
        metadata: { name: props.name, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
        subjects: [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.namespace }],
      });
    }
  }
}
