import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { boundEphemeralStorage, RestrictedDeployment } from '../../k8s/restricted-deployment';
import { lookupChart } from '../../charts/chart-source';
import { Policy } from '../../policy/policy';
import { HEADLAMP_CHART_REPOSITORY } from '../../versions';
import { HEADLAMP_GID, HEADLAMP_UID, HEADLAMP_WRITABLE_PATHS } from './hardened-values';
import { AppWorkload } from '../../app/cluster-app';
import { HEADLAMP_PORT } from './headlamp-service';

/** Port the Headlamp server listens on inside the pod. */
export const HEADLAMP_CONTAINER_PORT = HEADLAMP_PORT;

export interface HeadlampWorkloadProps {
  /** Chart version whose appVersion picks the image, so raw mode runs the same binary the chart would. */
  readonly chartVersion: string;

  /** Namespace Headlamp runs in. */
  readonly namespace: string;

  /**
   * Name of the Deployment, Service and ServiceAccount.
   * @default 'headlamp'
   */
  readonly name?: string;

  /**
   * Labels on every object.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };

  /**
   * Number of Headlamp pods.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * Headlamp as plain manifests, for users who want no Helm: a Deployment,
 * Service, ServiceAccount and a ClusterRoleBinding to `view`, with the same
 * hardening as the chart-rendered pod (read-only root filesystem with home and
 * tmp emptyDirs, non-root, seccomp RuntimeDefault, no capabilities).
 */
export class HeadlampWorkload extends Construct implements AppWorkload {
  public readonly serviceName: string;
  public readonly servicePort = 80;
  public readonly deploymentName: string;
  public readonly image: string;

  public constructor(scope: Construct, id: string, props: HeadlampWorkloadProps) {
    super(scope, id);
    // The chart folders the app's checks read, so raw mode and Helm mode know the same charts.
    const options = Policy.of(this).options;
    const lookup = lookupChart({ name: 'headlamp', version: props.chartVersion, repository: HEADLAMP_CHART_REPOSITORY }, options === false ? {} : options);
    if (!lookup.facts) {
      throw new Error(`chartVersion "${props.chartVersion}": raw mode takes Headlamp's image from that chart's appVersion, and ${lookup.why}: put headlamp-${props.chartVersion}.tgz in charts/, or pick a version that is there`);
    }
    const facts = lookup.facts;
    const name = props.name ?? 'headlamp';
    const replicas = props.replicas ?? 1;
    const labels = { ...props.labels };
    const selectorLabels = { 'app.kubernetes.io/name': 'headlamp', 'app.kubernetes.io/instance': name };
    this.serviceName = name;
    this.deploymentName = name;
    this.image = `ghcr.io/headlamp-k8s/headlamp:v${facts.appVersion}`;

    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace: props.namespace, labels },
      automountToken: false,
    });
    new k8s.KubeClusterRoleBinding(this, 'Binding', {
      metadata: { name: `${name}-view`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name, namespace: props.namespace }],
    });

    const deployment = new RestrictedDeployment(this, 'Deployment', {
      metadata: { name, namespace: props.namespace, labels },
      selectorLabels,
      replicas,
      serviceAccount,
      // In-cluster mode reads the pod's service account token to reach the API server.
      automountServiceAccountToken: true,
      securityContext: { ensureNonRoot: true, user: HEADLAMP_UID, group: HEADLAMP_GID, fsGroup: HEADLAMP_GID },
    });
    const probe = kplus.Probe.fromHttpGet('/', { port: HEADLAMP_CONTAINER_PORT });
    const container = deployment.addContainer({
      name: 'headlamp',
      image: this.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      args: ['-in-cluster', '-in-cluster-context-name=main', '-plugins-dir=/headlamp/plugins'],
      ports: [{ name: 'http', number: HEADLAMP_CONTAINER_PORT }],
      liveness: probe,
      readiness: probe,
      resources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.units(1) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
      },
      securityContext: {
        ensureNonRoot: true,
        user: HEADLAMP_UID,
        group: HEADLAMP_GID,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
      },
    });
    boundEphemeralStorage(deployment, '64Mi', '512Mi');
    for (const [volumeName, path] of Object.entries(HEADLAMP_WRITABLE_PATHS)) {
      container.mount(path, kplus.Volume.fromEmptyDir(this, `Volume-${volumeName}`, volumeName));
    }

    const service = new kplus.Service(this, 'Service', {
      metadata: { name, namespace: props.namespace, labels },
      ports: [{ name: 'http', port: this.servicePort, targetPort: HEADLAMP_CONTAINER_PORT }],
    });
    for (const [key, value] of Object.entries(selectorLabels)) service.selectLabel(key, value);
  }
}
