import { Construct } from 'constructs';
import { PropProblems } from '../props/prop-problems';
import { dnsLabelProblem, dnsSubdomainProblem, originProblem } from '../props/prop-rules';
import {
  IngressRoute,
  IngressRouteSpecRoutesKind,
  IngressRouteSpecRoutesServicesPort,
} from '../../imports/traefik.io';

/**
 * The Traefik entry point only the tunnel reaches: a port of Traefik's pods
 * published on a ClusterIP Service of its own (`traefik-tunnel`), never on the
 * LoadBalancer the LAN reaches. k3s's Traefik gets it from the HelmChartConfig
 * in the README (Bootstrap, step 1).
 */
export const TUNNEL_ENTRY_POINT = 'tunnel';

/** Port of the tunnel entry point, on Traefik's pods and on its ClusterIP Service alike. */
export const TUNNEL_ENTRY_POINT_PORT = 8100;

/** Where cloudflared reaches the tunnel entry point of k3s's Traefik (release `traefik` in kube-system). */
export const TUNNEL_ENTRY_POINT_URL = `http://traefik-tunnel.kube-system.svc.cluster.local:${TUNNEL_ENTRY_POINT_PORT}`;

/** k3s's bundled Traefik pods, which send a route's requests to the app. */
export const TRAEFIK_PODS = { namespace: 'kube-system', podLabels: { 'app.kubernetes.io/name': 'traefik' } } as const;

/** A Traefik Middleware the route passes requests through. */
export interface MiddlewareReference {
  readonly name: string;
  /**
   * Namespace of the Middleware.
   * @default - the route's namespace
   */
  readonly namespace?: string;
}

/** Options of the Traefik route, as the stack exposes them. */
export interface TraefikRouteOptions {
  /**
   * Traefik entry points the route listens on. The default is reached only
   * through the tunnel; `web` (k3s's plain HTTP port) serves the whole LAN.
   * @default ['tunnel'] (TUNNEL_ENTRY_POINT)
   */
  readonly entryPoints?: readonly string[];

  /**
   * URL at which cloudflared reaches the route's entry point: the tunnel sends
   * every request there, so the route's middlewares apply to it.
   * @default - TUNNEL_ENTRY_POINT_URL (Traefik's `traefik-tunnel` Service in
   * kube-system) when the entry points include `tunnel`; else required with a tunnel
   */
  readonly tunnelOrigin?: string;

  /**
   * Middlewares applied in order, e.g. an auth forwarder.
   * @default - none
   */
  readonly middlewares?: readonly MiddlewareReference[];
}

export interface TraefikRouteProps extends TraefikRouteOptions {
  /** Host the route matches. */
  readonly hostname: string;

  /** Namespace of the IngressRoute and of the Service. */
  readonly namespace: string;

  /** Service the route sends requests to. */
  readonly serviceName: string;

  /** Service port. */
  readonly servicePort: number;

  /**
   * Name of the IngressRoute.
   * @default - the service name
   */
  readonly name?: string;

  /**
   * Labels on the object.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

/** A Traefik IngressRoute (traefik.io/v1alpha1): Host(`<hostname>`) → one Service port. */
export class TraefikRoute extends Construct {
  public readonly name: string;
  /** Where the tunnel sends the route's requests, when known. */
  public readonly tunnelOrigin?: string;

  public constructor(scope: Construct, id: string, props: TraefikRouteProps) {
    super(scope, id);
    const entryPoints = props.entryPoints ?? [TUNNEL_ENTRY_POINT];
    const problems = new PropProblems(`TraefikRoute ${this.node.path}`);
    if (entryPoints.length === 0) problems.add('route.entryPoints is empty: name at least one Traefik entry point, e.g. ["web"], or turn the route off with route: false');
    entryPoints.forEach((e, i) => problems.add(/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(e) ? undefined : `route.entryPoints[${i}]: Invalid value: "${e}": a Traefik entry point name, e.g. "web" or "websecure"`));
    (props.middlewares ?? []).forEach((m, i) => problems.add(
      dnsSubdomainProblem(`route.middlewares[${i}].name`, m.name),
      m.namespace === undefined ? undefined : dnsLabelProblem(`route.middlewares[${i}].namespace`, m.namespace),
    ));
    if (props.tunnelOrigin !== undefined) problems.add(originProblem('route.tunnelOrigin', props.tunnelOrigin));
    problems.throwIfAny();
    this.name = props.name ?? props.serviceName;
    this.tunnelOrigin = props.tunnelOrigin ?? (entryPoints.includes(TUNNEL_ENTRY_POINT) ? TUNNEL_ENTRY_POINT_URL : undefined);
    const middlewares = (props.middlewares ?? []).map((m) => ({ name: m.name, namespace: m.namespace ?? props.namespace }));
    new IngressRoute(this, 'Resource', {
      metadata: { name: this.name, namespace: props.namespace, labels: props.labels },
      spec: {
        entryPoints: [...entryPoints],
        routes: [{
          kind: IngressRouteSpecRoutesKind.RULE,
          match: `Host(\`${props.hostname}\`)`,
          ...(middlewares.length ? { middlewares } : {}),
          services: [{ name: props.serviceName, namespace: props.namespace, port: IngressRouteSpecRoutesServicesPort.fromNumber(props.servicePort) }],
        }],
      },
    });
  }
}
