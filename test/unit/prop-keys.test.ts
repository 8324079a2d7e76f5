// The key lists of props interfaces, for props given without tsc: held to
// their interfaces by the compiler (the @ts-expect-error lines below are
// type-checked by `npm run typecheck`: each must be an error), and checked at
// synth with the key meant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PropKeys, propKeyProblems } from '../../lib/props/prop-keys';

interface Example {
  readonly hostname: string;
  readonly replicas?: number;
}

const KEYS: PropKeys<Example> = { hostname: 'required', replicas: 'optional' };

// @ts-expect-error a key of the interface missing from the list
export const MISSING: PropKeys<Example> = { hostname: 'required' };
// @ts-expect-error a key the interface does not have
export const EXTRA: PropKeys<Example> = { hostname: 'required', replicas: 'optional', replica: 'optional' };
// @ts-expect-error an optional key marked required
export const WRONG: PropKeys<Example> = { hostname: 'required', replicas: 'required' };

describe('propKeyProblems', () => {
  it('finds nothing in good props, and skips keys set to undefined', () => {
    assert.deepEqual(propKeyProblems<Example>({ hostname: 'a', replicas: undefined }, KEYS), []);
    assert.deepEqual(propKeyProblems<Example>(undefined, KEYS), []);
  });

  it('names a missing required prop and an unknown one with the known key meant', () => {
    const given = { hostName: 'a', replica: 2 } as unknown as Example;
    assert.deepEqual(propKeyProblems(given, KEYS, 'clusters.x.'), [
      'clusters.x.hostname is required',
      'clusters.x.hostName is not a prop; did you mean clusters.x.hostname?',
      'clusters.x.replica is not a prop; did you mean clusters.x.replicas?',
    ]);
  });

  it('lists the known props when no key is close', () => {
    assert.deepEqual(propKeyProblems({ hostname: 'a', zzz: 1 } as unknown as Example, KEYS), ['zzz is not a prop; the known props are hostname, replicas']);
  });
});
