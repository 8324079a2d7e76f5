import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chartCacheDir, chartFacts, lookupChart } from '../lib';
import { FIXTURES, tempDir } from './helpers';

const CHARTS = join(FIXTURES, 'charts');

describe('lookupChart', () => {
  it('answers indexed versions from the committed index, offline', () => {
    const found = lookupChart('0.43.0', { pull: false, cacheDir: tempDir() });
    assert.equal(found.facts?.appVersion, '0.43.0');
    assert.equal(found.facts && found.from, 'committed chart index');
  });

  it('reads an archive from the cache folder when the index does not have it', () => {
    const found = lookupChart('0.42.0', { index: false, pull: false, cacheDir: CHARTS });
    assert.equal(found.facts && found.from, join(CHARTS, 'headlamp-0.42.0.tgz'));
    assert.deepEqual(found.facts, chartFacts('0.42.0'));
  });

  it('takes the cache folder from HEADLAMP_CHART_CACHE', () => {
    const previous = process.env.HEADLAMP_CHART_CACHE;
    process.env.HEADLAMP_CHART_CACHE = CHARTS;
    try {
      assert.equal(chartCacheDir(), CHARTS);
      assert.ok(lookupChart('0.44.0', { index: false, pull: false }).facts);
    } finally {
      if (previous === undefined) delete process.env.HEADLAMP_CHART_CACHE;
      else process.env.HEADLAMP_CHART_CACHE = previous;
    }
  });

  it('refuses an archive whose chart version differs from its file name', () => {
    const dir = tempDir();
    copyFileSync(join(CHARTS, 'headlamp-0.41.0.tgz'), join(dir, 'headlamp-0.49.0.tgz'));
    const found = lookupChart('0.49.0', { pull: false, cacheDir: dir });
    assert.equal(found.facts, undefined);
    assert.match(found.facts ? '' : found.why, /holds chart version 0\.41\.0, not 0\.49\.0/);
  });

  it('says why when a version is nowhere, and helm pull fails offline', () => {
    const found = lookupChart('0.0.1', { cacheDir: tempDir(), repository: 'https://127.0.0.1:9/charts' });
    assert.equal(found.facts, undefined);
    assert.match(found.facts ? '' : found.why, /headlamp-0\.0\.1\.tgz is not in the chart cache .*, and helm pull of headlamp 0\.0\.1 from https:\/\/127\.0\.0\.1:9\/charts failed/);
  });
});
