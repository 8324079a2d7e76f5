// The namespace's NetworkPolicies, the PodDisruptionBudgets and the HTTPRoute
// alternative: what each lets through, for the default stack and its variants.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CrossviewStack, FluxApp } from '../../lib';
import { K8sObject, Synth, synthStack, tempDir } from '../helpers';

const policies = (objects: K8sObject[]) => Object.fromEntries(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => [o.metadata.name, o.spec]));
const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};
const HEADLAMP = { matchLabels: { 'app.kubernetes.io/instance': 'headlamp', 'app.kubernetes.io/name': 'headlamp' } };
const CLOUDFLARED = { matchLabels: { 'app.kubernetes.io/instance': 'cloudflared', 'app.kubernetes.io/name': 'cloudflared' } };

describe('NetworkPolicies of the default stack', () => {
  const synth = synthStack();
  const spec = policies(synth.file('apps/headlamp/network-policy.yaml'));

  it('denies ingress to every pod of the namespace by default', () => {
    assert.deepEqual(Object.keys(spec), ['default-deny-ingress', 'headlamp-ingress', 'headlamp-egress', 'cloudflared-metrics', 'cloudflared-egress']);
    assert.deepEqual(spec['default-deny-ingress'], { podSelector: {}, policyTypes: ['Ingress'] });
  });

  it('lets only Traefik reach Headlamp, on 4466', () => {
    assert.deepEqual(spec['headlamp-ingress'], {
      podSelector: HEADLAMP,
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } } }],
        ports: [{ port: 4466, protocol: 'TCP' }],
      }],
    });
  });

  it('lets Headlamp reach DNS and the API server only', () => {
    assert.deepEqual(spec['headlamp-egress'].egress, [DNS, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] }]);
  });

  it('lets cloudflared reach DNS, Cloudflare on 7844 and Traefik\'s tunnel entry point, and be scraped from monitoring only', () => {
    assert.deepEqual(spec['cloudflared-egress'].podSelector, CLOUDFLARED);
    assert.deepEqual(spec['cloudflared-egress'].egress, [
      DNS,
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 7844, protocol: 'TCP' }, { port: 7844, protocol: 'UDP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 8100, protocol: 'TCP' }] },
    ]);
    assert.deepEqual(spec['cloudflared-metrics'].ingress, [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 2000, protocol: 'TCP' }] }]);
  });

  it('select the pods the chart renders', () => {
    // The rendered Deployment's selector is what headlamp-ingress must match.
    assert.deepEqual(synth.get('Deployment', 'cloudflared').spec.selector, CLOUDFLARED);
  });
});

describe('NetworkPolicy variants', () => {
  it('without a route, the tunnel reaches Headlamp\'s pods directly, and only it', () => {
    const spec = policies(synthStack({ route: false }).file('apps/headlamp/network-policy.yaml'));
    assert.deepEqual(spec['headlamp-ingress'].ingress, [{ from: [{ podSelector: CLOUDFLARED }], ports: [{ port: 4466, protocol: 'TCP' }] }]);
    assert.deepEqual(spec['cloudflared-egress'].egress[2], { to: [{ podSelector: HEADLAMP }], ports: [{ port: 4466, protocol: 'TCP' }] });
  });

  it('takes the monitoring namespace, the API server\'s addresses and Traefik\'s pods as props', () => {
    const spec = policies(synthStack({ networkPolicy: { monitoringNamespace: 'observability', apiServerCidrs: ['192.168.1.10/32'], traefik: { namespace: 'traefik' } } }).file('apps/headlamp/network-policy.yaml'));
    assert.deepEqual(spec['cloudflared-metrics'].ingress[0].from, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
    assert.deepEqual(spec['headlamp-egress'].egress[1].to, [{ ipBlock: { cidr: '192.168.1.10/32' } }]);
    assert.deepEqual(spec['headlamp-ingress'].ingress[0].from, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }]);
  });

  it('refuses a bad monitoring namespace or CIDR', () => {
    assert.throws(() => synthStack({ networkPolicy: { monitoringNamespace: 'Monitoring' } }), /networkPolicy.monitoringNamespace: Invalid value: "Monitoring"/);
    assert.throws(() => synthStack({ networkPolicy: { apiServerCidrs: ['192.168.1.300/32'] } }), /networkPolicy.apiServerCidrs\[0\]: Invalid value: "192.168.1.300\/32": must be a CIDR/);
  });

  it('networkPolicy: false leaves them out', () => {
    const synth = synthStack({ networkPolicy: false });
    assert.equal(synth.tree.has('apps/headlamp/network-policy.yaml'), false);
    assert.deepEqual(synth.objects.filter((o) => o.kind === 'NetworkPolicy'), []);
  });

  it('are left out for an app whose pods nobody described, whose default deny would cut it off', () => {
    const app = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation: false });
    new CrossviewStack(app, 'crossview', { hostname: 'crossview.example.net' });
    const synth = new Synth(app);
    assert.equal(synth.tree.has('apps/crossview/network-policy.yaml'), false);
    assert.deepEqual(synth.objects.filter((o) => o.kind === 'NetworkPolicy'), []);
  });

  it('in raw mode select the same pods', () => {
    const synth = synthStack({ install: 'raw' as never });
    assert.deepEqual(synth.get('Deployment', 'headlamp').spec.selector, HEADLAMP);
    assert.deepEqual(policies(synth.file('apps/headlamp/network-policy.yaml'))['headlamp-ingress'].podSelector, HEADLAMP);
  });
});

