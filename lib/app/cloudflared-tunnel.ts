import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DisruptionBudget } from '../k8s/disruption-budget';
import { boundEphemeralStorage, RestrictedDeployment } from '../k8s/restricted-deployment';
import { PropProblems } from '../props/prop-problems';
import { countProblem, dnsLabelProblem, dnsSubdomainProblem, portProblem } from '../props/prop-rules';
import { ANNOTATION_PREFIX } from '../project';
import { CLOUDFLARED_VERSION } from '../versions';

/** Annotation of the connector Deployment: the hostname its `config.yaml` routes when no IngressRoute names it (read by `npm run init-secrets`). */
export const TUNNEL_HOSTNAME_ANNOTATION = `${ANNOTATION_PREFIX}tunnel-hostname`;

/** Annotation of the connector Deployment: the URL its `config.yaml` sends that hostname to. */
export const TUNNEL_ORIGIN_ANNOTATION = `${ANNOTATION_PREFIX}tunnel-origin`;

/** Where the tunnel's Secret is mounted; its `config.yaml` names `credentials.json` here. */
export const CLOUDFLARED_CONFIG_DIR = '/etc/cloudflared';

/** Options of the cloudflared tunnel, as the stack exposes them. */
export interface CloudflaredTunnelOptions {
  /**
   * Deployment name.
   * @default 'cloudflared'
   */
  readonly name?: string;

  /**
   * Number of connector replicas; two keep the tunnel up while one restarts.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Image tag of `cloudflare/cloudflared`: a dated release, never `latest`.
   * @default - the pinned CLOUDFLARED_VERSION
   */
  readonly version?: string;

  /**
   * Secret holding `config.yaml` and `credentials.json`. Create it yourself
   * (SOPS-encrypted): it is a credential and is never generated.
   * @default 'cloudflared-tunnel'
   */
  readonly secretName?: string;

  /**
   * Port of the metrics server that also answers `/ready`.
   * @default 2000
   */
  readonly metricsPort?: number;
}

export interface CloudflaredTunnelProps extends CloudflaredTunnelOptions {
  /** Namespace of the Deployment and the Secret. */
  readonly namespace: string;

  /**
   * Labels on the Deployment.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };

  /**
   * In-cluster URL the tunnel sends its hostname to, recorded on the Deployment for the Secret's `config.yaml`.
   * @default - not recorded
   */
  readonly origin?: string;

  /**
   * Public hostname the tunnel serves, recorded likewise when no route names it.
   * @default - not recorded
   */
  readonly hostname?: string;
}

/**
 * A cloudflared connector Deployment that runs a locally-managed tunnel from the
 * mounted config. Hardened for Pod Security `restricted`: uid/gid 65532, read-only
 * root filesystem, no service account token, config mounted read-only with mode 0400.
 */
export class CloudflaredTunnel extends Construct {
  public readonly name: string;
  public readonly secretName: string;
  public readonly image: string;
  /** Labels that select the connector's pods. */
  public readonly selectorLabels: { readonly [key: string]: string };
  /** Port of its metrics server. */
  public readonly metricsPort: number;
  /** URL it sends its hostname to, when given. */
  public readonly origin?: string;

  public constructor(scope: Construct, id: string, props: CloudflaredTunnelProps) {
    super(scope, id);
    this.name = props.name ?? 'cloudflared';
    this.secretName = props.secretName ?? 'cloudflared-tunnel';
    const replicas = props.replicas ?? 2;
    const port = props.metricsPort ?? 2000;
    const version = props.version ?? CLOUDFLARED_VERSION;
    const problems = new PropProblems(`CloudflaredTunnel ${this.node.path}`);
    problems.add(
      dnsLabelProblem('tunnel.name', this.name),
      dnsSubdomainProblem('tunnel.secretName', this.secretName),
      countProblem('tunnel.replicas', replicas, 1, 'turn the tunnel off with tunnel: false instead'),
      portProblem('tunnel.metricsPort', port),
      /^\d{4}\.\d+\.\d+$/.test(version) ? undefined : `tunnel.version: Invalid value: "${version}": not a release tag: pin one such as "${CLOUDFLARED_VERSION}" (never latest)`,
    );
    problems.throwIfAny();
    this.image = `cloudflare/cloudflared:${version}`;
    this.selectorLabels = { 'app.kubernetes.io/name': 'cloudflared', 'app.kubernetes.io/instance': this.name };
    this.metricsPort = port;
    this.origin = props.origin;

    const uid = 65532;
    const deployment = new RestrictedDeployment(this, 'Deployment', {
      metadata: {
        name: this.name,
        namespace: props.namespace,
        labels: { ...props.labels },
        annotations: {
          ...(props.hostname === undefined ? {} : { [TUNNEL_HOSTNAME_ANNOTATION]: props.hostname }),
          ...(props.origin === undefined ? {} : { [TUNNEL_ORIGIN_ANNOTATION]: props.origin }),
        },
      },
      selectorLabels: this.selectorLabels,
      replicas,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: uid, group: uid, fsGroup: uid },
    });
    const probe = kplus.Probe.fromHttpGet('/ready', { port, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(10) });
    const container = deployment.addContainer({
      name: 'cloudflared',
      image: this.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      // In a container the metrics server picks a random port unless told; /ready lives there.
      args: ['tunnel', '--config', `${CLOUDFLARED_CONFIG_DIR}/config.yaml`, '--no-autoupdate', '--metrics', `0.0.0.0:${port}`, 'run'],
      ports: [{ name: 'metrics', number: port }],
      liveness: probe,
      readiness: probe,
      resources: {
        cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(256) },
      },
      securityContext: { ensureNonRoot: true, user: uid, group: uid, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false },
    });
    const secret = kplus.Secret.fromSecretName(this, 'TunnelSecret', this.secretName);
    const volume = kplus.Volume.fromSecret(this, 'TunnelVolume', secret, {
      name: 'tunnel',
      defaultMode: 0o400,
      items: { 'config.yaml': { path: 'config.yaml' }, 'credentials.json': { path: 'credentials.json' } },
    });
    container.mount(CLOUDFLARED_CONFIG_DIR, volume, { readOnly: true });
    // Ephemeral storage bounded so a runaway log evicts this pod, not its neighbours
    // (cdk8s-plus only takes whole GiB here).
    boundEphemeralStorage(deployment, '16Mi', '64Mi');
    deployment.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.in('kubernetes.io/arch', ['amd64', 'arm64'])));
    // Two connectors keep the tunnel up through a node drain only if the drain takes them one at a time.
    if (replicas > 1) new DisruptionBudget(this, 'DisruptionBudget', { name: this.name, namespace: props.namespace, selectorLabels: this.selectorLabels, labels: props.labels });
  }
}
