// Props as JavaScript sees them: without `tsc` (tsx and `cdk8s synth` strip
// types without checking them) a typo'd prop (`replica: 3`) is silently
// ignored and a missing required one fails deep inside. Each props interface
// keeps the list of its keys next to it as a `PropKeys<T>`, which the compiler
// holds to the interface: a key missing from the list, one the interface does
// not have, or one marked required that is optional (or the reverse) is a type
// error, so the list cannot drift.
import { closestKey } from '../charts/values-check';

/** Every key of `T`, each marked as TypeScript has it. */
export type PropKeys<T> = { readonly [K in keyof Required<T>]-?: Partial<Pick<T, K>> extends Pick<T, K> ? 'optional' : 'required' };

/**
 * Problems of the keys of `props`: unknown ones (with the known key it most
 * likely meant), and required ones that are unset. `prefix` names where the
 * object sits, e.g. `clusters.staging.` or ''.
 */
export function propKeyProblems<T>(props: T | undefined, keys: PropKeys<T>, prefix = ''): string[] {
  if (props === undefined || props === null || typeof props !== 'object' || Array.isArray(props)) return [];
  const known = Object.keys(keys);
  const given = Object.keys(props as object).filter((k) => (props as Record<string, unknown>)[k] !== undefined);
  const unknown = given.filter((k) => !known.includes(k)).map((k) => {
    const guess = closestKey(k, known);
    return `${prefix}${k} is not a prop${guess ? `; did you mean ${prefix}${guess}?` : `; the known props are ${known.join(', ')}`}`;
  });
  const missing = known.filter((k) => keys[k as keyof T] === 'required' && (props as Record<string, unknown>)[k] === undefined).map((k) => `${prefix}${k} is required`);
  return [...missing, ...unknown];
}
