// Templates for the Secrets a stack needs but must never generate (they hold
// credentials): written once by `npm run init-secrets`, then encrypted with SOPS.
import { posix } from 'node:path';
import { stringify } from 'yaml';
import { ClusterKustomization, clusterKustomizations, folderFiles, treeObjects } from '../output/cluster-sync';
import { FluxTree } from '../output/render-tree';
import { ManifestObject } from '../policy/finding';
import { isJsonObject, listAt, objectAt } from '../json';
import { TUNNEL_HOSTNAME_ANNOTATION, TUNNEL_ORIGIN_ANNOTATION } from '../app/cloudflared-tunnel';

/** One cloudflared tunnel found in a synthesized tree, with the names its config needs. */
export interface TunnelSite {
  readonly cluster: string;
  readonly app: string;
  readonly namespace: string;
  readonly secretName: string;
  readonly hostname: string;
  /**
   * In-cluster URL cloudflared sends the hostname to: Traefik's tunnel entry
   * point when the app has a route, else the app's Service.
   */
  readonly service: string;
  /** Folder of the Secret, from the repository root: the path of the Flux Kustomization the app depends on for it. */
  readonly secretsDir: string;
}

const isCloudflared = (obj: ManifestObject) => obj.kind === 'Deployment'
  && listAt(obj, 'spec', 'template', 'spec', 'containers').some((c) => String(c.image ?? '').startsWith('cloudflare/cloudflared'));

/**
 * The hostname and origin of a tunnel: the hostname from the IngressRoute's
 * Host, else the Deployment's annotation; the origin from its annotation, else
 * (older trees) the IngressRoute's Service.
 */
function tunnelRoute(tunnel: ManifestObject, route: ManifestObject | undefined): { hostname: string; service: string } | undefined {
  const annotations = objectAt(tunnel, 'metadata', 'annotations');
  const rule = route === undefined ? undefined : listAt(route, 'spec', 'routes')[0] ?? {};
  const hostname = rule === undefined ? annotations[TUNNEL_HOSTNAME_ANNOTATION] : /Host\(`([^`]+)`\)/.exec(String(rule.match ?? ''))?.[1] ?? '';
  const origin = annotations[TUNNEL_ORIGIN_ANNOTATION];
  if (typeof hostname !== 'string') return undefined;
  if (typeof origin === 'string') return { hostname, service: origin };
  const service = listAt(rule, 'services')[0];
  if (service === undefined) return undefined;
  return { hostname, service: `http://${String(service.name)}.${String(service.namespace ?? tunnel.metadata.namespace)}.svc.cluster.local:${String(service.port)}` };
}

/**
 * The secrets folder an app's Kustomization depends on: the path of the
 * Kustomization outside the tree it needs (`secrets/<cluster>/<app>` when none).
 */
export function secretsFolderOf(kustomizations: readonly ClusterKustomization[], sync: ClusterKustomization): string {
  const needs = new Set(listAt(sync.obj, 'spec', 'dependsOn').map((d) => String(d.name)));
  const secrets = kustomizations.find((k) => k.cluster === sync.cluster && k.folder === undefined && needs.has(String(k.obj.metadata.name)));
  return secrets?.path ?? posix.join('secrets', sync.cluster, String(sync.obj.metadata.name));
}

/**
 * The tunnels of a synthesized tree: for every cluster Kustomization whose
 * folder holds a cloudflared Deployment that serves a hostname, the names its
 * Secret needs, and the secrets folder the Kustomization depends on
 * (`secrets/<cluster>/<app>` when it depends on none outside the tree).
 */
export function tunnelSites(tree: FluxTree, distPath = 'dist'): TunnelSite[] {
  const kustomizations = clusterKustomizations(tree, distPath);
  return kustomizations.flatMap((sync): TunnelSite[] => {
    if (sync.folder === undefined) return [];
    const objects = folderFiles(tree, sync.folder).flatMap((file) => treeObjects(tree, file));
    const tunnel = objects.find(isCloudflared);
    const served = tunnel && tunnelRoute(tunnel, objects.find((o) => o.kind === 'IngressRoute'));
    if (tunnel === undefined || served === undefined) return [];
    const app = String(sync.obj.metadata.name);
    const volume = listAt(tunnel, 'spec', 'template', 'spec', 'volumes').find((v) => isJsonObject(v.secret));
    return [{
      cluster: sync.cluster,
      app,
      namespace: String(tunnel.metadata.namespace),
      secretName: String(objectAt(volume, 'secret').secretName),
      hostname: served.hostname,
      service: served.service,
      secretsDir: secretsFolderOf(kustomizations, sync),
    }];
  });
}

/** File path → content of the unencrypted templates for one site. */
export function tunnelSecretTemplates(site: TunnelSite): Map<string, string> {
  const config = stringify({
    tunnel: '<tunnel-uuid>',
    'credentials-file': '/etc/cloudflared/credentials.json',
    ingress: [{ hostname: site.hostname, service: site.service }, { service: 'http_status:404' }],
  });
  const credentials = `${JSON.stringify({ AccountTag: '<account-tag>', TunnelSecret: '<tunnel-secret>', TunnelID: '<tunnel-uuid>' }, null, 2)}\n`;
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: site.secretName, namespace: site.namespace },
    type: 'Opaque',
    stringData: { 'config.yaml': config, 'credentials.json': credentials },
  };
  const header = [
    `# The cloudflared tunnel of ${site.app} on cluster ${site.cluster}. NOT ENCRYPTED YET.`,
    '# 1. Fill in the values from ~/.cloudflared/<tunnel-uuid>.json (cloudflared tunnel create).',
    `# 2. Encrypt before committing: sops --encrypt --in-place ${site.secretsDir}/${site.secretName}.yaml`,
    '#    (.sops.yaml encrypts data and stringData with your age key.)',
  ].join('\n');
  const dir = site.secretsDir;
  return new Map([
    [`${dir}/${site.secretName}.yaml`, `${header}\n${stringify(secret, { lineWidth: 0 })}`],
    [`${dir}/kustomization.yaml`, stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [`${site.secretName}.yaml`] })],
  ]);
}

/**
 * `.sops.yaml` for one age recipient, under the secrets folders. SOPS uses the
 * first rule whose path matches, so the values files (`*values*.yaml`,
 * `.json`, `.env`: chart values, encrypted whole) come before the rule for
 * Secrets (only their data and stringData encrypted, so kustomize still reads them).
 */
export function sopsConfig(ageRecipient: string, folders: readonly string[] = ['secrets']): string {
  const escaped = [...new Set(folders)].sort().map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const root = escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
  return stringify({
    creation_rules: [
      { path_regex: `^${root}/.*values[^/]*\\.(ya?ml|json|env)$`, age: ageRecipient },
      { path_regex: `^${root}/.*\\.ya?ml$`, encrypted_regex: '^(data|stringData)$', age: ageRecipient },
    ],
  });
}
