import { Construct } from 'constructs';
import { HttpRoute } from '../../imports/gateway.networking.k8s.io';
import { PropProblems } from '../props/prop-problems';
import { dnsLabelProblem, dnsSubdomainProblem, originProblem } from '../props/prop-rules';
import { AppIngressSource } from './app-network-policies';

/** A Gateway (listener) the HTTPRoute attaches to. */
export interface GatewayReference {
  /** Name of the Gateway. */
  readonly name: string;
  /**
   * Namespace of the Gateway.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * Listener of the Gateway.
   * @default - every listener that accepts the route
   */
  readonly sectionName?: string;
}

/** Options of the Gateway API HTTPRoute, the alternative to the Traefik IngressRoute. */
export interface GatewayRouteOptions {
  /** Gateways the route attaches to. */
  readonly parentRefs: readonly GatewayReference[];

  /** URL at which cloudflared reaches the Gateway's listener (keep that listener off the LAN). */
  readonly tunnelOrigin: string;

  /**
   * The Gateway's pods, which send requests to the app (for the NetworkPolicy).
   * @default - every pod of the first Gateway's namespace
   */
  readonly from?: AppIngressSource;
}

export interface GatewayRouteProps extends GatewayRouteOptions {
  /** Name of the HTTPRoute. */
  readonly name: string;
  /** Namespace of the HTTPRoute and of the Service. */
  readonly namespace: string;
  /** Host the route matches. */
  readonly hostname: string;
  /** Service the route sends requests to. */
  readonly serviceName: string;
  /** Service port. */
  readonly servicePort: number;
}

/** A Gateway API HTTPRoute (gateway.networking.k8s.io/v1): `hostname` → one Service port. */
export class GatewayRoute extends Construct {
  public readonly name: string;
  public readonly tunnelOrigin: string;
  /** Who sends the route's requests to the app. */
  public readonly from: AppIngressSource;

  public constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, id);
    const problems = new PropProblems(`GatewayRoute ${this.node.path}`);
    if (props.parentRefs.length === 0) problems.add('httpRoute.parentRefs is empty: name the Gateway the route attaches to, e.g. [{ name: "internal", namespace: "gateway" }]');
    props.parentRefs.forEach((ref, i) => problems.add(
      dnsSubdomainProblem(`httpRoute.parentRefs[${i}].name`, ref.name),
      ref.namespace === undefined ? undefined : dnsLabelProblem(`httpRoute.parentRefs[${i}].namespace`, ref.namespace),
    ));
    problems.add(originProblem('httpRoute.tunnelOrigin', props.tunnelOrigin));
    problems.throwIfAny();
    this.name = props.name;
    this.tunnelOrigin = props.tunnelOrigin;
    this.from = props.from ?? { namespace: props.parentRefs[0].namespace ?? props.namespace };
    new HttpRoute(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        parentRefs: props.parentRefs.map((ref) => ({ name: ref.name, namespace: ref.namespace, sectionName: ref.sectionName })),
        hostnames: [props.hostname],
        rules: [{ backendRefs: [{ name: props.serviceName, port: props.servicePort }] }],
      },
    });
  }
}
