// The project's name where it shows in generated output: the marker line of
// every generated file and the prefix of the annotations the checks read.

/** Project name. */
export const PROJECT = 'flux-helm-apps';

/** Prefix of the annotations that carry opt-ins, e.g. `flux-helm-apps/allow-rbac`. */
export const ANNOTATION_PREFIX = `${PROJECT}/`;
