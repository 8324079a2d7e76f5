import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeadlampInstall, HeadlampStackProps } from '../../lib';
import { tunnelSites } from '../../lib/secrets/tunnel-secret-template';
import { K8sObject, Synth, synthStack } from '../helpers';

/** Shell lines of the runbook's code blocks. */
function commands(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

/** An object a command names: kind, namespace, name. */
interface Reference { readonly kind: string; readonly namespace: string; readonly name: string }

const PATTERNS: Array<[RegExp, (m: RegExpMatchArray) => Reference]> = [
  [/^flux (?:suspend|resume|reconcile|get) helmreleases? (\S+) -n (\S+)/, (m) => ({ kind: 'HelmRelease', name: m[1], namespace: m[2] })],
  [/^flux (?:reconcile|get) kustomizations? (\S+) -n (\S+)/, (m) => ({ kind: 'Kustomization', name: m[1], namespace: m[2] })],
  [/^helm uninstall (\S+) -n (\S+)$/, (m) => ({ kind: 'HelmRelease', name: m[1], namespace: m[2] })],
  [/^helm -n (\S+) (?:history|status) (\S+)$/, (m) => ({ kind: 'HelmRelease', namespace: m[1], name: m[2] })],
  [/^kubectl -n (\S+) (?:get|delete|describe) (secret|helmrelease) (\S+)/, (m) => ({ kind: m[2] === 'secret' ? 'Secret' : 'HelmRelease', namespace: m[1], name: m[3] })],
  [/^kubectl -n (\S+) rollout (?:restart|status) deployment (\S+)$/, (m) => ({ kind: 'Deployment', namespace: m[1], name: m[2] })],
  [/^kubectl -n (\S+) logs deployment\/(\S+)/, (m) => ({ kind: 'Deployment', namespace: m[1], name: m[2] })],
  [/^BRANCH=\$\(kubectl -n (\S+) get gitrepository (\S+) /, (m) => ({ kind: 'GitRepository', namespace: m[1], name: m[2] })],
];

/** Commands that name nothing of the stack's. */
const GENERIC = [/^flux get sources (git|all) -A$/, /^flux get kustomizations -n flux-system$/, /^git /, /^sops /];

/**
 * Every object a runbook command names, resolved against what synth wrote: the
 * stack's own objects, the GitRepository its Kustomizations sync from, the
 * tunnel Secret its Deployment mounts, and Flux's helm-controller.
 */
function unresolved(synth: Synth, markdown: string): { references: number; problems: string[] } {
  const objects = synth.objects;
  const has = (r: Reference) => objects.some((o: K8sObject) => o.kind === r.kind && o.metadata.name === r.name && (o.metadata.namespace ?? '') === r.namespace);
  const sources = objects.filter((o) => o.kind === 'Kustomization').map((k) => k.spec.sourceRef);
  const mounted = objects.filter((o) => o.kind === 'Deployment').flatMap((d) => (d.spec.template.spec.volumes ?? [])
    .filter((v: { secret?: { secretName: string } }) => v.secret).map((v: { secret: { secretName: string } }) => `${d.metadata.namespace}/${v.secret.secretName}`));
  const problems: string[] = [];
  let references = 0;
  for (const line of commands(markdown)) {
    const match = PATTERNS.map(([re, ref]) => { const m = line.match(re); return m ? ref(m) : undefined; }).find(Boolean);
    if (!match) {
      if (!GENERIC.some((re) => re.test(line))) problems.push(`no check for: ${line}`);
      continue;
    }
    references++;
    const ok = has(match)
      || (match.kind === 'GitRepository' && sources.some((s) => s.kind === 'GitRepository' && s.name === match.name && s.namespace === match.namespace))
      || (match.kind === 'Secret' && mounted.includes(`${match.namespace}/${match.name}`))
      || (match.kind === 'Deployment' && match.namespace === 'flux-system' && match.name === 'helm-controller');
    if (!ok) problems.push(`${match.kind} ${match.namespace}/${match.name} is not in the synthesized tree: ${line}`);
  }
  return { references, problems };
}

const CUSTOM: Partial<HeadlampStackProps> = {
  name: 'dash', namespace: 'tools', clusters: { 'pi': {} }, hostname: 'dash.home.example', login: { name: 'viewer' }, tunnel: { secretName: 'tunnel-creds' },
};

describe('clusterRunbook', () => {
  it('names only objects synth wrote, with every name taken from the stack', () => {
    const synth = synthStack(CUSTOM);
    const runbook = synth.tree.get('clusters/pi/RUNBOOK.md')!;
    const { references, problems } = unresolved(synth, runbook);
    assert.deepEqual(problems, []);
    assert.ok(references >= 15, `only ${references} commands checked`);
    assert.doesNotMatch(runbook, /headlamp-login|cloudflared-tunnel|-n headlamp\b|(?<!headlamp-)homelab/, 'no default name leaks in');
  });

  it('covers the revision check, the stuck release, and reading and rotating the token, in that order', () => {
    const lines = commands(synthStack(CUSTOM).tree.get('clusters/pi/RUNBOOK.md')!);
    const order = [
      'flux get sources git -A',
      `BRANCH=$(kubectl -n flux-system get gitrepository flux-system -o jsonpath='{.spec.ref.branch}')`,
      `git fetch origin && git log -1 --format='%H %s' "origin/$BRANCH"`,
      'flux suspend helmrelease dash -n tools',
      'helm uninstall dash -n tools',
      'kubectl -n flux-system rollout restart deployment helm-controller',
      'flux resume helmrelease dash -n tools',
      'flux reconcile helmrelease dash -n tools --force',
      `kubectl -n tools get secret viewer-token -o jsonpath='{.data.token}' | base64 -d; echo`,
      'kubectl -n tools delete secret viewer-token',
      'flux reconcile kustomization dash -n flux-system --with-source',
    ];
    let at = -1;
    for (const command of order) {
      const next = lines.indexOf(command, at + 1);
      assert.ok(next > at, `missing or out of order: ${command}`);
      at = next;
    }
  });

  it('points at the encrypted file the secrets Kustomization applies', () => {
    const synth = synthStack(CUSTOM);
    const [site] = tunnelSites(synth.tree);
    assert.match(synth.tree.get('clusters/pi/RUNBOOK.md')!, new RegExp(`\nsops ${site.secretsDir}/${site.secretName}\\.yaml\n`));
    assert.equal(`${site.secretsDir}/${site.secretName}.yaml`, 'secrets/pi/dash/tunnel-creds.yaml');
  });

  it('restarts the Deployment instead of uninstalling a release in raw mode', () => {
    const synth = synthStack({ ...CUSTOM, install: HeadlampInstall.RAW });
    const runbook = synth.tree.get('clusters/pi/RUNBOOK.md')!;
    assert.deepEqual(unresolved(synth, runbook).problems, []);
    assert.doesNotMatch(runbook, /helm uninstall|helmrelease/);
    assert.match(runbook, /kubectl -n tools rollout restart deployment dash\n/);
  });

  it('leaves out the sections of parts that are turned off', () => {
    const runbook = synthStack({ ...CUSTOM, tunnel: false, login: false }).tree.get('clusters/pi/RUNBOOK.md')!;
    assert.doesNotMatch(runbook, /## The tunnel|## Read the login token|secrets/);
    assert.equal(synthStack({ ...CUSTOM, runbook: false }).tree.has('clusters/pi/RUNBOOK.md'), false);
  });

  it('writes one per cluster, each naming its own overlay', () => {
    const synth = synthStack({ clusters: { staging: { hostname: 'staging.example.net' }, production: {} } });
    for (const cluster of ['staging', 'production']) {
      const runbook = synth.tree.get(`clusters/${cluster}/RUNBOOK.md`)!;
      assert.deepEqual(unresolved(synth, runbook).problems, []);
      assert.match(runbook, new RegExp(`\`./dist/apps/headlamp/${cluster}\``));
      assert.match(runbook, new RegExp(`sops secrets/${cluster}/headlamp/cloudflared-tunnel\\.yaml`));
    }
    assert.match(synth.tree.get('clusters/staging/RUNBOOK.md')!, /https:\/\/staging\.example\.net/);
  });

  it('catches a runbook that names an object synth did not write', () => {
    const synth = synthStack(CUSTOM);
    const wrong = synth.tree.get('clusters/pi/RUNBOOK.md')!.replace('helm uninstall dash -n tools', 'helm uninstall headlamp -n headlamp');
    assert.deepEqual(unresolved(synth, wrong).problems, ['HelmRelease headlamp/headlamp is not in the synthesized tree: helm uninstall headlamp -n headlamp']);
    assert.deepEqual(unresolved(synth, '```sh\nkubectl delete ns tools\n```').problems, ['no check for: kubectl delete ns tools']);
  });
});
