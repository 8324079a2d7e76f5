// The baseline of the plain-cdk8s case: a plain cdk8s `App` with the same
// charts and the same API objects as bench/plain-app.ts, and no checks. It
// reads what `BENCH_DUMP=<file> bench/plain-app.ts` wrote (made once, before
// timing) and, for each chart, makes `new Chart(app, id)` holding one
// `new ApiObject(chart, id, obj)` per object, then `app.synth()` to
// BENCH_OUTDIR. Only cdk8s is loaded: what any cdk8s app of that size pays,
// including cdk8s's own whole-app validation and resolve once per chart.
import { readFileSync } from 'node:fs';
import { ApiObject, ApiObjectProps, App, Chart } from 'cdk8s';

const file = process.env.BENCH_OBJECTS;
if (!file) throw new Error('BENCH_OBJECTS: the file `BENCH_DUMP=<file> bench/plain-app.ts` wrote');
const charts = JSON.parse(readFileSync(file, 'utf8')) as Array<{ path: string; objects: ApiObjectProps[] }>;
const app = new App({ outdir: process.env.BENCH_OUTDIR ?? 'cdk8s.out' });
for (const { path, objects } of charts) {
  // One construct per chart directly under the app; its path (a/b/c → a-b-c) keeps ids unique.
  const chart = new Chart(app, path.split('/').join('-'), { disableResourceNameHashes: true });
  objects.forEach((obj, i) => new ApiObject(chart, `${obj.kind}-${i}`, obj));
}
app.synth();
