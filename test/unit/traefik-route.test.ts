import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TraefikRoute, TraefikRouteProps } from '../../lib';
import { synthChart } from '../helpers';

const route = (props: Partial<TraefikRouteProps> = {}) =>
  synthChart((s) => new TraefikRoute(s, 'r', { hostname: 'h.example.net', namespace: 'ns', serviceName: 'svc', servicePort: 80, ...props }))[0];

describe('TraefikRoute', () => {
  it('routes Host(`hostname`) on the tunnel entry point to the Service port', () => {
    const r = route();
    assert.equal(r.apiVersion, 'traefik.io/v1alpha1');
    assert.equal(r.kind, 'IngressRoute');
    assert.deepEqual(r.metadata, { name: 'svc', namespace: 'ns' });
    assert.deepEqual(r.spec, { entryPoints: ['tunnel'], routes: [{ kind: 'Rule', match: 'Host(`h.example.net`)', services: [{ name: 'svc', namespace: 'ns', port: 80 }] }] });
  });

  it('adds middlewares in order, defaulting to the route namespace', () => {
    const r = route({ middlewares: [{ name: 'a' }, { name: 'b', namespace: 'traefik' }], entryPoints: ['websecure'] });
    assert.deepEqual(r.spec.routes[0].middlewares, [{ name: 'a', namespace: 'ns' }, { name: 'b', namespace: 'traefik' }]);
    assert.deepEqual(r.spec.entryPoints, ['websecure']);
  });

  it('refuses an empty entry point list', () => {
    assert.throws(() => route({ entryPoints: [] }), /route\.entryPoints is empty: name at least one Traefik entry point/);
  });
});
