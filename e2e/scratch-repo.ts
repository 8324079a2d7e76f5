// The scratch GitOps repository a user would have: the project as committed (`git archive
// HEAD`, so dist/ is exactly what is committed), plus what the user adds by hand:
//  - dist/clusters/homelab/flux-system/{gotk-sync.yaml,kustomization.yaml}, as `flux bootstrap`
//    writes them (no gotk-components.yaml: the controllers run out of cluster);
//  - .sops.yaml and secrets/homelab/headlamp/ with the cloudflared tunnel Secret, encrypted
//    with sops for an age key generated for this run.
// Later commits (scenarios, negative tests) edit this clone and push, as a user or Renovate would.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { binary } from './build';
import { log } from './log';
import { run } from './processes';

export const CLUSTER_DIR = 'dist/clusters/homelab';
export const SECRETS_DIR = 'secrets/homelab/headlamp';
export const TUNNEL_SECRET = { name: 'cloudflared-tunnel', namespace: 'headlamp' };
export const WATCHED_BRANCH = 'main';

export interface AgeKey { file: string; publicKey: string }

export interface ScratchRepo {
  /** Working clone. */
  dir: string;
  /** URL Flux pulls from. */
  url: string;
  ageKey: AgeKey;
  /** The tunnel Secret's plaintext values, as encrypted into the repository. */
  tunnelPlaintext: Record<string, string>;
}

const GIT_IDENTITY = ['-c', 'user.name=headlamp-homelab e2e', '-c', 'user.email=e2e@headlamp-homelab.invalid', '-c', 'commit.gpgsign=false'];

export function git(dir: string, args: string[], allowFail = false): string {
  return run('git', [...GIT_IDENTITY, ...args], { cwd: dir, allowFail }).stdout.trim();
}

export function newAgeKey(dir: string, name: string): AgeKey {
  const file = join(dir, `${name}.agekey`);
  run(binary('age-keygen'), ['-o', file]);
  const publicKey = /# public key: (age1\w+)/.exec(readFileSync(file, 'utf8'))?.[1];
  if (!publicKey) throw new Error(`age-keygen wrote no public key into ${file}`);
  return { file, publicKey };
}

/** Hostname of the IngressRoute in dist/, and the origin synth recorded on the connector (Traefik's tunnel entry point), as init-secrets reads them. */
function routeTarget(clone: string): { hostname: string; service: string } {
  const text = readFileSync(join(clone, 'dist/apps/headlamp/route.yaml'), 'utf8');
  const route = parseAllDocuments(text).map((d) => d.toJS()).find((o) => o?.kind === 'IngressRoute');
  const rule = route?.spec?.routes?.[0] ?? {};
  const svc = rule.services?.[0] ?? {};
  const tunnel = parseAllDocuments(readFileSync(join(clone, 'dist/apps/headlamp/cloudflared.yaml'), 'utf8')).map((d) => d.toJS()).find((o) => o?.kind === 'Deployment');
  return {
    hostname: /Host\(`([^`]+)`\)/.exec(String(rule.match ?? ''))?.[1] ?? 'headlamp.example.net',
    service: tunnel?.metadata?.annotations?.['flux-helm-apps/tunnel-origin'] ?? `http://${svc.name}.${svc.namespace ?? route?.metadata?.namespace}.svc.cluster.local:${svc.port}`,
  };
}

/** Test values for the tunnel Secret, shaped like `npm run init-secrets` writes them (filled in). */
export function tunnelPlaintext(clone: string): Record<string, string> {
  const tunnelId = randomUUID();
  const { hostname, service } = routeTarget(clone);
  return {
    'config.yaml': stringify({ tunnel: tunnelId, 'credentials-file': '/etc/cloudflared/credentials.json', ingress: [{ hostname, service }, { service: 'http_status:404' }] }),
    'credentials.json': `${JSON.stringify({ AccountTag: randomBytes(16).toString('hex'), TunnelSecret: randomBytes(32).toString('base64'), TunnelID: tunnelId }, null, 2)}\n`,
  };
}

