// Checks of a release's final merged values against its exact chart: keys the
// chart does not know (which Helm silently ignores), types from the chart's
// values.schema.json, and an image.tag that splits the binary from its chart.
import { compileSchema } from '../policy/schema-compiler';
import type { CheckProblem } from '../policy/manifest-check';
import { JsonObject, at, isJsonObject } from '../json';
import { ChartFacts, KeyTree } from './chart-facts';

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The sibling key the user most likely meant: a near spelling (volumesMount →
 * volumeMounts), else one the key ends or starts with (extraVolumes → volumes),
 * else a looser spelling match.
 */
export function closestKey(key: string, candidates: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const scored = candidates.map((c) => ({ c, d: distance(lower, c.toLowerCase()) })).sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  if (scored.length > 0 && scored[0].d <= 2) return scored[0].c;
  const contained = candidates.filter((c) => c.length >= 3 && (lower.endsWith(c.toLowerCase()) || lower.startsWith(c.toLowerCase())))
    .sort((a, b) => b.length - a.length);
  if (contained.length > 0) return contained[0];
  return scored.find(({ c, d }) => d <= Math.floor(c.length / 3))?.c;
}

function unknownKeys(values: JsonObject, tree: KeyTree, facts: ChartFacts, path: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const here = `${path}.${key}`;
    const known = tree[key];
    if (known === undefined) {
      const guess = closestKey(key, Object.keys(tree));
      problems.push(`${here} is not a key of chart ${facts.name} ${facts.version}; ${guess ? `did you mean ${path}.${guess}?` : `the chart ignores it: remove it (see the chart's values.yaml for the keys it has)`}`);
    } else if (typeof known === 'object' && isJsonObject(value)) {
      problems.push(...unknownKeys(value, known, facts, here));
    }
  }
  return problems;
}

function schemaErrors(values: JsonObject, facts: ChartFacts): string[] {
  if (Object.keys(facts.schema).length === 0) return [];
  const validate = compileSchema(facts.schema);
  if (validate(values)) return [];
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== 'additionalProperties')
    // Helm validates the merged values: a required key values.yaml sets is there.
    .filter((e) => e.keyword !== 'required' || !chartHasKey(facts.keys, [...e.instancePath.split('/').slice(1), String(e.params.missingProperty)]))
    .map((e) => {
      const at = `values${e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('')}`;
      const detail = e.keyword === 'enum' ? `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` : e.message ?? 'is invalid';
      return `${at} ${detail} (values.schema.json of chart ${facts.name} ${facts.version})`;
    });
}

function chartHasKey(tree: KeyTree | 'leaf' | 'any', path: readonly string[]): boolean {
  if (path.length === 0) return true;
  if (typeof tree !== 'object') return tree === 'any';
  const next = tree[path[0]];
  return next !== undefined && chartHasKey(next, path.slice(1));
}

/** Unknown keys and schema errors of `values` for the chart `facts` describes. */
export function valuesProblems(values: JsonObject, facts: ChartFacts): string[] {
  return [...unknownKeys(values, facts.keys, facts, 'values'), ...schemaErrors(values, facts)];
}

/**
 * A set `image.tag` pins the app's binary apart from the chart that was tested
 * with it (Headlamp failed with "flag provided but not defined"): refused
 * unless a reason allows it, then a warning.
 */
export function imageTagProblem(values: JsonObject, chart: string, version: string, appVersion: string | undefined, reason: string | undefined): CheckProblem | undefined {
  const tag = at(values, 'image', 'tag');
  if (tag === undefined || tag === null || tag === '') return undefined;
  const pair = appVersion ? `chart ${chart} ${version} is tested with app version ${appVersion}` : `chart ${chart} ${version} picks its own image`;
  if (reason !== undefined) {
    return { severity: 'warning', message: `values.image.tag ${JSON.stringify(tag)} overrides the image of the chart (${pair}); allowed: ${reason}` };
  }
  return {
    severity: 'error',
    message: `values.image.tag ${JSON.stringify(tag)} pins the binary apart from its chart (${pair}; a mismatched pair can fail with "flag provided but not defined"): remove values.image.tag and change the chart version instead, or set allow.imageTag to the reason you need it`,
  };
}

/**
 * The common chart values that publish an app around the tunnel: an enabled
 * `ingress`, a `NodePort` or `LoadBalancer` `service.type`. Refused unless a
 * reason allows them, then warnings (what they render is judged by `exposure`).
 */
export function exposureProblems(values: JsonObject, reason: string | undefined): CheckProblem[] {
  const found: string[] = [];
  if (at(values, 'ingress', 'enabled') === true) found.push('values.ingress.enabled is true: the chart publishes the app through the ingress controller, around the tunnel (and whatever auth its route has)');
  const type = at(values, 'service', 'type');
  if (type === 'NodePort' || type === 'LoadBalancer') found.push(`values.service.type ${type} opens the app on ${type === 'NodePort' ? 'a port of every node' : 'a load-balancer address'}, around the tunnel`);
  return found.map((message) => (reason !== undefined
    ? { severity: 'warning', message: `${message}; allowed: ${reason}` }
    : { severity: 'error', message: `${message}: turn it off (ingress.enabled false, service.type ClusterIP), or set allow.exposure to the reason` }));
}
