// Templates for the Secrets a stack needs but must never generate (they hold
// credentials): written once by `npm run init-secrets`, then encrypted with SOPS.
import { posix } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { ManifestObject, isManifestObject } from '../validation/finding';
import { at, JsonValue, listAt, objectAt } from '../values';
import { FluxTree } from '../output/render-tree';

/** One cloudflared tunnel found in a synthesized tree, with the names its config needs. */
export interface TunnelSite {
  readonly cluster: string;
  readonly app: string;
  readonly namespace: string;
  readonly secretName: string;
  readonly hostname: string;
  /** In-cluster URL of the Headlamp Service, e.g. http://headlamp.headlamp.svc.cluster.local:80. */
  readonly service: string;
}

function objectsIn(tree: FluxTree, path: string): ManifestObject[] {
  const text = tree.get(path);
  return text === undefined ? [] : parseAllDocuments(text).map((d) => d.toJS() as JsonValue).filter(isManifestObject);
}

/**
 * The tunnels of a synthesized tree: for every cluster Kustomization that syncs
 * `apps/<app>`, the app's cloudflared Deployment and IngressRoute give the names.
 */
export function tunnelSites(tree: FluxTree): TunnelSite[] {
  const sites: TunnelSite[] = [];
  for (const path of tree.keys()) {
    const cluster = /^clusters\/([^/]+)\/[^/]+\.yaml$/.exec(path)?.[1];
    if (cluster === undefined) continue;
    for (const sync of objectsIn(tree, path).filter((o) => o.kind === 'Kustomization')) {
      const app = /(?:^|\/)apps\/([^/]+)$/.exec(String(at(sync, 'spec', 'path') ?? ''))?.[1];
      if (app === undefined) continue;
      const tunnel = objectsIn(tree, `apps/${app}/cloudflared.yaml`).find((o) => o.kind === 'Deployment');
      const route = objectsIn(tree, `apps/${app}/route.yaml`).find((o) => o.kind === 'IngressRoute');
      if (tunnel === undefined || route === undefined) continue;
      const volume = listAt(tunnel, 'spec', 'template', 'spec', 'volumes').find((v) => isManifestLike(v.secret));
      const rule = listAt(route, 'spec', 'routes')[0] ?? {};
      const service = listAt(rule, 'services')[0] ?? {};
      const namespace = String(tunnel.metadata.namespace);
      sites.push({
        cluster,
        app,
        namespace,
        secretName: String(objectAt(volume, 'secret').secretName),
        hostname: /Host\(`([^`]+)`\)/.exec(String(rule.match ?? ''))?.[1] ?? '',
        service: `http://${String(service.name)}.${String(service.namespace ?? namespace)}.svc.cluster.local:${String(service.port)}`,
      });
    }
  }
  return sites;
}

function isManifestLike(value: JsonValue | undefined): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Folder of a site's secrets, outside the generated tree. */
export function secretsDir(site: TunnelSite): string {
  return posix.join('secrets', site.cluster, site.app);
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
    `# 2. Encrypt before committing: sops --encrypt --in-place ${secretsDir(site)}/${site.secretName}.yaml`,
    '#    (.sops.yaml encrypts data and stringData with your age key.)',
  ].join('\n');
  const dir = secretsDir(site);
  return new Map([
    [`${dir}/${site.secretName}.yaml`, `${header}\n${stringify(secret, { lineWidth: 0 })}`],
    [`${dir}/kustomization.yaml`, stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [`${site.secretName}.yaml`] })],
  ]);
}

/** `.sops.yaml`: encrypt data and stringData of everything under secrets/ for one age recipient. */
export function sopsConfig(ageRecipient: string): string {
  return stringify({
    creation_rules: [{ path_regex: '^secrets/.*\\.ya?ml$', encrypted_regex: '^(data|stringData)$', age: ageRecipient }],
  });
}
