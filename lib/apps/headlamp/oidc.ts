// Headlamp's OIDC sign-in: the public settings as plain environment
// variables, the client secret only from a SOPS-encrypted Secret the chart
// reads through `config.oidc.externalSecret`.
import { JsonObject } from '../../json';
import { dnsSubdomainProblem } from '../../props/prop-rules';

/** Headlamp's OIDC sign-in. */
export interface HeadlampOidcOptions {
  /** Issuer URL of the identity provider, e.g. `https://auth.example.net/realms/home`. */
  readonly issuerUrl: string;

  /** Client ID registered with the identity provider for Headlamp. */
  readonly clientId: string;

  /**
   * Scopes requested at sign-in.
   * @default ['openid', 'profile', 'email', 'groups']
   */
  readonly scopes?: readonly string[];

  /**
   * Whether sign-in uses PKCE (the code challenge), as public clients must.
   * @default true
   */
  readonly usePkce?: boolean;

  /**
   * URL the provider redirects to after sign-in; register it with the provider.
   * @default - `https://<hostname>/oidc-callback`
   */
  readonly callbackUrl?: string;

  /**
   * URL that tells Headlamp who signed in, when the ID token lacks it (e.g. an oauth2-proxy `/oauth2/userinfo`).
   * @default - none
   */
  readonly meUserInfoUrl?: string;

  /**
   * Secret holding the key `OIDC_CLIENT_SECRET`, SOPS-encrypted in
   * `secrets/<cluster>/<app>/`; the only place the client secret may live.
   * @default 'headlamp-oidc'
   */
  readonly secretName?: string;
}

const URL_PATTERN = /^https:\/\/[^\s/]+(\/\S*)?$/;

/** Problems of the OIDC props. */
export function oidcProblems(oidc: HeadlampOidcOptions): string[] {
  const url = (prop: string, value: string | undefined) => (value === undefined || URL_PATTERN.test(value) ? [] : [`oidc.${prop}: Invalid value: "${value}": an https:// URL, e.g. "https://auth.example.net/realms/home"`]);
  return [
    ...url('issuerUrl', oidc.issuerUrl),
    ...url('callbackUrl', oidc.callbackUrl),
    ...url('meUserInfoUrl', oidc.meUserInfoUrl),
    ...(oidc.clientId.trim() === '' ? ['oidc.clientId is empty: give the client ID registered with the identity provider'] : []),
    ...(oidc.scopes !== undefined && (oidc.scopes.length === 0 || oidc.scopes.some((s) => !/^\S+$/.test(s))) ? [`oidc.scopes: Invalid value: ${JSON.stringify(oidc.scopes)}: at least "openid", each a single word`] : []),
    ...[dnsSubdomainProblem('oidc.secretName', oidc.secretName ?? 'headlamp-oidc')].filter((p): p is string => p !== undefined),
  ];
}

/**
 * Chart values for OIDC sign-in: `externalSecret` makes the chart read every
 * OIDC variable from the environment (`envFrom` the Secret, which holds only
 * the client secret; the public settings as plain `env`), so no secret ever
 * sits in the HelmRelease.
 */
export function oidcValues(oidc: HeadlampOidcOptions, hostname: string | undefined): { values: JsonObject; env: JsonObject[] } {
  const callback = oidc.callbackUrl ?? (hostname === undefined ? undefined : `https://${hostname}/oidc-callback`);
  const pkce = oidc.usePkce ?? true;
  const env: JsonObject[] = [
    { name: 'OIDC_CLIENT_ID', value: oidc.clientId },
    { name: 'OIDC_ISSUER_URL', value: oidc.issuerUrl },
    { name: 'OIDC_SCOPES', value: (oidc.scopes ?? ['openid', 'profile', 'email', 'groups']).join(',') },
    ...(callback ? [{ name: 'OIDC_CALLBACK_URL', value: callback }] : []),
    ...(pkce ? [{ name: 'OIDC_USE_PKCE', value: 'true' }] : []),
    ...(oidc.meUserInfoUrl ? [{ name: 'ME_USER_INFO_URL', value: oidc.meUserInfoUrl }] : []),
  ];
  return {
    values: {
      config: {
        oidc: {
          secret: { create: false },
          externalSecret: { enabled: true, name: oidc.secretName ?? 'headlamp-oidc', hasScopes: true },
          // The chart adds each flag when its value is set; the value itself comes from env.
          ...(callback ? { callbackURL: callback } : {}),
          usePKCE: pkce,
          ...(oidc.meUserInfoUrl ? { meUserInfoURL: oidc.meUserInfoUrl } : {}),
        },
      },
    },
    env,
  };
}
