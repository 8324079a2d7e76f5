import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeValues } from '../../lib/json';

describe('mergeValues', () => {
  it('merges maps key by key and lets lists and scalars replace', () => {
    assert.deepEqual(
      mergeValues({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3] }, d: 'y', e: true }),
      { a: { b: 1, c: [3] }, d: 'y', e: true },
    );
  });

  it('keeps null so Helm drops the chart default', () => {
    assert.deepEqual(mergeValues({ a: { b: 1 } }, { a: null }), { a: null });
  });

  it('replaces a map with a scalar and a scalar with a map', () => {
    assert.deepEqual(mergeValues({ a: { b: 1 }, c: 1 }, { a: 'flat', c: { d: 2 } }), { a: 'flat', c: { d: 2 } });
  });

  it('does not modify its inputs', () => {
    const base = { a: { b: 1 } };
    mergeValues(base, { a: { b: 2 } });
    assert.deepEqual(base, { a: { b: 1 } });
  });
});
