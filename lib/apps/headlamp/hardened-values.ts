import { JsonObject } from '../../json';

/** uid and gid of the Headlamp image's user (the chart's own defaults). */
export const HEADLAMP_UID = 100;
export const HEADLAMP_GID = 101;

/** Writable paths Headlamp needs under a read-only root filesystem: volume name → mount path. */
export const HEADLAMP_WRITABLE_PATHS: Readonly<Record<string, string>> = { home: '/home/headlamp', tmp: '/tmp' };

/**
 * Chart values every release starts from; user values are merged over them.
 * - no chart binding: it defaults to `cluster-admin` and is named `-admin`
 *   whatever it binds; HeadlampStack binds the ServiceAccount to `view` itself;
 * - `securityContext` sets every restricted field itself: the chart only adds
 *   its own safe defaults when the map is empty;
 * - `home` and `tmp` emptyDirs under the chart's `volumes`/`volumeMounts` keys
 *   (it has no `extraVolumes`), or the read-only root filesystem crashloops;
 * - no `image.tag`: the chart's appVersion is the tested chart/binary pair;
 * - no chart-made OIDC Secret: it would hold plain text in the HelmRelease;
 * - requests and limits, ephemeral storage included.
 */
export function hardenedValues(): JsonObject {
  const names = Object.keys(HEADLAMP_WRITABLE_PATHS);
  return {
    clusterRoleBinding: { create: false, clusterRoleName: 'view' },
    config: { inCluster: true, oidc: { secret: { create: false } } },
    podSecurityContext: { runAsNonRoot: true, fsGroup: HEADLAMP_GID, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: HEADLAMP_UID,
      runAsGroup: HEADLAMP_GID,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumes: names.map((name) => ({ name, emptyDir: {} })),
    volumeMounts: names.map((name) => ({ name, mountPath: HEADLAMP_WRITABLE_PATHS[name] })),
    ingress: { enabled: false },
    service: { type: 'ClusterIP', port: 80 },
    resources: {
      // ephemeral-storage bounds the home and tmp emptyDirs (and logs), so a runaway write evicts Headlamp alone.
      requests: { cpu: '50m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '512Mi' },
    },
  };
}
