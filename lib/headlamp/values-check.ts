// Checks of the final merged Headlamp values against the exact pinned chart and
// against the four ways Headlamp broke before: a pinned image.tag, a read-only
// root filesystem with nothing writable, keys the chart silently ignores, and
// (in HelmRelease) a version that is not an exact pin.
import { forbiddenClusterRole } from '../validation/rbac-policy';
import { compileSchema } from '../validation/schema-compiler';
import { JsonObject, at, isJsonObject, listAt } from '../values';
import { ChartFacts, KeyTree } from './chart-facts';
import { ChartSourceOptions, lookupChart } from './chart-source';
import { HEADLAMP_WRITABLE_PATHS } from './hardened-values';

export interface ValuesCheckOptions extends ChartSourceOptions {
  /**
   * Why `image.tag` is pinned apart from the chart. Without a reason a set
   * `image.tag` is refused; with one, it is reported as a warning on every synth.
   * @default - image.tag is refused
   */
  readonly allowImageTag?: string;
}

/** One problem with the values, before it is tied to an object. */
export interface ValuesProblem {
  readonly severity: 'error' | 'warning' | 'unchecked';
  readonly message: string;
}

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
      problems.push(`${here} is not a key of chart headlamp ${facts.version}; ${guess ? `did you mean ${path}.${guess}?` : `the chart ignores it: remove it (see the chart's values.yaml for the keys it has)`}`);
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
    .map((e) => {
      const at = `values${e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('')}`;
      const detail = e.keyword === 'enum' ? `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` : e.message ?? 'is invalid';
      return `${at} ${detail} (values.schema.json of chart headlamp ${facts.version})`;
    });
}


function imageTagProblem(values: JsonObject, version: string, appVersion: string | undefined, reason: string | undefined): ValuesProblem | undefined {
  const tag = at(values, 'image', 'tag');
  if (tag === undefined || tag === null || tag === '') return undefined;
  const pair = appVersion ? `chart headlamp ${version} is tested with image v${appVersion}` : `chart headlamp ${version} picks its own image`;
  if (reason !== undefined && reason.trim() !== '') {
    return { severity: 'warning', message: `values.image.tag ${JSON.stringify(tag)} overrides the image of the chart (${pair}); allowed: ${reason.trim()}` };
  }
  return {
    severity: 'error',
    message: `values.image.tag ${JSON.stringify(tag)} pins the Headlamp binary apart from its chart (${pair}; a mismatched pair fails with "flag provided but not defined"): remove values.image.tag and change chartVersion instead, or set allow.imageTag to the reason you need it`,
  };
}

function writablePathProblems(values: JsonObject): string[] {
  if (at(values, 'securityContext', 'readOnlyRootFilesystem') !== true) return [];
  const volumes = new Set(listAt(values, 'volumes').map((v) => v.name));
  const mounts = listAt(values, 'volumeMounts').filter((m) => volumes.has(m.name));
  const problems: string[] = [];
  for (const [name, path] of Object.entries(HEADLAMP_WRITABLE_PATHS)) {
    const covered = mounts.some((m) => typeof m.mountPath === 'string' && (path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)));
    if (!covered) {
      const symptom = name === 'home' ? `Headlamp crashloops with "mkdir ${path}/.config: read-only file system"` : `Headlamp cannot write its temporary files`;
      problems.push(`values.securityContext.readOnlyRootFilesystem is true but no volume is mounted at ${path}, so ${symptom}: add {name: ${name}, emptyDir: {}} to values.volumes and {name: ${name}, mountPath: ${path}} to values.volumeMounts`);
    }
  }
  return problems;
}

function mountProblems(values: JsonObject): string[] {
  const volumes = new Set(listAt(values, 'volumes').map((v) => v.name));
  return listAt(values, 'volumeMounts').flatMap((mount, i) => (volumes.has(mount.name) ? [] : [
    `values.volumeMounts[${i}] mounts volume ${JSON.stringify(mount.name)}, which is not in values.volumes: add {name: ${JSON.stringify(mount.name)}, emptyDir: {}} to values.volumes, or fix the name`,
  ]));
}

function rbacProblems(values: JsonObject): string[] {
  const binding = at(values, 'clusterRoleBinding');
  if (at(binding, 'create') === false) return [];
  const role = at(binding, 'clusterRoleName');
  const why = typeof role === 'string' ? forbiddenClusterRole(role) : undefined;
  return why ? [`values.clusterRoleBinding.clusterRoleName: ${why}`] : [];
}

function plaintextProblems(values: JsonObject): string[] {
  const secret = at(values, 'config', 'oidc', 'clientSecret');
  return typeof secret === 'string' && secret !== ''
    ? ['values.config.oidc.clientSecret is a secret in plain text in the HelmRelease: leave it empty and use config.oidc.externalSecret with a SOPS-encrypted Secret under secrets/']
    : [];
}

/**
 * Every problem of the final merged values of a Headlamp release at chart
 * `version`. When the chart cannot be found, a single `unchecked` problem says
 * what was not checked and how to enable it; the chart-independent checks still run.
 */
export function checkHeadlampValues(values: JsonObject, version: string, options: ValuesCheckOptions = {}): ValuesProblem[] {
  const lookup = lookupChart(version, options);
  const errors = (messages: string[]): ValuesProblem[] => messages.map((message) => ({ severity: 'error', message }));
  const problems: ValuesProblem[] = [];
  if (lookup.facts) {
    problems.push(...errors(unknownKeys(values, lookup.facts.keys, lookup.facts, 'values')), ...errors(schemaErrors(values, lookup.facts)));
  } else {
    problems.push({
      severity: 'unchecked',
      message: `values were NOT checked against chart headlamp ${version} (unknown keys, types): ${lookup.why}. To check them, put headlamp-${version}.tgz in $HEADLAMP_CHART_CACHE, or run with helm and network so it is pulled, or add it to the index with npm run index-charts -- <folder>`,
    });
  }
  const tag = imageTagProblem(values, version, lookup.facts?.appVersion, options.allowImageTag);
  if (tag) problems.push(tag);
  problems.push(...errors([...writablePathProblems(values), ...mountProblems(values), ...rbacProblems(values), ...plaintextProblems(values)]));
  return problems;
}
