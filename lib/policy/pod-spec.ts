import { JsonObject, listAt, objectAt } from '../json';
import { ManifestObject } from './finding';

/** A pod template found inside a workload object. */
export interface PodTemplate {
  readonly spec: JsonObject;
  /** The template's annotations (AppArmor annotations live there). */
  readonly annotations: JsonObject;
}

/** Path from the object to its pod template, by kind. */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The pod template of a workload, or undefined for objects that run no pods. */
export function podTemplateOf(obj: ManifestObject): PodTemplate | undefined {
  const path = TEMPLATE_PATHS[obj.kind];
  if (path === undefined) return undefined;
  const template = objectAt(obj, ...path);
  return { spec: objectAt(template, 'spec'), annotations: objectAt(template, 'metadata', 'annotations') };
}

/** A container of any of the three lists, named for messages. */
export interface PodContainer {
  readonly name: string;
  readonly container: JsonObject;
}

/** Init, regular and ephemeral containers, in that order. */
export function allContainers(spec: JsonObject): PodContainer[] {
  return ['initContainers', 'containers', 'ephemeralContainers']
    .flatMap((list) => listAt(spec, list))
    .map((container) => ({ name: String(container.name ?? ''), container }));
}
