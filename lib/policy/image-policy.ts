// Every workload image names the exact version it runs.
import { ManifestObject } from './finding';
import { allContainers, podTemplateOf } from './pod-spec';

/** The tag of an image reference, `undefined` when it has none, `digest` when pinned by digest. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return 'digest';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : image.slice(colon + 1);
}

/**
 * A tag that names a channel rather than a release: no digit at all (`lts`,
 * `lts-alpine`, `stable`, `alpine`). A digest is never floating.
 */
export function isFloatingTag(tag: string): boolean {
  return tag !== 'digest' && !/\d/.test(tag);
}

/** Image violations of a workload, or undefined when the object runs no pods. */
export function imageViolations(obj: ManifestObject): string[] | undefined {
  const template = podTemplateOf(obj);
  if (template === undefined) return undefined;
  const problems: string[] = [];
  for (const { name, container } of allContainers(template.spec)) {
    const image = typeof container.image === 'string' ? container.image : '';
    const tag = imageTag(image);
    if (tag === undefined) problems.push(`container "${name}" image "${image}" has no tag: pin a version, e.g. "${image || '<image>'}:1.2.3"`);
    else if (tag === 'latest') problems.push(`container "${name}" image "${image}" uses the tag latest, which changes under you: pin a version`);
    else if (isFloatingTag(tag)) problems.push(`container "${name}" image "${image}" uses the floating tag ${tag}, which changes under you: pin a release tag or a digest`);
  }
  return problems;
}
