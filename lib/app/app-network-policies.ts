import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PropProblems } from '../props/prop-problems';
import { cidrProblem, dnsLabelProblem } from '../props/prop-rules';

/** The app's pods as its chart (or its manifests) label them, and what they need of the network. */
export interface AppPods {
  /** Labels that select the app's pods (a Deployment's selector). */
  readonly labels: { readonly [key: string]: string };

  /** Port the app's container listens on (what its Service's targetPort reaches). */
  readonly port: number;

  /**
   * Whether the app talks to the Kubernetes API server (a dashboard does).
   * @default false
   */
  readonly apiServer?: boolean;

  /**
   * Whether a PodDisruptionBudget protects the pods when there are more than
   * one; false when the chart makes its own (two budgets over one pod make every eviction fail).
   * @default true
   */
  readonly disruptionBudget?: boolean;

  /**
   * TCP ports the app reaches anywhere, e.g. 443 for a plugin installer that downloads packages.
   * @default - none
   */
  readonly egressPorts?: readonly number[];
}

/** Options of the NetworkPolicies, as the app exposes them. */
export interface NetworkPolicyOptions {
  /**
   * Namespace whose pods (Prometheus) may scrape cloudflared's metrics port.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;

  /**
   * Where the API server listens, for an app that talks to it: the
   * `kubernetes` Service is rewritten to these addresses (on k3s, the server
   * nodes' IPs, port 6443) before the policy is applied.
   * @default ['0.0.0.0/0'] on ports 443 and 6443
   */
  readonly apiServerCidrs?: readonly string[];

  /**
   * Traefik's pods, which send the IngressRoute's requests to the app.
   * @default - pods `app.kubernetes.io/name: traefik` in kube-system (k3s's bundled Traefik)
   */
  readonly traefik?: AppIngressSource;
}

/** Who sends requests to the app's pods. */
export interface AppIngressSource {
  /** Namespace of the senders. */
  readonly namespace: string;
  /**
   * Labels of the sending pods there.
   * @default - every pod of the namespace
   */
  readonly podLabels?: { readonly [key: string]: string };
}

export interface AppNetworkPoliciesProps extends Omit<NetworkPolicyOptions, 'traefik'> {
  /** The app's namespace: every pod there is closed to ingress but what is allowed below. */
  readonly namespace: string;

  /** Prefix of the policies' names, e.g. the app's name. */
  readonly name: string;

  /**
   * The app's pods, opened to `from` on their port; unknown pods stay closed.
   * @default - only the default deny applies to the app's pods
   */
  readonly pods?: AppPods;

  /**
   * Name of the app's Service: a tunnel origin at it is the app's pods, on their port.
   * @default - none
   */
  readonly serviceName?: string;

  /**
   * Who reaches the app's pods: Traefik, a Gateway's namespace, or the tunnel itself.
   * @default - the tunnel's pods
   */
  readonly from?: AppIngressSource;

  /**
   * The cloudflared connector: its pods, metrics port and the URL it sends requests to.
   * @default - no tunnel
   */
  readonly tunnel?: { readonly name: string; readonly labels: { readonly [key: string]: string }; readonly metricsPort: number; readonly origin: string };
}

type Peer = k8s.NetworkPolicyPeer;
type Port = k8s.NetworkPolicyPort;

const NAMESPACE_LABEL = 'kubernetes.io/metadata.name';
/** Where cluster DNS runs (CoreDNS on k3s, like kube-dns elsewhere). */
const DNS: k8s.NetworkPolicyEgressRule = {
  to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
};
/** Port of Cloudflare's tunnel edge (QUIC on UDP, HTTP/2 on TCP). */
export const CLOUDFLARE_EDGE_PORT = 7844;
const ANYWHERE: Peer = { ipBlock: { cidr: '0.0.0.0/0' } };

const tcp = (port: number): Port => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const inNamespace = (namespace: string, podLabels?: { readonly [key: string]: string }): Peer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: namespace } },
  ...(podLabels ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
});

/**
 * The peer and port behind an in-cluster URL `http://<service>.<namespace>.svc…:<port>`,
 * as a policy sees it after the Service is rewritten to its pods: the app's own
 * Service becomes its pods and their port; another Service, its namespace on the URL's port.
 */
