// Values from Git, the Flux ways: a plain values file (a ConfigMap generated
// beside the release), SOPS-encrypted values (a Secret generated in the
// secrets folder), and one encrypted value set at a path (targetPath).
//   npm run synth -- examples/values-from.ts   → examples/dist/values-from/
//   npm run init-secrets                        (with this app in main.ts) scaffolds secrets/homelab/dash/
import { FluxApp, HelmApp, HEADLAMP_CHART_REPOSITORY, HEADLAMP_CHART_VERSION } from '../lib';
import { hardenedValues } from '../lib/apps/headlamp/hardened-values';

const app = new FluxApp({ distPath: 'examples/dist/values-from' });
new HelmApp(app, 'dash', {
  name: 'dash',
  chart: { name: 'headlamp', repository: HEADLAMP_CHART_REPOSITORY, version: HEADLAMP_CHART_VERSION },
  defaultValues: hardenedValues(),
  // 1. Plain values in examples/values/dash.yaml → ConfigMap dash-plain-values-<hash>.
  valuesFile: 'examples/values/dash.yaml',
  // 2. secrets/homelab/dash/values.yaml (encrypted whole) → Secret dash-values, key values.yaml;
  // 3. its values.env key oidc-client-id → the value config.oidc.clientID.
  secretValues: { targetPaths: { 'oidc-client-id': 'config.oidc.clientID' } },
  // Inline values come last and win.
  values: { replicaCount: 1 },
  tunnel: false,
  route: false,
});
app.synth();
