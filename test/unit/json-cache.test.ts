import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cachedJson } from '../../lib/json-cache';
import { tempDir } from '../helpers';

describe('cachedJson', () => {
  const saved = process.env.XDG_CACHE_HOME;
  let home: string;
  before(() => {
    home = tempDir('json-cache-');
    process.env.XDG_CACHE_HOME = home;
  });
  after(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  it('computes once per key and reads the kept JSON after that', () => {
    let calls = 0;
    const compute = () => ({ calls: ++calls, list: [1, 'two', null] });
    assert.deepEqual(cachedJson('t', ['a', 1], compute), { calls: 1, list: [1, 'two', null] });
    assert.deepEqual(cachedJson('t', ['a', 1], compute), { calls: 1, list: [1, 'two', null] });
    assert.deepEqual(cachedJson('t', ['a', 2], compute), { calls: 2, list: [1, 'two', null] });
    assert.equal(readdirSync(join(home, 'flux-helm-apps', 't')).filter((f) => f.endsWith('.json')).length, 2);
  });

  it('still computes when the cache cannot be written', () => {
    // A file where the cache folder should be: not writable, even for root.
    writeFileSync(join(home, 'flux-helm-apps', 'blocked'), 'not a folder');
    let calls = 0;
    assert.equal(cachedJson('blocked', 'key', () => ++calls), 1);
    assert.equal(cachedJson('blocked', 'key', () => ++calls), 2);
  });
});
