import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { JsonValue } from '../json';

/**
 * The objects of one chart as JSON, in cdk8s's order (its dependency topology).
 * Unlike `chart.toJson()`, this does not validate and resolve the whole app
 * first: that makes rendering N charts O(N²), and calling `toJson()` from a
 * validation recurse forever. `App.synth()` resolves dependencies once before
 * anything is written.
 */
export function chartObjects(chart: Chart): JsonValue[] {
  const known = rendered?.get(chart);
  if (known) return known;
  const objects = new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
    .map((obj) => obj.toJson() as JsonValue);
  rendered?.set(chart, objects);
  return objects;
}

let rendered: WeakMap<Chart, JsonValue[]> | undefined;

/**
 * Runs `work` (one synth) rendering each chart once: validation, the duplicate
 * check and the tree all read the same objects. Outside it, charts are
 * rendered afresh on each call, since constructs may still change.
 */
export function renderingOnce<T>(work: () => T): T {
  const outer = rendered;
  rendered ??= new WeakMap();
  try {
    return work();
  } finally {
    rendered = outer;
  }
}
