// A chart from an OCI registry the way current Flux recommends: an
// OCIRepository holding the chart, pinned by tag, and a HelmRelease that takes
// it with chartRef. Here Headlamp from a private mirror (push it there with
// `helm push headlamp-0.45.0.tgz oci://registry.example.net/charts`), read
// with a dockerconfigjson Secret kept SOPS-encrypted in secrets/homelab/headlamp/.
//
//   npm run synth -- examples/oci-chart.ts          writes examples/dist/oci-chart/
//   npm run validate -- --dist examples/dist/oci-chart
import { AppChartSource, FluxApp, HeadlampStack } from '../lib';

const app = new FluxApp({ distPath: 'examples/dist/oci-chart' });
new HeadlampStack(app, 'headlamp', {
  hostname: 'headlamp.example.net',
  chartSource: AppChartSource.ociRepository('oci://registry.example.net/charts/headlamp', { secretName: 'registry-credentials' }),
});
app.synth();
