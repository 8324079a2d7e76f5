// npm run init-secrets [-- --age <age recipient>]
// Writes unencrypted templates for the Secrets the stacks need (the cloudflared
// tunnel's config.yaml and credentials.json) under secrets/<cluster>/<app>/, and
// .sops.yaml, with the real names from a scratch synth. Never overwrites a file.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sopsConfig, tunnelSecretTemplates, tunnelSites } from '../lib/secrets/tunnel-secret-template';
import { scratchSynth } from './scratch-synth';

const args = process.argv.slice(2);
const ageIndex = args.indexOf('--age');
const age = ageIndex >= 0 ? args[ageIndex + 1] : '<your age public key: age1…>';

const tree = scratchSynth();
if (tree === undefined) {
  console.error('init-secrets: synth failed (above); nothing was written');
  process.exit(1);
}
const sites = tunnelSites(tree);
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
console.log(`\nFill in the placeholders, then encrypt before committing:\n${encrypt.join('\n')}\nnpm run validate fails while any Secret there is unencrypted.`);
