// The per-cluster RUNBOOK.md: the commands homelab users need when something is
// stuck, written with the names synth actually produced, so they run as pasted.
import { IFluxSource } from '../flux/flux-source';
import { IFluxKustomization } from '../flux/flux-kustomization';

/** The names a runbook refers to, taken from the constructs that made the objects. */
export interface RunbookFacts {
  readonly cluster: string;
  /** Public hostname of Headlamp. */
  readonly hostname?: string;
  /** Namespace Headlamp, the tunnel and the login identity run in. */
  readonly namespace: string;
  /** Source the Kustomizations sync from (flux bootstrap's GitRepository by default). */
  readonly source: IFluxSource;
  /** Flux Kustomizations in apply order: namespace, secrets (if any), app. */
  readonly kustomizations: readonly (IFluxKustomization & { readonly path: string })[];
  /** The app's Kustomization, the one a fix is pushed to. */
  readonly app: IFluxKustomization;
  /** The HelmRelease (Helm mode); Helm's release name is the same, in the same namespace. */
  readonly helmRelease?: { readonly name: string; readonly namespace: string };
  /** The Headlamp Deployment (raw mode). */
  readonly deployment?: string;
  /** The login identity. */
  readonly login?: { readonly serviceAccount: string; readonly tokenSecret: string; readonly clusterRole: string };
  /** The cloudflared tunnel, its Secret, and the secrets Kustomization that applies it. */
  readonly tunnel?: { readonly deployment: string; readonly secretName: string; readonly secretsFile: string; readonly kustomization: IFluxKustomization };
}

const sh = (...lines: string[]) => ['```sh', ...lines, '```'];

function overview(f: RunbookFacts): string[] {
  const rows = [
    ['Flux Kustomizations, in apply order', f.kustomizations.map((k) => `\`${k.namespace}/${k.name}\` (\`${k.path}\`)`).join(' → ')],
    ['Namespace', `\`${f.namespace}\``],
    ...(f.helmRelease ? [['HelmRelease', `\`${f.helmRelease.namespace}/${f.helmRelease.name}\``]] : []),
    ...(f.deployment ? [['Deployment', `\`${f.namespace}/${f.deployment}\``]] : []),
    ...(f.login ? [['Login', `ServiceAccount \`${f.login.serviceAccount}\`, token Secret \`${f.login.tokenSecret}\`, ClusterRole \`${f.login.clusterRole}\``]] : []),
    ...(f.tunnel ? [['Tunnel', `Deployment \`${f.tunnel.deployment}\`, Secret \`${f.tunnel.secretName}\` from \`${f.tunnel.secretsFile}\``]] : []),
    ...(f.hostname ? [['URL', `https://${f.hostname}`]] : []),
  ];
  return ['| What | Name |', '|---|---|', ...rows.map(([what, name]) => `| ${what} | ${name} |`)];
}

function revisionSection(f: RunbookFacts): string[] {
  const { source } = f;
  const all = f.kustomizations.map((k) => k.name).join(', ');
  const steps = source.kind === 'GitRepository'
    ? [
      'Flux applies only what is on the branch its GitRepository watches; a fix on another branch never arrives.',
      '',
      ...sh(
        `flux get sources git -A                  # REVISION: the commit Flux fetched`,
        `BRANCH=$(kubectl -n ${source.namespace} get gitrepository ${source.name} -o jsonpath='{.spec.ref.branch}')`,
        `git fetch origin && git log -1 --format='%H %s' "origin/$BRANCH"`,
      ),
      '',
      'If the two commits differ, Flux has not fetched yet; if your fix is not on `origin/$BRANCH`, merge it there (`npm run doctor` warns when you work on another branch). Then:',
    ]
    : [`The Kustomizations sync from ${source.kind} \`${source.namespace}/${source.name}\`; compare its revision with the artifact you pushed:`, '', ...sh('flux get sources all -A'), '', 'Then:'];
  return [
    '## Is Flux running the commit you pushed?',
    '',
    ...steps,
    '',
    ...sh(
      `flux reconcile kustomization ${f.app.name} -n ${f.app.namespace} --with-source`,
      `flux get kustomizations -n ${f.app.namespace}     # ${all}: READY True`,
    ),
  ];
}