/** Writes the tunnel Secret under secrets/ and encrypts it in place with sops for `recipient`. */
export function writeEncryptedTunnelSecret(clone: string, values: Record<string, string>, recipient: string): void {
  const file = join(SECRETS_DIR, `${TUNNEL_SECRET.name}.yaml`);
  mkdirSync(join(clone, SECRETS_DIR), { recursive: true });
  writeFileSync(join(clone, '.sops.yaml'), stringify({
    creation_rules: [{ path_regex: '^secrets/.*\\.ya?ml$', encrypted_regex: '^(data|stringData)$', age: recipient }],
  }));
  writeFileSync(join(clone, file), stringify({
    apiVersion: 'v1', kind: 'Secret', metadata: { ...TUNNEL_SECRET }, type: 'Opaque', stringData: values,
  }, { lineWidth: 0 }));
  writeFileSync(join(clone, SECRETS_DIR, 'kustomization.yaml'), stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [`${TUNNEL_SECRET.name}.yaml`],
  }));
  run(binary('sops'), ['--encrypt', '--in-place', file], { cwd: clone });
  const encrypted = readFileSync(join(clone, file), 'utf8');
  if (!encrypted.includes('ENC[') || !encrypted.includes(recipient)) throw new Error(`sops did not encrypt ${file} for ${recipient}`);
}

/** gotk-sync.yaml and kustomization.yaml as `flux bootstrap git --branch=main --path=dist/clusters/homelab` writes them. */
export function writeFluxSync(clone: string, url: string, branch: string): void {
  const dir = join(clone, CLUSTER_DIR, 'flux-system');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'gotk-sync.yaml'), [
    '# This manifest was generated by flux. DO NOT EDIT.',
    '---',
    stringify({
      apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: { interval: '1m0s', ref: { branch }, url },
    }).trimEnd(),
    '---',
    stringify({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: { interval: '10m0s', path: `./${CLUSTER_DIR}`, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    }),
  ].join('\n'));
  writeFileSync(join(dir, 'kustomization.yaml'), stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['gotk-sync.yaml'],
  }));
}

/** Creates the bare repository (served by the git server) and a clone holding the project as committed. */
export function createScratchRepo(projectRoot: string, gitRoot: string, workDir: string, gitUrl: string, keyDir: string): ScratchRepo {
  const bare = join(gitRoot, 'homelab.git');
  mkdirSync(bare, { recursive: true });
  git(bare, ['init', '--quiet', '--bare', `--initial-branch=${WATCHED_BRANCH}`]);
  git(bare, ['config', 'http.receivepack', 'true']);
  const url = `${gitUrl}/homelab.git`;
  const dir = join(workDir, 'homelab');
  mkdirSync(dirname(dir), { recursive: true });
  git(workDir, ['clone', '--quiet', url, dir]);
  git(dir, ['symbolic-ref', 'HEAD', `refs/heads/${WATCHED_BRANCH}`]);
  // The project as committed: dist/ byte for byte, plus the sources (npm run doctor runs in a clone).
  const archive = join(workDir, 'project.tar');
  run('git', ['-C', projectRoot, 'archive', '--format=tar', '-o', archive, 'HEAD']);
  run('tar', ['-xf', archive, '-C', dir]);
  const ageKey = newAgeKey(keyDir, 'cluster');
  const plaintext = tunnelPlaintext(dir);
  writeFluxSync(dir, url, WATCHED_BRANCH);
  writeEncryptedTunnelSecret(dir, plaintext, ageKey.publicKey);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '--quiet', '-m', 'Bootstrap: the project as committed, flux-system sync, encrypted tunnel Secret']);
  log(`scratch repo: ${url} (${git(dir, ['rev-parse', '--short', 'HEAD'])}: project HEAD ${run('git', ['-C', projectRoot, 'rev-parse', '--short', 'HEAD']).stdout.trim()} + flux-system + secrets)`);
  return { dir, url, ageKey, tunnelPlaintext: plaintext };
}

/** Commits everything in the clone and pushes `branch`; returns the full commit hash. */
export function commitAndPush(repo: ScratchRepo, message: string, branch = WATCHED_BRANCH): string {
  git(repo.dir, ['add', '-A']);
  git(repo.dir, ['commit', '--quiet', '-m', message]);
  return pushHead(repo, branch);
}

/** Pushes the clone's HEAD to `branch`; returns the full commit hash. */
export function pushHead(repo: ScratchRepo, branch = WATCHED_BRANCH): string {
  git(repo.dir, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
  return git(repo.dir, ['rev-parse', 'HEAD']);
}

/** Edits one file of the clone with `edit(text) → text`; throws when nothing changed. */
export function editFile(repo: ScratchRepo, path: string, edit: (text: string) => string): void {
  const file = join(repo.dir, path);
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`edit of ${path} changed nothing`);
  writeFileSync(file, after);
}
