import { JsonObject } from '../../json';
import { POSTGRES_VERSION } from '../../versions';

/** uid/gid of the Crossview image's user and of the postgres image's user (the chart's own defaults). */
export const CROSSVIEW_UID = 1000;
export const POSTGRES_UID = 999;

/** Name of the ServiceAccount the chart makes, which the least-privilege bindings name. */
export const CROSSVIEW_SERVICE_ACCOUNT = 'crossview';

/** Value paths the SOPS values Secret sets: every password the chart takes. */
export const CROSSVIEW_SECRET_VALUES: readonly string[] = ['secrets.dbPassword', 'secrets.sessionSecret'];

function containerSecurity(uid: number): JsonObject {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  };
}

function podSecurity(uid: number): JsonObject {
  return { runAsNonRoot: true, runAsUser: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

/**
 * Chart values every Crossview release starts from; user values merge over them.
 * - `rbac.create: false`: the chart's ClusterRole reads `*`/`*`, Secrets included;
 *   CrossviewStack binds least-privilege roles to the chart's ServiceAccount instead;
 * - `pullPolicy: IfNotPresent`, and postgres pinned to POSTGRES_VERSION (not `latest`);
 * - read-only root filesystems: the chart mounts `/app/logs` and the postgres
 *   data and socket folders; the post-renderer adds `/tmp` (the chart has no extra volumes);
 * - no password here: they come from the SOPS values Secret (`valuesFrom`);
 * - `persistence` kept, at 1Gi: a homelab database, not the chart's 10Gi.
 */
export function hardenedValues(): JsonObject {
  return {
    image: { pullPolicy: 'IfNotPresent' },
    app: { securityContext: podSecurity(CROSSVIEW_UID), containerSecurityContext: containerSecurity(CROSSVIEW_UID) },
    database: {
      image: { repository: 'postgres', tag: POSTGRES_VERSION },
      securityContext: podSecurity(POSTGRES_UID),
      containerSecurityContext: containerSecurity(POSTGRES_UID),
      persistence: { enabled: true, size: '1Gi' },
    },
    serviceAccount: { create: true, name: CROSSVIEW_SERVICE_ACCOUNT },
    rbac: { create: false },
    ingress: { enabled: false },
    service: { type: 'ClusterIP', port: 80 },
  };
}

/** Writable `/tmp` for both Deployments, which the chart cannot mount itself: a post-renderer patch each. */
export function tmpPostRenderer(release: string): { patches: { patch: string; target: { kind: string; name: string } }[] } {
  const patch = (name: string, container: string) => ({
    target: { kind: 'Deployment', name },
    patch: JSON.stringify([
      { op: 'add', path: '/spec/template/spec/volumes/-', value: { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } } },
      { op: 'add', path: `/spec/template/spec/containers/${container}/volumeMounts/-`, value: { name: 'tmp', mountPath: '/tmp' } },
    ]),
  });
  const fullname = release.includes('crossview') ? release : `${release}-crossview`;
  return { patches: [patch(fullname, '0'), patch(`${fullname}-postgres`, '0')] };
}
