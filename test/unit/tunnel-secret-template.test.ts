import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ManifestObject } from '../../lib';
import { secretViolations } from '../../lib/policy/secret-policy';
import { sopsConfig, tunnelSecretTemplates, tunnelSites } from '../../lib/secrets/tunnel-secret-template';
import { parseYaml, synthStack } from '../helpers';

describe('tunnelSites and the secret templates', () => {
  it('take every name from the synthesized objects', () => {
    const synth = synthStack({ name: 'dash', namespace: 'ops', clusters: { 'pi': {} }, hostname: 'dash.home.example', tunnel: { secretName: 'tunnel-creds' } });
    const [site] = tunnelSites(synth.tree);
    assert.deepEqual(synth.get('IngressRoute', 'dash').spec.entryPoints, ['tunnel']);
    assert.deepEqual(site, {
      cluster: 'pi', app: 'dash', namespace: 'ops', secretName: 'tunnel-creds', hostname: 'dash.home.example',
      service: 'http://traefik-tunnel.kube-system.svc.cluster.local:8100',
      secretsDir: 'secrets/pi/dash',
    }, 'through Traefik\'s tunnel entry point, so the route\'s middlewares apply');
    const secretVolume = synth.get('Deployment', 'cloudflared').spec.template.spec.volumes.find((v: { secret?: object }) => v.secret);
    assert.equal(secretVolume.secret.secretName, site.secretName);

    const files = tunnelSecretTemplates(site);
    assert.deepEqual([...files.keys()], ['secrets/pi/dash/tunnel-creds.yaml', 'secrets/pi/dash/kustomization.yaml']);
    const [secret] = parseYaml(files.get('secrets/pi/dash/tunnel-creds.yaml')!);
    assert.deepEqual(secret.metadata, { name: 'tunnel-creds', namespace: 'ops' });
    const config = parse(secret.stringData['config.yaml']);
    assert.deepEqual(config.ingress, [{ hostname: 'dash.home.example', service: site.service }, { service: 'http_status:404' }], 'the catch-all rule comes last');
    assert.equal(config['credentials-file'], '/etc/cloudflared/credentials.json');
    assert.deepEqual(Object.keys(JSON.parse(secret.stringData['credentials.json'])), ['AccountTag', 'TunnelSecret', 'TunnelID']);
    assert.match(secretViolations(secret as unknown as ManifestObject)!.join(), /in plain text/, 'a template is flagged until encrypted');
  });

  it('send the hostname straight to the Service when there is no route, and to a route origin of the user\'s', () => {
    const [direct] = tunnelSites(synthStack({ name: 'dash', namespace: 'ops', hostname: 'dash.home.example', route: false }).tree);
    assert.equal(direct.service, 'http://dash-headlamp.ops.svc.cluster.local:80', 'the chart\'s Service, <release>-headlamp');
    assert.equal(direct.hostname, 'dash.home.example');
    const web = { entryPoints: ['web'], tunnelOrigin: 'http://traefik.kube-system.svc.cluster.local:80' };
    assert.equal(tunnelSites(synthStack({ route: web }).tree)[0].service, web.tunnelOrigin);
    assert.throws(() => synthStack({ route: { entryPoints: ['web'] } }), /route.entryPoints \["web"\] leave out "tunnel", so the tunnel does not know where Traefik serves them: set route.tunnelOrigin/);
    assert.doesNotThrow(() => synthStack({ route: { entryPoints: ['web'] }, tunnel: false }), 'no tunnel, no origin needed');
    assert.throws(() => synthStack({ route: { tunnelOrigin: 'traefik:80/x' } }), /route.tunnelOrigin: Invalid value: "traefik:80\/x": must be an http:\/\/ or https:\/\/ URL/);
  });

  it('put the Secret where the secrets Kustomization the app depends on reads it', () => {
    const synth = synthStack({ name: 'dash', clusters: { 'pi': {} }, flux: { secretsDir: 'clusters-secrets' } });
    assert.equal(synth.get('Kustomization', 'dash-secrets').spec.path, './clusters-secrets/pi/dash');
    const [site] = tunnelSites(synth.tree);
    assert.equal(site.secretsDir, 'clusters-secrets/pi/dash');
    assert.deepEqual([...tunnelSecretTemplates(site).keys()], ['clusters-secrets/pi/dash/cloudflared-tunnel.yaml', 'clusters-secrets/pi/dash/kustomization.yaml']);
  });

  it('write .sops.yaml rules under secrets/: values files whole first, then data and stringData of Secrets', () => {
    assert.deepEqual(parse(sopsConfig('age1abc')), { creation_rules: [
      { path_regex: '^secrets/.*values[^/]*\\.(ya?ml|json|env)$', age: 'age1abc' },
      { path_regex: '^secrets/.*\\.ya?ml$', encrypted_regex: '^(data|stringData)$', age: 'age1abc' },
    ] });
    // SOPS takes the first rule that matches: a values file must never reach the Secrets rule.
    const [values, secrets] = parse(sopsConfig('age1abc')).creation_rules.map((r: { path_regex: string }) => new RegExp(r.path_regex));
    for (const path of ['secrets/homelab/podinfo/values.yaml', 'secrets/homelab/podinfo/values.env', 'secrets/homelab/podinfo/redis-values.yml']) assert.match(path, values);
    for (const path of ['secrets/homelab/podinfo/cloudflared-tunnel.yaml', 'secrets/homelab/podinfo/kustomization.yaml']) {
      assert.doesNotMatch(path, values);
      assert.match(path, secrets);
    }
    const rule = parse(sopsConfig('age1abc', ['secrets', 'home.secrets'])).creation_rules[1];
    assert.equal(rule.path_regex, '^(home\\.secrets|secrets)/.*\\.ya?ml$');
    assert.match('home.secrets/pi/dash/t.yaml', new RegExp(rule.path_regex));
    assert.doesNotMatch('homeXsecrets/pi/dash/t.yaml', new RegExp(rule.path_regex));
  });
});
