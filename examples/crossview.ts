// Crossview, the Crossplane visualizer, installed the GitOps way: its chart
// from the OCI artifact (OCIRepository + chartRef), hardened values, least
// privilege, passwords from a SOPS-encrypted values Secret, tunnel and route.
//
//   npm run synth -- examples/crossview.ts          writes examples/dist/crossview/
//   npm run validate -- --dist examples/dist/crossview
//
// Copy the stack into main.ts to publish it with your dist/. Before the first
// sync, put the passwords in secrets/homelab/crossview/crossview-values.yaml
// (a Secret whose values.yaml sets secrets.dbPassword and secrets.sessionSecret)
// and encrypt it with sops.
import { CrossviewStack, FluxApp } from '../lib';

const app = new FluxApp({ distPath: 'examples/dist/crossview' });
new CrossviewStack(app, 'crossview', {
  hostname: 'crossview.example.net',
  // A pasted release tag works too: 'v3.4.0' is read as chart version 3.4.0, with a warning.
  chartVersion: '3.4.0',
});
app.synth();
