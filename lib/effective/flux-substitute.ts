// Flux's post-build variable substitution: `${var}`, `${var:=default}` and
// `${var:-default}` in each object's YAML, unless the object opts out with
// `kustomize.toolkit.fluxcd.io/substitute: disabled`. An unset variable without
// a default becomes empty, as in Flux.
import { stringify } from 'yaml';
import { objectAt } from '../json';
import { ManifestObject } from '../policy/finding';
import { parseObjects } from './kustomize-build';

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[=-])([^}]*))?\}/g;

/** Substitutes `${…}` in `text` from `vars`; returns the text and the variables that had no value. */
export function substituteText(text: string, vars: Readonly<Record<string, string>>): { text: string; unset: string[] } {
  const unset = new Set<string>();
  const out = text.replace(VARIABLE, (_all, name: string, op: string | undefined, fallback: string | undefined) => {
    const value = vars[name];
    if (value !== undefined && !(op?.startsWith(':') && value === '')) return value;
    if (op !== undefined) return fallback ?? '';
    unset.add(name);
    return '';
  });
  return { text: out, unset: [...unset] };
}

/** The objects after substitution; each object is substituted on its own YAML, as Flux does. */
export function substituteObjects(objects: readonly ManifestObject[], vars: Readonly<Record<string, string>>): { objects: ManifestObject[]; unset: string[] } {
  const unset = new Set<string>();
  const result = objects.flatMap((obj) => {
    if (objectAt(obj, 'metadata', 'annotations')['kustomize.toolkit.fluxcd.io/substitute'] === 'disabled') return [obj];
    const done = substituteText(stringify(obj, { lineWidth: 0 }), vars);
    done.unset.forEach((name) => unset.add(name));
    return parseObjects(done.text, `${obj.kind} ${String(obj.metadata.name)} after substitution`);
  });
  return { objects: result, unset: [...unset].sort() };
}
