// What the runbook says of Crossview's own parts: the values Secret that holds
// its passwords (how to create and encrypt it, with the real names) and the
// RBAC that replaces the chart's ClusterRole.
import { RunbookAddon, sh } from '../../app/runbook';

export interface CrossviewRunbookFacts {
  readonly namespace: string;
  /** The SOPS values Secret, or undefined when the passwords are set another way. */
  readonly valuesSecret?: string;
  /** Its file, from the repository root, e.g. `secrets/homelab/crossview/crossview-values.yaml`. */
  readonly valuesFile?: string;
  /** The ClusterRoles the chart's ServiceAccount is bound to. */
  readonly roles: readonly string[];
}

export function crossviewRunbook(f: CrossviewRunbookFacts): RunbookAddon {
  const rows: [string, string][] = [['RBAC', f.roles.map((r) => `\`${r}\``).join(' and ') + ' (read-only, no Secrets)']];
  if (f.valuesSecret === undefined || f.valuesFile === undefined) return { rows };
  const draft = `/tmp/${f.valuesSecret}.yaml`;
  return {
    rows: [...rows, ['Passwords', `Secret \`${f.valuesSecret}\` (key \`values.yaml\`), SOPS-encrypted in \`${f.valuesFile}\``]],
    survivesUninstall: ['the database volume'],
    sections: [[
      '## Create the passwords (once, before the first sync)',
      '',
      `The release reads \`secrets.dbPassword\` and \`secrets.sessionSecret\` from the Secret \`${f.valuesSecret}\`; until it exists the release waits. Write it, encrypt it, commit it:`,
      '',
      ...sh(
        `umask 077; printf 'secrets:\\n  dbPassword: %s\\n  sessionSecret: %s\\n' "$(openssl rand -hex 24)" "$(openssl rand -hex 32)" > ${draft}`,
        `kubectl create secret generic ${f.valuesSecret} -n ${f.namespace} --from-file=values.yaml=${draft} --dry-run=client -o yaml > ${f.valuesFile}`,
        `rm ${draft} && sops --encrypt --in-place ${f.valuesFile}`,
      ),
      '',
      'postgres takes the database password only when it creates its volume: to change it later, change it in the database first (`ALTER USER postgres PASSWORD …`), then in the Secret.',
    ]],
  };
}