describe('PodDisruptionBudgets', () => {
  it('protect the two connectors, one eviction at a time', () => {
    const pdb = synthStack().get('PodDisruptionBudget', 'cloudflared');
    assert.deepEqual(pdb.spec, { maxUnavailable: 1, selector: CLOUDFLARED });
  });

  it('protect Headlamp only when it has more than one pod', () => {
    assert.deepEqual(synthStack().objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata.name), ['cloudflared']);
    assert.deepEqual(synthStack({ replicas: 2 }).get('PodDisruptionBudget', 'headlamp').spec, { maxUnavailable: 1, selector: HEADLAMP });
    assert.deepEqual(synthStack({ tunnel: { replicas: 1 } }).objects.filter((o) => o.kind === 'PodDisruptionBudget'), [], 'a single connector has nothing to keep up');
    const chartOwn = synthStack({ replicas: 2, values: { podDisruptionBudget: { enabled: true, minAvailable: null, maxUnavailable: 1 } } });
    assert.deepEqual(chartOwn.objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata.name), ['cloudflared'], 'the chart\'s own budget is the only one');
  });
});

describe('HTTPRoute instead of the IngressRoute', () => {
  const httpRoute = { parentRefs: [{ name: 'internal', namespace: 'gateway', sectionName: 'tunnel' }], tunnelOrigin: 'http://internal-gateway.gateway.svc.cluster.local:8100' };

  it('routes the hostname to the Service through the Gateway, and the tunnel and the policies follow', () => {
    const synth = synthStack({ route: false, httpRoute });
    const route = synth.get('HTTPRoute', 'headlamp');
    assert.equal(route.apiVersion, 'gateway.networking.k8s.io/v1');
    assert.deepEqual(route.spec, {
      parentRefs: [{ name: 'internal', namespace: 'gateway', sectionName: 'tunnel' }],
      hostnames: ['headlamp.example.net'],
      rules: [{ backendRefs: [{ name: 'headlamp', port: 80 }] }],
    });
    assert.equal(synth.objects.filter((o) => o.kind === 'IngressRoute').length, 0);
    assert.equal(synth.get('Deployment', 'cloudflared').metadata.annotations!['flux-helm-apps/tunnel-origin'], httpRoute.tunnelOrigin);
    const spec = policies(synth.file('apps/headlamp/network-policy.yaml'));
    assert.deepEqual(spec['headlamp-ingress'].ingress[0].from, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }]);
    assert.deepEqual(spec['cloudflared-egress'].egress[2], { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }], ports: [{ port: 8100, protocol: 'TCP' }] });
  });

  it('is one or the other', () => {
    assert.throws(() => synthStack({ httpRoute }), /httpRoute is set and so is the Traefik route: the app gets one of them; set route: false/);
    assert.throws(() => synthStack({ route: false, httpRoute: { ...httpRoute, parentRefs: [] } }), /httpRoute.parentRefs is empty/);
  });
});
