// Where objects land and how they are reached: apps stay out of the system
// namespaces, and reach the network only through the tunnel (or a route
// Traefik serves), never through a node port, a load balancer or an Ingress.
import { objectAt } from '../json';
import { ManifestObject } from './finding';

/** Namespaces that belong to Kubernetes and to Flux, with why an app must stay out. */
export const SYSTEM_NAMESPACES: Readonly<Record<string, string>> = {
  'kube-system': "holds the control plane's own workloads",
  'kube-public': 'is readable by everyone, signed in or not',
  'kube-node-lease': "holds the nodes' heartbeats",
  default: 'is where everything without a namespace lands',
  'flux-system': "holds Flux and its credentials; an app there can use Flux's identities",
};

const isFluxToolkit = (obj: ManifestObject) => /\.toolkit\.fluxcd\.io\//.test(obj.apiVersion);

/** Problems with where an object lands. */
export function namespaceViolations(obj: ManifestObject): string[] | undefined {
  if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') {
    const name = String(obj.metadata.name);
    return SYSTEM_NAMESPACES[name] ? [`Namespace ${name} ${SYSTEM_NAMESPACES[name]}: an app must not manage it (its labels would change the whole namespace); give the app its own namespace`] : [];
  }
  const namespace = obj.metadata.namespace;
  if (typeof namespace !== 'string' || SYSTEM_NAMESPACES[namespace] === undefined) return undefined;
  // Flux's own objects (Kustomizations, sources) live in flux-system by design.
  if (namespace === 'flux-system' && isFluxToolkit(obj)) return [];
  return [`is in namespace ${namespace}, which ${SYSTEM_NAMESPACES[namespace]}: put the app in a namespace of its own`];
}

/** Problems with how an object is reached from outside the cluster. */
export function exposureViolations(obj: ManifestObject): string[] | undefined {
  if (obj.kind === 'Service' && obj.apiVersion === 'v1') {
    const type = objectAt(obj, 'spec').type;
    if (type === 'NodePort' || type === 'LoadBalancer') {
      return [`spec.type ${String(type)} opens the app on ${type === 'NodePort' ? 'a port of every node' : 'a load-balancer address'}, around the tunnel: use ClusterIP, or annotate the Service flux-helm-apps/allow-exposure with the reason`];
    }
    return [];
  }
  if (obj.kind === 'Ingress' && obj.apiVersion.startsWith('networking.k8s.io/')) {
    return ['an Ingress publishes the app through the ingress controller, around the tunnel (and usually without authentication): remove it (for Headlamp: values.ingress.enabled false), or annotate it flux-helm-apps/allow-exposure with the reason'];
  }
  return undefined;
}