function releaseSection(f: RunbookFacts): string[] {
  if (f.helmRelease) {
    const { name, namespace } = f.helmRelease;
    return [
      '## Unblock a stuck release',
      '',
      `When \`flux get helmreleases -n ${namespace}\` shows \`${name}\` not ready after its retries, or \`helm -n ${namespace} status ${name}\` says \`pending-install\` or \`pending-upgrade\`, Flux will not try again on its own. Look first:`,
      '',
      ...sh(`kubectl -n ${namespace} describe helmrelease ${name}`, `helm -n ${namespace} history ${name}`),
      '',
      `Then start the release over. \`helm uninstall\` removes only what the chart made (Headlamp's Deployment and Service); the namespace, the login token and the tunnel stay.`,
      '',
      ...sh(
        `flux suspend helmrelease ${name} -n ${namespace}`,
        `helm uninstall ${name} -n ${namespace}`,
        `kubectl -n flux-system rollout restart deployment helm-controller`,
        `kubectl -n flux-system rollout status deployment helm-controller`,
        `flux resume helmrelease ${name} -n ${namespace}`,
        `flux reconcile helmrelease ${name} -n ${namespace} --force`,
      ),
    ];
  }
  if (f.deployment) {
    return [
      '## Restart Headlamp',
      '',
      ...sh(`kubectl -n ${f.namespace} rollout restart deployment ${f.deployment}`, `kubectl -n ${f.namespace} rollout status deployment ${f.deployment}`),
    ];
  }
  return [];
}

function loginSections(f: RunbookFacts): string[] {
  if (!f.login) return [];
  const { tokenSecret, clusterRole } = f.login;
  const read = `kubectl -n ${f.namespace} get secret ${tokenSecret} -o jsonpath='{.data.token}' | base64 -d; echo`;
  return [
    '## Read the login token',
    '',
    `Paste it into Headlamp's login page${f.hostname ? ` at https://${f.hostname}` : ''}. It can read everything \`${clusterRole}\` allows and change nothing.`,
    '',
    ...sh(read),
    '',
    '## Rotate the login token',
    '',
    `Deleting the Secret revokes the old token at once; Flux re-creates the Secret from \`dist/\` on the next reconcile and Kubernetes fills in a new token.`,
    '',
    ...sh(
      `kubectl -n ${f.namespace} delete secret ${tokenSecret}`,
      `flux reconcile kustomization ${f.app.name} -n ${f.app.namespace} --with-source`,
      read,
    ),
  ];
}

function tunnelSection(f: RunbookFacts): string[] {
  if (!f.tunnel) return [];
  const { deployment, secretName, secretsFile, kustomization } = f.tunnel;
  return [
    '## The tunnel',
    '',
    `The Secret \`${secretName}\` comes from \`${secretsFile}\` (SOPS-encrypted), applied by \`${kustomization.name}\` before the app. When the app waits on it:`,
    '',
    ...sh(
      `flux get kustomizations ${kustomization.name} -n ${kustomization.namespace}`,
      `kubectl -n ${f.namespace} get secret ${secretName}`,
      `kubectl -n ${f.namespace} logs deployment/${deployment} --tail=20`,
    ),
    '',
    'To change the tunnel, edit the encrypted file, push, and restart the connector (cloudflared reads its config once, at start):',
    '',
    ...sh(
      `sops ${secretsFile}`,
      `git commit -am "Update the ${secretName} Secret" && git push`,
      `flux reconcile kustomization ${kustomization.name} -n ${kustomization.namespace} --with-source`,
      `kubectl -n ${f.namespace} rollout restart deployment ${deployment}`,
    ),
  ];
}

/** The runbook of one cluster's Headlamp, as Markdown. */
export function clusterRunbook(f: RunbookFacts): string {
  const sections = [
    [`# Headlamp on cluster \`${f.cluster}\`: runbook`, '', 'Every name below is the one synth generated; the commands run as pasted, from the root of this repository.', '', ...overview(f)],
    revisionSection(f),
    releaseSection(f),
    loginSections(f),
    tunnelSection(f),
  ].filter((s) => s.length > 0);
  return sections.map((s) => s.join('\n')).join('\n\n');
}
