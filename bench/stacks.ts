// The benchmark's app: BENCH_STACKS HeadlampStacks (default 1) in one FluxApp,
// each its own app and namespace on the cluster `homelab`, as a GitOps repo
// with many apps has them. BENCH_VALIDATION=off synthesizes without the checks.
import { FluxApp, HeadlampStack } from '../lib';

const stacks = Number(process.env.BENCH_STACKS ?? '1');
const app = new FluxApp({ validation: process.env.BENCH_VALIDATION === 'off' ? false : undefined });
for (let i = 0; i < stacks; i++) {
  const name = stacks === 1 ? 'headlamp' : `headlamp-${i}`;
  // One runbook per cluster folder; login names must differ, their ClusterRoleBindings are cluster-wide.
  new HeadlampStack(app, name, { hostname: `${name}.example.net`, name, namespace: name, login: { name: `${name}-login` }, runbook: i === 0 });
}
app.synth();
