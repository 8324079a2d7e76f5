// What the runbook says of the login identity: where it is, how to read the
// token and how to rotate it, with the names synth generated.
import { RunbookAddon, sh } from '../../app/runbook';
import { LoginIdentity } from './login-identity';

export interface LoginRunbookFacts {
  readonly login: LoginIdentity;
  readonly namespace: string;
  readonly hostname?: string;
  /** The app's Flux Kustomization, which re-creates a deleted token Secret. */
  readonly kustomization: { readonly name: string; readonly namespace: string };
}

export function loginRunbook(f: LoginRunbookFacts): RunbookAddon {
  const { serviceAccountName, tokenSecretName, clusterRole } = f.login;
  const read = `kubectl -n ${f.namespace} get secret ${tokenSecretName} -o jsonpath='{.data.token}' | base64 -d; echo`;
  return {
    rows: [['Login', `ServiceAccount \`${serviceAccountName}\`, token Secret \`${tokenSecretName}\`, ClusterRole \`${clusterRole}\``]],
    survivesUninstall: ['the login token'],
    sections: [[
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
        `kubectl -n ${f.namespace} delete secret ${tokenSecretName}`,
        `flux reconcile kustomization ${f.kustomization.name} -n ${f.kustomization.namespace} --with-source`,
        read,
      ),
    ]],
  };
}
