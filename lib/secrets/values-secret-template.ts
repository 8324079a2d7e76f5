// Templates for an app's SOPS-encrypted chart values: the values files in its
// secrets folder and the secretGenerator that makes Secret `<app>-values` of
// them. Written once by `npm run init-secrets`, then encrypted whole with SOPS.
import { stringify } from 'yaml';
import { clusterKustomizations, folderFiles, treeObjects } from '../output/cluster-sync';
import { FluxTree } from '../output/render-tree';
import { listAt } from '../json';
import { secretsFolderOf } from './tunnel-secret-template';

/** Key of the values document in a values Secret. */
const VALUES_KEY = 'values.yaml';

/** One Secret a cluster's HelmRelease takes values from, in the secrets folder its Kustomization depends on. */
export interface ValuesSecretSite {
  readonly cluster: string;
  readonly app: string;
  readonly namespace: string;
  readonly secretName: string;
  /** Keys besides `values.yaml` (single values, set at a `targetPath`), from `values.env`. */
  readonly keys: readonly string[];
  /** Folder of the values files, from the repository root. */
  readonly secretsDir: string;
}

/** The Secrets the HelmReleases of a synthesized tree take values from, by cluster and app. */
export function valuesSecretSites(tree: FluxTree, distPath = 'dist'): ValuesSecretSite[] {
  const kustomizations = clusterKustomizations(tree, distPath);
  return kustomizations.flatMap((sync): ValuesSecretSite[] => {
    if (sync.folder === undefined) return [];
    const releases = folderFiles(tree, sync.folder).flatMap((file) => treeObjects(tree, file)).filter((o) => o.kind === 'HelmRelease');
    return releases.flatMap((release) => {
      const refs = listAt(release, 'spec', 'valuesFrom').filter((ref) => ref.kind === 'Secret');
      const names = [...new Set(refs.map((ref) => String(ref.name)))];
      return names.map((secretName) => ({
        cluster: sync.cluster,
        app: String(sync.obj.metadata.name),
        namespace: String(release.metadata.namespace),
        secretName,
        keys: [...new Set(refs.filter((ref) => ref.name === secretName).map((ref) => String(ref.valuesKey ?? VALUES_KEY)).filter((key) => key !== VALUES_KEY))],
        secretsDir: secretsFolderOf(kustomizations, sync),
      }));
    });
  });
}

/**
 * The secretGenerator of one values Secret. Not hashed: the release is in
 * another Kustomization, which a hashed name would not reach; the label makes
 * helm-controller upgrade the release when the Secret changes instead.
 */
export function valuesSecretGenerator(site: ValuesSecretSite): Record<string, unknown> {
  return {
    name: site.secretName,
    namespace: site.namespace,
    files: [VALUES_KEY],
    ...(site.keys.length > 0 ? { envs: ['values.env'] } : {}),
    options: { disableNameSuffixHash: true, labels: { 'reconcile.fluxcd.io/watch': 'Enabled' } },
  };
}

/** File path → content of the unencrypted values templates for one site (kustomization.yaml apart: see secretsKustomization). */
export function valuesSecretTemplates(site: ValuesSecretSite): Map<string, string> {
  const encrypt = `sops --encrypt --in-place ${site.secretsDir}/`;
  const files = new Map([[`${site.secretsDir}/${VALUES_KEY}`, [
    `# Chart values of ${site.app} on cluster ${site.cluster} that are secrets. NOT ENCRYPTED YET.`,
    `# Flux makes Secret ${site.namespace}/${site.secretName} of this file; the HelmRelease merges it over its other values.`,
    '# 1. Replace {} with the values, e.g. auth: { adminPassword: <password> }.',
    `# 2. Encrypt the whole file before committing: ${encrypt}${VALUES_KEY}`,
    '{}',
    '',
  ].join('\n')]]);
  if (site.keys.length > 0) {
    files.set(`${site.secretsDir}/values.env`, [
      `# Single values of ${site.app} on cluster ${site.cluster}, each set at its targetPath. NOT ENCRYPTED YET.`,
      `# Encrypt before committing: ${encrypt}values.env`,
      ...site.keys.map((key) => `${key}=<${key}>`),
      '',
    ].join('\n'));
  }
  return files;
}

/** A secrets folder's kustomization.yaml: its Secret files, and the generators of its values Secrets. */
export function secretsKustomization(resources: readonly string[], sites: readonly ValuesSecretSite[]): string {
  return stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(resources.length > 0 ? { resources } : {}),
    ...(sites.length > 0 ? { secretGenerator: sites.map(valuesSecretGenerator) } : {}),
  });
}
