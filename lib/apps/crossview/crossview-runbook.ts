// What the runbook says of Crossview's own parts: the values Secret that holds
// its passwords (how to fill and encrypt it, with the real names) and the
// RBAC that replaces the chart's ClusterRole.
import { RunbookAddon, sh } from '../../app/runbook';

export interface CrossviewRunbookFacts {
  readonly namespace: string;
  /** The values Secret, or undefined when the passwords are set another way. */
  readonly valuesSecret?: string;
  /** The app's secrets folder, from the repository root, e.g. `secrets/homelab/crossview`. */
  readonly secretsFolder: string;
  /** The ClusterRoles the chart's ServiceAccount is bound to. */
  readonly roles: readonly string[];
}

export function crossviewRunbook(f: CrossviewRunbookFacts): RunbookAddon {
  const rows: [string, string][] = [['RBAC', f.roles.map((r) => `\`${r}\``).join(' and ') + ' (read-only, no Secrets)']];
  if (f.valuesSecret === undefined) return { rows };
  const file = `${f.secretsFolder}/values.yaml`;
  return {
    rows: [...rows, ['Passwords', `Secret \`${f.valuesSecret}\`, generated from \`${file}\` (SOPS-encrypted)`]],
    survivesUninstall: ['the database volume'],
    sections: [[
      '## Set the passwords (once, before the first sync)',
      '',
      `The release reads \`secrets.dbPassword\` and \`secrets.sessionSecret\` from the Secret \`${f.valuesSecret}\`, which Flux generates from \`${file}\`; until it exists the release waits. \`npm run init-secrets\` scaffolds the file and its generator; fill it, encrypt it whole, commit it:`,
      '',
      ...sh(
        `printf 'secrets:\\n  dbPassword: %s\\n  sessionSecret: %s\\n' "$(openssl rand -hex 24)" "$(openssl rand -hex 32)" > ${file}`,
        `sops --encrypt --in-place ${file}`,
      ),
      '',
      'postgres takes the database password only when it creates its volume: to change it later, change it in the database first (`ALTER USER postgres PASSWORD …`), then in the file.',
    ]],
  };
}
