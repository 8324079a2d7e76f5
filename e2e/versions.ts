// Every component the end-to-end run builds, pinned. The build cache is keyed by these
// versions (see build.ts): changing one rebuilds that component only.

/** Kubernetes control plane (kube-apiserver, kube-controller-manager, kube-scheduler). */
export const KUBERNETES_VERSION = 'v1.34.10';
/** The published k8s.io/* staging modules that match KUBERNETES_VERSION. */
export const KUBERNETES_STAGING_VERSION = 'v0.34.10';
export const ETCD_VERSION = 'v3.6.16';
export const KWOK_VERSION = 'v0.7.0';
export const SOURCE_CONTROLLER_VERSION = 'v1.9.1';
export const KUSTOMIZE_CONTROLLER_VERSION = 'v1.9.4';
export const HELM_CONTROLLER_VERSION = 'v1.6.3';
export const NOTIFICATION_CONTROLLER_VERSION = 'v1.9.3';
export const SOPS_VERSION = 'v3.13.3';
export const AGE_VERSION = 'v1.2.1';
