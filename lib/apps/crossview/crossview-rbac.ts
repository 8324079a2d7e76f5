import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** Crossplane's aggregated read-only ClusterRole: its RBAC manager adds every installed XRD's and provider's kinds to it (no core Secrets). */
export const CROSSPLANE_VIEW_ROLE = 'crossplane-view';

/** The core objects Crossview shows beside Crossplane's, read-only; Secrets and ConfigMaps are left out on purpose. */
export const CROSSVIEW_CORE_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['namespaces', 'pods', 'services', 'events', 'nodes', 'persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
  // Crossview finds composite and managed resource kinds through their CRDs.
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
];

export interface CrossviewRbacProps {
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** The chart's ServiceAccount. */
  readonly serviceAccount: string;
  /** Prefix of the objects' names (the app's name). */
  readonly name: string;
}

/**
 * Least privilege for Crossview, instead of the chart's ClusterRole that reads
 * `*`/`*` (Secrets included): a binding to Crossplane's aggregated
 * `crossplane-view` for everything Crossplane defines (it grows with each
 * provider and XRD, and holds no Secrets), and a small ClusterRole for the core
 * objects Crossview shows.
 */
export class CrossviewRbac extends Construct {
  /** Name of the core read ClusterRole. */
  public readonly coreRoleName: string;

  public constructor(scope: Construct, id: string, props: CrossviewRbacProps) {
    super(scope, id);
    this.coreRoleName = `${props.name}-core-read`;
    const subjects = [{ kind: 'ServiceAccount', name: props.serviceAccount, namespace: props.namespace }];
    new k8s.KubeClusterRole(this, 'CoreRead', { metadata: { name: this.coreRoleName }, rules: [...CROSSVIEW_CORE_RULES] });
    new k8s.KubeClusterRoleBinding(this, 'CoreReadBinding', {
      metadata: { name: this.coreRoleName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.coreRoleName },
      subjects,
    });
    new k8s.KubeClusterRoleBinding(this, 'CrossplaneViewBinding', {
      metadata: { name: `${props.name}-${CROSSPLANE_VIEW_ROLE}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CROSSPLANE_VIEW_ROLE },
      subjects,
    });
  }
}
