// Crossview, the Crossplane visualizer, installed the GitOps way: its chart
// from the OCI artifact (OCIRepository + chartRef), hardened values, least
// privilege, passwords from a SOPS-encrypted values Secret, tunnel and route.
//
//   npm run synth -- examples/crossview.ts          writes examples/dist/crossview/
//   npm run validate -- --dist examples/dist/crossview
//
// Headlamp declares the Crossview plugin in its plugin manager, so its Crossview
// page opens this release: no installer Job, no cluster-admin binding.
//
// Copy the stacks into main.ts to publish them with your dist/. Before the first
// sync, put the passwords in secrets/homelab/crossview/crossview-values.yaml
// (a Secret whose values.yaml sets secrets.dbPassword and secrets.sessionSecret)
// and encrypt it with sops.
import { CrossviewStack, FluxApp, HeadlampStack } from '../lib';

const app = new FluxApp({ distPath: 'examples/dist/crossview' });
new CrossviewStack(app, 'crossview', {
  hostname: 'crossview.example.net',
  // A pasted release tag works too: 'v3.4.0' is read as chart version 3.4.0, with a warning.
  chartVersion: '3.4.0',
});
new HeadlampStack(app, 'headlamp', {
  hostname: 'headlamp.example.net',
  // One runbook per cluster folder: Crossview's.
  runbook: false,
  plugins: [
    // Package and version from the plugin's artifacthub-pkg.yml (MoeidHeidari/crossview-headlamp, 0.1.2):
    // check both on Artifact Hub before you deploy.
    { name: 'crossview-headlamp', source: 'https://artifacthub.io/packages/headlamp/crossview-headlamp/crossview-headlamp', version: '0.1.2' },
  ],
});
app.synth();
