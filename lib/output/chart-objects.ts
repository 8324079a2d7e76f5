import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { JsonValue } from '../values';

/**
 * The objects of one chart as JSON, in cdk8s's order (its dependency topology).
 * Unlike `chart.toJson()`, this does not validate and resolve the whole app
 * first: that makes rendering N charts O(N²), and calling `toJson()` from a
 * validation recurse forever. `App.synth()` resolves dependencies once before
 * anything is written.
 */
export function chartObjects(chart: Chart): JsonValue[] {
  return new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
    .map((obj) => obj.toJson() as JsonValue);
}
