// A chart from a folder of a Git repository: a GitRepository pinned to a tag,
// and a HelmChart built from its folder with `reconcileStrategy: Revision` (a
// chart edited without a version bump still rolls out), which the HelmRelease
// takes with chartRef. The version given is the one the folder holds at that
// tag: the checks look for its archive in charts/.
//
//   npm run synth -- examples/git-chart.ts          writes examples/dist/git-chart/
//   npm run validate -- --dist examples/dist/git-chart
import { AppChartSource, FluxApp, HeadlampStack } from '../lib';

const app = new FluxApp({ distPath: 'examples/dist/git-chart' });
new HeadlampStack(app, 'headlamp', {
  hostname: 'headlamp.example.net',
  chartVersion: '0.45.0',
  chartSource: AppChartSource.gitRepository('https://github.com/kubernetes-sigs/headlamp', {
    ref: { tag: 'headlamp-helm-0.45.0' },
    path: './charts/headlamp',
    // Only the chart's folder goes into the artifact.
    ignore: '/*\n!/charts/headlamp/\n',
    helmChart: true,
  }),
});
app.synth();
