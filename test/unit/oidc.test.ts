// OIDC sign-in and dynamic clusters: typed props rendered to the chart's
// values, the client secret only from a SOPS-encrypted Secret (refused in
// values, env and args), and the flag for per-user clusters.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HeadlampStackProps, JsonObject, ManifestObject } from '../../lib';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { renderChart } from '../../lib/charts/render-chart';
import { FIXTURES, synthStack, tempDir } from '../helpers';

const OIDC = { issuerUrl: 'https://auth.example.net/realms/home', clientId: 'headlamp' };
const OPTIONS = { chartDirs: [join(FIXTURES, 'charts')], cacheDir: tempDir(), pull: false };

function rendered(props: Partial<HeadlampStackProps>) {
  const values = synthStack(props).get('HelmRelease', 'headlamp').spec.values;
  const deployment = renderChart({ archive: join(FIXTURES, 'charts', 'headlamp-0.45.0.tgz'), releaseName: 'headlamp', namespace: 'headlamp', values })
    .find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: { name: string; args: string[]; env?: { name: string; value?: string }[]; envFrom?: object[] }[] } } } };
  return deployment.spec.template.spec.containers.find((c) => c.name === 'headlamp')!;
}

describe('oidc', () => {
  const synth = synthStack({ oidc: OIDC });
  const release = synth.get('HelmRelease', 'headlamp');

  it('reads the client secret from the Secret headlamp-oidc through the chart\'s externalSecret, and nothing secret sits in the values', () => {
    assert.deepEqual(release.spec.values.config.oidc.externalSecret, { enabled: true, name: 'headlamp-oidc', hasScopes: true });
    assert.deepEqual(release.spec.values.config.oidc.secret, { create: false });
    assert.deepEqual(release.spec.values.env, [
      { name: 'OIDC_CLIENT_ID', value: 'headlamp' },
      { name: 'OIDC_ISSUER_URL', value: 'https://auth.example.net/realms/home' },
      { name: 'OIDC_SCOPES', value: 'openid,profile,email,groups' },
      { name: 'OIDC_CALLBACK_URL', value: 'https://headlamp.example.net/oidc-callback' },
      { name: 'OIDC_USE_PKCE', value: 'true' },
    ]);
    assert.doesNotMatch(JSON.stringify(release), /clientSecret|CLIENT_SECRET/);
  });

  it('renders a pod that takes the secret from the Secret and passes every check', () => {
    const container = rendered({ oidc: { ...OIDC, meUserInfoUrl: 'https://headlamp.example.net/oauth2/userinfo' } });
    assert.deepEqual(container.envFrom, [{ secretRef: { name: 'headlamp-oidc' } }]);
    for (const arg of ['-oidc-client-secret=$(OIDC_CLIENT_SECRET)', '-oidc-idp-issuer-url=$(OIDC_ISSUER_URL)', '-oidc-scopes=$(OIDC_SCOPES)', '-oidc-callback-url=$(OIDC_CALLBACK_URL)', '-oidc-use-pkce=$(OIDC_USE_PKCE)', '-me-user-info-url=$(ME_USER_INFO_URL)']) {
      assert.ok(container.args.includes(arg), `${arg} in ${container.args.join(' ')}`);
    }
    const findings = validationPolicy({ ...OPTIONS, render: true }).checkObjects([release as unknown as ManifestObject]).flatMap((r) => r.findings);
    assert.deepEqual(findings, []);
  });

  it('lets Headlamp reach the issuer over HTTPS, whatever the API server\'s addresses', () => {
    const egress = synthStack({ oidc: OIDC, networkPolicy: { apiServerCidrs: ['192.168.1.10/32'] } }).file('apps/headlamp/network-policy.yaml').find((p) => p.metadata.name === 'headlamp-egress')!.spec.egress;
    assert.deepEqual(egress[2], { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
  });

  it('makes the secrets Kustomization exist even without a tunnel', () => {
    const noTunnel = synthStack({ oidc: OIDC, tunnel: false });
    assert.equal(noTunnel.get('Kustomization', 'headlamp-secrets').spec.path, './secrets/homelab/headlamp');
    assert.deepEqual(noTunnel.get('Kustomization', 'headlamp').spec.dependsOn.map((d: { name: string }) => d.name), ['headlamp-namespace', 'headlamp-secrets']);
    assert.throws(() => synthStack({ tunnel: false }).get('Kustomization', 'headlamp-secrets'), /expected one Kustomization headlamp-secrets, found 0/, 'no Secret needed, no secrets Kustomization');
  });

  it('refuses the client secret in values, env or args, and accepts it from a Secret', () => {
    const errors = (values: JsonObject) => validationPolicy(OPTIONS).checkObjects([synthStack({ oidc: OIDC, values }).get('HelmRelease', 'headlamp') as unknown as ManifestObject])
      .flatMap((r) => r.findings.filter((f) => f.severity === 'error').map((f) => f.message));
    assert.match(errors({ config: { oidc: { clientSecret: 'hunter2' } } }).join('\n'), /values.config.oidc.clientSecret is a secret in plain text/);
    assert.match(errors({ env: [{ name: 'OIDC_CLIENT_SECRET', value: 'hunter2' }] }).join('\n'), /values.env OIDC_CLIENT_SECRET holds the OIDC client secret in plain text/);
    assert.match(errors({ config: { extraArgs: ['-oidc-client-secret=hunter2'] } }).join('\n'), /values.config.extraArgs passes -oidc-client-secret in plain text/);
    const fromSecret = { env: [{ name: 'OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'other', key: 'secret' } } }] };
    assert.deepEqual(errors(fromSecret), []);
    assert.equal(synthStack({ oidc: OIDC, values: fromSecret }).get('HelmRelease', 'headlamp').spec.values.env[0].name, 'OIDC_CLIENT_SECRET', 'the user\'s env comes first, ours after');
  });

  it('refuses bad settings', () => {
    assert.throws(() => synthStack({ oidc: { ...OIDC, issuerUrl: 'http://auth' } }), /oidc.issuerUrl: Invalid value: "http:\/\/auth": an https:\/\/ URL/);
    assert.throws(() => synthStack({ oidc: { ...OIDC, clientId: ' ' } }), /oidc.clientId is empty/);
    assert.throws(() => synthStack({ oidc: { ...OIDC, scopes: [] } }), /oidc.scopes: Invalid value: \[\]/);
    assert.throws(() => synthStack({ oidc: { ...OIDC, secretName: 'Bad' } }), /oidc.secretName: Invalid value: "Bad"/);
  });
});

describe('dynamicClusters', () => {
  it('adds -enable-dynamic-clusters after the user\'s own flags', () => {
    const values = synthStack({ dynamicClusters: true, values: { config: { extraArgs: ['-session-ttl=3600'] } } }).get('HelmRelease', 'headlamp').spec.values;
    assert.deepEqual(values.config.extraArgs, ['-session-ttl=3600', '-enable-dynamic-clusters']);
    assert.ok(rendered({ dynamicClusters: true }).args.includes('-enable-dynamic-clusters'));
    assert.equal(synthStack().get('HelmRelease', 'headlamp').spec.values.config.extraArgs, undefined, 'off by default');
  });
});
