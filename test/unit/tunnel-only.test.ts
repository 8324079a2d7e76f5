// Tunnel-only by default: the route listens on Traefik's `tunnel` entry point
// (a ClusterIP-only port), the tunnel sends its hostname there so the route's
// middlewares apply, and whatever publishes the app around the tunnel (an
// Ingress, a NodePort or LoadBalancer Service, every visitor using Headlamp's
// token) is refused unless an opt-in gives the reason.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HeadlampAllowances, JsonObject, ManifestObject } from '../../lib';
import { allowAnnotation } from '../../lib/charts/release-checks';
import { validationPolicy } from '../../lib/apps/validation-policy';
import { FIXTURES, synthStack, tempDir } from '../helpers';

const OPTIONS = { chartDirs: [join(FIXTURES, 'charts')], cacheDir: tempDir(), pull: false };

/**
 * The HelmRelease synthesized with these props, annotated with exactly the
 * opt-ins of `allow` (synth refuses the values below without one, so it runs
 * with every opt-in and the annotations are set afterwards).
 */
function release(values: JsonObject, allow: HeadlampAllowances = {}): ManifestObject {
  const everything = { exposure: 'synth', serviceAccountToken: 'synth' };
  const obj = synthStack({ values, allow: everything }).get('HelmRelease', 'headlamp');
  obj.metadata.annotations = Object.fromEntries(Object.entries(allow).map(([key, reason]) => [allowAnnotation(key), reason]));
  return obj as unknown as ManifestObject;
}

/** The findings of a release and of what it renders, as `<object> <check>: <severity>: <message>`. */
function findings(values: JsonObject, allow?: HeadlampAllowances): string[] {
  return validationPolicy({ ...OPTIONS, render: true }).checkObjects([release(values, allow)])
    .flatMap((r) => r.findings.map((f) => `${f.object} ${f.check}: ${f.severity}: ${f.message}`));
}

const INGRESS = { ingress: { enabled: true, hosts: [{ host: 'headlamp.example.net', paths: [{ path: '/', type: 'Prefix' }] }] } };

describe('the default exposure', () => {
  it('routes on the tunnel entry point, and the tunnel goes through Traefik', () => {
    const synth = synthStack({ route: { middlewares: [{ name: 'auth' }] } });
    assert.deepEqual(synth.get('IngressRoute', 'headlamp').spec.entryPoints, ['tunnel'], 'not web, which the LAN reaches');
    const annotations = synth.get('Deployment', 'cloudflared').metadata.annotations!;
    assert.equal(annotations['flux-helm-apps/tunnel-origin'], 'http://traefik-tunnel.kube-system.svc.cluster.local:8100');
    assert.equal(annotations['flux-helm-apps/tunnel-hostname'], undefined, 'the route names the hostname');
  });

  it('keeps the Service ClusterIP and renders no Ingress', () => {
    assert.equal(synthStack().get('HelmRelease', 'headlamp').spec.values.service.type, 'ClusterIP');
    assert.deepEqual(findings({}), []);
  });
});

describe('publishing around the tunnel', () => {
  it('refuses values.ingress.enabled, in the values and in what they render', () => {
    const found = findings(INGRESS);
    assert.ok(found.some((f) => /^HelmRelease headlamp\/headlamp chart-values: error: values.ingress.enabled is true: the chart publishes the app through the ingress controller.*set allow.exposure to the reason/.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /^Ingress headlamp\/headlamp .* exposure: error: an Ingress publishes the app/.test(f)), found.join('\n'));
  });

  it('accepts it with allow.exposure, recorded on the HelmRelease, as warnings that carry the reason', () => {
    const allow = { exposure: 'LAN-only kiosk, behind the router firewall' };
    assert.equal(synthStack({ values: INGRESS, allow }).get('HelmRelease', 'headlamp').metadata.annotations?.['flux-helm-apps/allow-exposure'], allow.exposure);
    const found = findings(INGRESS, allow);
    assert.deepEqual(found.filter((f) => /: error:/.test(f)), []);
    assert.ok(found.some((f) => /chart-values: warning: values.ingress.enabled is true.*; allowed: LAN-only kiosk/.test(f)), found.join('\n'));
    assert.ok(found.some((f) => /^Ingress .* exposure: warning: allowed \(LAN-only kiosk, behind the router firewall\): an Ingress/.test(f)), found.join('\n'));
  });

  for (const type of ['NodePort', 'LoadBalancer']) {
    it(`refuses a ${type} Service, and accepts it with a reason`, () => {
      // The chart writes externalTrafficPolicy for these types, empty unless set.
      const values = { service: { type, port: 80, externalTrafficPolicy: 'Local' } };
      const refused = findings(values);
      assert.ok(refused.some((f) => new RegExp(`chart-values: error: values.service.type ${type} opens the app`).test(f)), refused.join('\n'));
      assert.ok(refused.some((f) => new RegExp(`^Service headlamp/headlamp .* exposure: error: spec.type ${type}`).test(f)), refused.join('\n'));
      assert.deepEqual(findings(values, { exposure: 'test bench' }).filter((f) => /: error:/.test(f)), []);
    });
  }

  it('refuses unsafeUseServiceAccountToken, and accepts it with allow.serviceAccountToken', () => {
    const values = { config: { unsafeUseServiceAccountToken: true } };
    assert.ok(findings(values).some((f) => /headlamp-values: error: values.config.unsafeUseServiceAccountToken is true.*or set allow.serviceAccountToken to the reason/.test(f)));
    const allow = { serviceAccountToken: 'single-user laptop cluster' };
    assert.equal(synthStack({ values, allow }).get('HelmRelease', 'headlamp').metadata.annotations?.['flux-helm-apps/allow-service-account-token'], allow.serviceAccountToken);
    const found = findings(values, allow);
    assert.deepEqual(found.filter((f) => /: error:/.test(f)), []);
    assert.ok(found.some((f) => /headlamp-values: warning: .*unsafeUseServiceAccountToken.*; allowed: single-user laptop cluster/.test(f)), found.join('\n'));
  });

  it('keeps the opt-in to the release it is given to: a plain Ingress object is still refused', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x', namespace: 'headlamp' }, spec: {} } as unknown as ManifestObject;
    const found = validationPolicy(OPTIONS).checkObjects([release({}, { exposure: 'why' }), ingress]).flatMap((r) => r.findings.map((f) => `${f.object} ${f.check}: ${f.severity}`));
    assert.ok(found.includes('Ingress headlamp/x exposure: error'), found.join('\n'));
  });
});
