import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudflaredTunnel, CloudflaredTunnelProps, CLOUDFLARED_VERSION } from '../../lib';
import { synthChart } from '../helpers';

function tunnel(props: Partial<CloudflaredTunnelProps> = {}) {
  const objects = synthChart((s) => new CloudflaredTunnel(s, 't', { namespace: 'headlamp', ...props }));
  assert.deepEqual(objects.map((o) => o.kind), ['Deployment', 'PodDisruptionBudget'], 'the credentials Secret is never generated');
  return objects[0];
}

describe('CloudflaredTunnel', () => {
  const deploy = tunnel();
  const pod = deploy.spec.template.spec;
  const [container] = pod.containers;

  it('runs 2 replicas of a pinned cloudflared image', () => {
    assert.equal(deploy.spec.replicas, 2);
    assert.equal(container.image, `cloudflare/cloudflared:${CLOUDFLARED_VERSION}`);
    assert.match(CLOUDFLARED_VERSION, /^\d{4}\.\d+\.\d+$/);
  });

  it('runs the tunnel from the mounted config with metrics on 0.0.0.0:2000', () => {
    assert.deepEqual(container.args, ['tunnel', '--config', '/etc/cloudflared/config.yaml', '--no-autoupdate', '--metrics', '0.0.0.0:2000', 'run']);
  });

  it('probes GET /ready on the metrics port for liveness and readiness', () => {
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      assert.equal(probe.httpGet.path, '/ready');
      assert.equal(probe.httpGet.port, 2000);
    }
  });

  it('sets requests and limits', () => {
    assert.ok(container.resources.requests.cpu && container.resources.requests.memory);
    assert.ok(container.resources.limits.cpu && container.resources.limits.memory);
  });

  it('meets Pod Security restricted as uid/gid 65532 without a service account token', () => {
    assert.deepEqual(pod.securityContext, {
      fsGroup: 65532, fsGroupChangePolicy: 'Always', runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.deepEqual(container.securityContext, {
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532,
    });
    assert.equal(pod.automountServiceAccountToken, false);
  });

  it('spreads over hostnames and only schedules on amd64 and arm64 nodes', () => {
    assert.deepEqual(pod.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey), ['kubernetes.io/hostname']);
    assert.deepEqual(pod.topologySpreadConstraints[0].labelSelector.matchLabels, deploy.spec.selector.matchLabels);
    const [term] = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    assert.deepEqual(term.matchExpressions, [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }]);
  });

  it('mounts the cloudflared-tunnel Secret read-only with mode 0400', () => {
    assert.deepEqual(pod.volumes, [{
      name: 'tunnel',
      secret: { secretName: 'cloudflared-tunnel', defaultMode: 0o400, items: [{ key: 'config.yaml', path: 'config.yaml' }, { key: 'credentials.json', path: 'credentials.json' }] },
    }]);
    assert.deepEqual(container.volumeMounts, [{ name: 'tunnel', mountPath: '/etc/cloudflared', readOnly: true }]);
  });

  it('takes replicas, version, Secret name and metrics port', () => {
    const d = tunnel({ replicas: 3, version: '2025.9.1', secretName: 's', metricsPort: 9000, name: 'tunnel' });
    const c = d.spec.template.spec.containers[0];
    assert.equal(d.metadata.name, 'tunnel');
    assert.equal(d.spec.replicas, 3);
    assert.equal(c.image, 'cloudflare/cloudflared:2025.9.1');
    assert.ok(c.args.includes('0.0.0.0:9000'));
    assert.equal(c.readinessProbe.httpGet.port, 9000);
    assert.equal(d.spec.template.spec.volumes[0].secret.secretName, 's');
  });

  it('refuses latest, untagged-looking versions and fewer than one replica', () => {
    for (const version of ['latest', '', 'v2025.10.0', '2025.10.0@sha256:abc']) {
      assert.throws(() => tunnel({ version }), /tunnel\.version: Invalid value: ".*": not a release tag: pin one such as/, version);
    }
    assert.throws(() => tunnel({ replicas: 0 }), /tunnel\.replicas: Invalid value: 0: must be a whole number ≥ 1; turn the tunnel off with tunnel: false instead/);
  });
});