function originPeer(origin: string, namespace: string, serviceOfPods: string | undefined, pods: AppPods | undefined): { peer: Peer; port: number } {
  const match = /^https?:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.[a-z0-9.-]+)?(?::(\d+))?$/.exec(origin);
  const port = Number(match?.[3] ?? (origin.startsWith('https:') ? 443 : 80));
  if (match === null) return { peer: ANYWHERE, port };
  const [, service, ns] = match;
  if (ns === namespace && pods && service === serviceOfPods) return { peer: { podSelector: { matchLabels: { ...pods.labels } } }, port: pods.port };
  return { peer: inNamespace(ns), port };
}

/**
 * The NetworkPolicies of one app's namespace: ingress denied by default; the
 * app's pods reached only by Traefik (or the tunnel) on their port, and
 * reaching only DNS and, if they need it, the API server; cloudflared reaching
 * only DNS, Cloudflare's edge on 7844 and its origin, and scraped only from the
 * monitoring namespace.
 */
export class AppNetworkPolicies extends Construct {
  public constructor(scope: Construct, id: string, props: AppNetworkPoliciesProps) {
    super(scope, id);
    const monitoring = props.monitoringNamespace ?? 'monitoring';
    const apiServerCidrs = props.apiServerCidrs ?? ['0.0.0.0/0'];
    const problems = new PropProblems(`AppNetworkPolicies ${this.node.path}`);
    problems.add(dnsLabelProblem('networkPolicy.monitoringNamespace', monitoring));
    if (apiServerCidrs.length === 0) problems.add('networkPolicy.apiServerCidrs is empty: name the API server\'s addresses, e.g. ["192.168.1.10/32"], or leave it out');
    apiServerCidrs.forEach((cidr, i) => problems.add(cidrProblem(`networkPolicy.apiServerCidrs[${i}]`, cidr)));
    problems.throwIfAny();
    const metadata = (name: string) => ({ name, namespace: props.namespace });

    new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: metadata('default-deny-ingress'),
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });

    const { pods, tunnel } = props;
    if (pods) {
      const from = props.from ? inNamespace(props.from.namespace, props.from.podLabels) : tunnel ? { podSelector: { matchLabels: { ...tunnel.labels } } } : undefined;
      const selector = { matchLabels: { ...pods.labels } };
      new k8s.KubeNetworkPolicy(this, 'AppIngress', {
        metadata: metadata(`${props.name}-ingress`),
        spec: { podSelector: selector, policyTypes: ['Ingress'], ingress: from ? [{ from: [from], ports: [tcp(pods.port)] }] : [] },
      });
      new k8s.KubeNetworkPolicy(this, 'AppEgress', {
        metadata: metadata(`${props.name}-egress`),
        spec: {
          podSelector: selector,
          policyTypes: ['Egress'],
          egress: [
            DNS,
            ...(pods.apiServer ? [{ to: apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(443), tcp(6443)] }] : []),
            ...(pods.egressPorts?.length ? [{ to: [ANYWHERE], ports: pods.egressPorts.map(tcp) }] : []),
          ],
        },
      });
    }

    if (tunnel) {
      const selector = { matchLabels: { ...tunnel.labels } };
      const origin = originPeer(tunnel.origin, props.namespace, props.serviceName, pods);
      new k8s.KubeNetworkPolicy(this, 'TunnelIngress', {
        metadata: metadata(`${tunnel.name}-metrics`),
        spec: { podSelector: selector, policyTypes: ['Ingress'], ingress: [{ from: [inNamespace(monitoring)], ports: [tcp(tunnel.metricsPort)] }] },
      });
      new k8s.KubeNetworkPolicy(this, 'TunnelEgress', {
        metadata: metadata(`${tunnel.name}-egress`),
        spec: {
          podSelector: selector,
          policyTypes: ['Egress'],
          egress: [
            DNS,
            { to: [ANYWHERE], ports: [tcp(CLOUDFLARE_EDGE_PORT), { protocol: 'UDP', port: k8s.IntOrString.fromNumber(CLOUDFLARE_EDGE_PORT) }] },
            { to: [origin.peer], ports: [tcp(origin.port)] },
          ],
        },
      });
    }
  }
}
