// The per-cluster RUNBOOK.md: the commands homelab users need when something is
// stuck, written with the names synth actually produced, so they run as pasted.
import { IFluxSource } from '../flux/flux-source';
import { IFluxKustomization } from '../flux/flux-kustomization';

/** What an app adds to the runbook of each cluster, from its own constructs. */
export interface RunbookAddon {
  /**
   * Rows of the overview table (what, name), after the workload's.
   * @default - none
   */
  readonly rows?: readonly (readonly [string, string])[];
  /**
   * Sections (Markdown lines) after the release section.
   * @default - none
   */
  readonly sections?: readonly (readonly string[])[];
  /**
   * What `helm uninstall` leaves in place besides the namespace and the tunnel, e.g. `the login token`.
   * @default - nothing else
   */
  readonly survivesUninstall?: readonly string[];
}

/** The names a runbook refers to, taken from the constructs that made the objects. */
export interface RunbookFacts {
  readonly cluster: string;
  /** Name of the app in headings, e.g. `Headlamp`. */
  readonly title: string;
  /** What the chart creates, for the uninstall note, e.g. `Headlamp's Deployment and Service`. */
  readonly chartMakes: string;
  /** Public hostname of the app. */
  readonly hostname?: string;
  /** Namespace the app and the tunnel run in. */
  readonly namespace: string;
  /** Source the Kustomizations sync from (flux bootstrap's GitRepository by default). */
  readonly source: IFluxSource;
  /** Flux Kustomizations in apply order: namespace, secrets (if any), app. */
  readonly kustomizations: readonly (IFluxKustomization & { readonly path: string })[];
  /** The app's Kustomization, the one a fix is pushed to. */
  readonly app: IFluxKustomization;
  /** The HelmRelease (Helm mode); Helm's release name is the same, in the same namespace. */
  readonly helmRelease?: { readonly name: string; readonly namespace: string };
  /** The app's Deployment (plain manifests, no chart). */
  readonly deployment?: string;
  /** What the app adds. */
  readonly addon?: RunbookAddon;
  /** The cloudflared tunnel, its Secret, and the secrets Kustomization that applies it. */
  readonly tunnel?: { readonly deployment: string; readonly secretName: string; readonly secretsFile: string; readonly kustomization: IFluxKustomization };
}

/** A shell code block. */
export const sh = (...lines: string[]): string[] => ['```sh', ...lines, '```'];

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function overview(f: RunbookFacts): string[] {
  const rows = [
    ['Flux Kustomizations, in apply order', f.kustomizations.map((k) => `\`${k.namespace}/${k.name}\` (\`${k.path}\`)`).join(' → ')],
    ['Namespace', `\`${f.namespace}\``],
    ...(f.helmRelease ? [['HelmRelease', `\`${f.helmRelease.namespace}/${f.helmRelease.name}\``]] : []),
    ...(f.deployment ? [['Deployment', `\`${f.namespace}/${f.deployment}\``]] : []),
    ...(f.addon?.rows ?? []),
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
      `Then start the release over. \`helm uninstall\` removes only what the chart made (${f.chartMakes}); ${listed(['the namespace', ...(f.addon?.survivesUninstall ?? []), ...(f.tunnel ? ['the tunnel'] : [])])} stay.`,
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
      `## Restart ${f.title}`,
      '',
      ...sh(`kubectl -n ${f.namespace} rollout restart deployment ${f.deployment}`, `kubectl -n ${f.namespace} rollout status deployment ${f.deployment}`),
    ];
  }
  return [];
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

/** The runbook of one cluster's app, as Markdown. */
export function clusterRunbook(f: RunbookFacts): string {
  const sections = [
    [`# ${f.title} on cluster \`${f.cluster}\`: runbook`, '', 'Every name below is the one synth generated; the commands run as pasted, from the root of this repository.', '', ...overview(f)],
    revisionSection(f),
    releaseSection(f),
    ...(f.addon?.sections ?? []),
    tunnelSection(f),
  ].filter((s) => s.length > 0);
  return sections.map((s) => s.join('\n')).join('\n\n');
}
