import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findChartArchive, lookupChart } from '../../lib/charts/chart-source';
import { FIXTURES, tempDir } from '../helpers';

const CHARTS = join(FIXTURES, 'charts');
const headlamp = (version: string, repository?: string) => ({ name: 'headlamp', version, repository });

describe('lookupChart', () => {
  it('reads the facts of a version from a committed chart folder, offline', () => {
    const found = lookupChart(headlamp('0.43.0'), { chartDirs: [CHARTS], cacheDir: tempDir(), pull: false });
    assert.equal(found.facts?.appVersion, '0.43.0');
    assert.equal(found.facts && found.archive, join(CHARTS, 'headlamp-0.43.0.tgz'));
  });

  it('looks in the chart folders first, then in the cache folder', () => {
    const cache = tempDir();
    copyFileSync(join(CHARTS, 'headlamp-0.42.0.tgz'), join(cache, 'headlamp-0.42.0.tgz'));
    assert.equal(findChartArchive(headlamp('0.42.0'), { chartDirs: [tempDir()], cacheDir: cache }), join(cache, 'headlamp-0.42.0.tgz'));
    assert.equal(findChartArchive(headlamp('0.42.0'), { chartDirs: [CHARTS], cacheDir: cache }), join(CHARTS, 'headlamp-0.42.0.tgz'));
  });

  it('reads any chart, not only Headlamp', () => {
    const found = lookupChart({ name: 'crossview', version: '3.4.0' }, { chartDirs: [join(FIXTURES, 'crossview')], pull: false });
    assert.equal(found.facts?.name, 'crossview');
    assert.ok(found.facts && 'database' in found.facts.keys || found.facts?.keys);
  });

  it('refuses an archive whose chart version differs from its file name', () => {
    const dir = tempDir();
    copyFileSync(join(CHARTS, 'headlamp-0.41.0.tgz'), join(dir, 'headlamp-0.49.0.tgz'));
    const found = lookupChart(headlamp('0.49.0'), { chartDirs: [dir], pull: false });
    assert.equal(found.facts, undefined);
    assert.match(found.facts ? '' : found.why, /holds chart headlamp 0\.41\.0, not headlamp 0\.49\.0/);
  });

  it('says why when a version is nowhere, and helm pull fails offline', () => {
    const found = lookupChart(headlamp('0.0.1', 'https://127.0.0.1:9/charts'), { chartDirs: [tempDir()], cacheDir: tempDir() });
    assert.equal(found.facts, undefined);
    assert.match(found.facts ? '' : found.why, /headlamp-0\.0\.1\.tgz is in none of .*, and helm pull of headlamp 0\.0\.1 from https:\/\/127\.0\.0\.1:9\/charts failed/);
  });
});
