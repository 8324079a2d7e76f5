// flux-helm-apps init-secrets [--age <age recipient>]
// Writes unencrypted templates for the Secrets the stacks need (the cloudflared
// tunnel's config.yaml and credentials.json; the chart values an app takes from
// a Secret) under secrets/<cluster>/<app>/ of the project, each folder's
// kustomization.yaml, and .sops.yaml, with the real names from a scratch synth.
// Never overwrites a file. Paths are printed from the working directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { sopsConfig, tunnelSecretTemplates, tunnelSites } from '../lib/secrets/tunnel-secret-template';
import { secretsKustomization, valuesSecretSites, valuesSecretTemplates } from '../lib/secrets/values-secret-template';
import { flagValue } from './args';
import { scratchSynth } from './scratch-synth';

export function initSecrets(args: readonly string[]): number {
  const age = flagValue(args, '--age') ?? '<your age public key: age1…>';
  const { tree, placement } = scratchSynth();
  if (tree === undefined) {
    console.error('init-secrets: synth failed (above); nothing was written');
    return 1;
  }
  // Flux names the folders from the Git root; SOPS and the user work from here.
  const local = (fromRoot: string) => relative(process.cwd(), join(placement.repoRoot, fromRoot)).split(sep).join('/');
  const tunnels = tunnelSites(tree, placement.distPath).map((site) => ({ ...site, secretsDir: local(site.secretsDir) }));
  const values = valuesSecretSites(tree, placement.distPath).map((site) => ({ ...site, secretsDir: local(site.secretsDir) }));
  const dirs = [...new Set([...tunnels, ...values].map((site) => site.secretsDir))];
  // .sops.yaml covers the top folder of every secrets Kustomization (secrets/ by default).
  const roots = dirs.map((dir) => dir.split('/')[0]);
  const files = new Map([
    ['.sops.yaml', sopsConfig(age, roots.length > 0 ? roots : undefined)],
    ...tunnels.flatMap((site) => [...tunnelSecretTemplates(site)]),
    ...values.flatMap((site) => [...valuesSecretTemplates(site)]),
    // One kustomization.yaml per folder: the tunnel Secret's file and the values Secrets' generators.
    ...dirs.map((dir) => [`${dir}/kustomization.yaml`, secretsKustomization(
      tunnels.filter((t) => t.secretsDir === dir).map((t) => `${t.secretName}.yaml`),
      values.filter((v) => v.secretsDir === dir),
    )] as const),
  ]);
  for (const [path, text] of files) {
    if (existsSync(path)) {
      console.log(`kept     ${path} (exists; init-secrets never overwrites)`);
      const generators = values.filter((v) => path === `${v.secretsDir}/kustomization.yaml`);
      if (generators.length > 0) console.log(`         make sure it has the values Secret's generator:\n${secretsKustomization([], generators).replace(/^/gm, '           ')}`);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
    console.log(`created  ${path}`);
  }
  const encrypt = [
    ...tunnels.map((site) => `  sops --encrypt --in-place ${site.secretsDir}/${site.secretName}.yaml`),
    ...[...files.keys()].filter((path) => /\/values\.(yaml|env)$/.test(path)).map((path) => `  sops --encrypt --in-place ${path}`),
  ];
  console.log(`\nFill in the placeholders, then encrypt before committing:\n${encrypt.join('\n')}\nvalidate fails while any Secret or values file there is unencrypted.`);
  return 0;
}
