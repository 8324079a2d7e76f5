// flux-helm-apps init-secrets [--age <age recipient>]
// Writes unencrypted templates for the Secrets the stacks need (the cloudflared
// tunnel's config.yaml and credentials.json) under secrets/<cluster>/<app>/ of
// the project, and .sops.yaml, with the real names from a scratch synth.
// Never overwrites a file. Paths are printed from the working directory.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { sopsConfig, tunnelSecretTemplates, tunnelSites } from '../lib/secrets/tunnel-secret-template';
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
  const sites = tunnelSites(tree, placement.distPath).map((site) => ({ ...site, secretsDir: local(site.secretsDir) }));
  // .sops.yaml covers the top folder of every secrets Kustomization (secrets/ by default).
  const roots = sites.map((site) => site.secretsDir.split('/')[0]);
  const files = new Map([['.sops.yaml', sopsConfig(age, roots.length > 0 ? roots : undefined)], ...sites.flatMap((site) => [...tunnelSecretTemplates(site)])]);
  for (const [path, text] of files) {
    if (existsSync(path)) {
      console.log(`kept     ${path} (exists; init-secrets never overwrites)`);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
    console.log(`created  ${path}`);
  }
  const encrypt = sites.map((site) => `  sops --encrypt --in-place ${site.secretsDir}/${site.secretName}.yaml`);
  console.log(`\nFill in the placeholders, then encrypt before committing:\n${encrypt.join('\n')}\nvalidate fails while any Secret there is unencrypted.`);
  return 0;
}
