// The benchmark's plain-cdk8s case: BENCH_STACKS HeadlampStacks (default 100)
// under a plain cdk8s `App` (not a FluxApp), synthesized with `app.synth()` to
// BENCH_OUTDIR. cdk8s 2.70's `App.synth()` renders each chart with
// `chart.toJson()`, which resolves and validates the whole app again, so the
// app's validations run once per chart; each stack's `Policy.of(app)` registers
// the checks on the app root, so they run on every one of those passes.
//
// BENCH_DUMP=<file> builds the same stacks with the checks off instead and
// writes, per chart, its path and the objects it renders (JSON) for
// bench/plain-baseline.ts: the same charts and the same API objects in a plain
// App, without our constructs or checks.
import { writeFileSync } from 'node:fs';
import { App, Chart } from 'cdk8s';
import { HeadlampStack, Policy } from '../lib';
import { chartObjects } from '../lib/output/chart-objects';

const stacks = Number(process.env.BENCH_STACKS ?? '100');
const dump = process.env.BENCH_DUMP;
const app = new App({ outdir: process.env.BENCH_OUTDIR ?? 'cdk8s.out' });
// Off before any stack exists, so no check runs while they are built or rendered.
if (dump) Policy.of(app).configure(false);
for (let i = 0; i < stacks; i++) {
  const name = `headlamp-${i}`;
  new HeadlampStack(app, name, { hostname: `${name}.example.net`, name, namespace: name, login: { name: `${name}-login` }, runbook: i === 0 });
}
if (dump) {
  // In cdk8s's own chart order (`app.charts`: dependency topology), each chart's
  // objects as `chart.toJson()` renders them, without its whole-app validation.
  const charts = app.charts.map((chart: Chart) => ({ path: chart.node.path, objects: chartObjects(chart) }));
  writeFileSync(dump, JSON.stringify(charts));
} else {
  app.synth();
}
