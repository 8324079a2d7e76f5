// charts/ as a lock: archives are checked against SHA256SUMS before anything reads them.
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chartArchive, readChartLock } from '../../lib/charts/chart-source';
import { FIXTURES, ROOT, tempDir } from '../helpers';

const headlamp = (version: string) => ({ name: 'headlamp', version });

describe('the chart lock', () => {
  it('locks the committed chart: charts/SHA256SUMS has the digest of every archive in charts/', () => {
    const lock = readChartLock(join(ROOT, 'charts'));
    assert.deepEqual([...lock.keys()], ['crossview-3.4.0.tgz', 'headlamp-0.45.0.tgz']);
    assert.equal(chartArchive(headlamp('0.45.0'), { chartDirs: [join(ROOT, 'charts')], pull: false }).archive, join(ROOT, 'charts/headlamp-0.45.0.tgz'));
  });

  it('refuses an archive that changed since it was locked, and one the lock does not list', () => {
    const dir = tempDir();
    copyFileSync(join(FIXTURES, 'charts/headlamp-0.45.0.tgz'), join(dir, 'headlamp-0.45.0.tgz'));
    copyFileSync(join(ROOT, 'charts/SHA256SUMS'), join(dir, 'SHA256SUMS'));
    assert.ok(chartArchive(headlamp('0.45.0'), { chartDirs: [dir], pull: false }).archive);
    appendFileSync(join(dir, 'headlamp-0.45.0.tgz'), 'tampered');
    assert.match(chartArchive(headlamp('0.45.0'), { chartDirs: [dir], pull: false }).why, /headlamp-0\.45\.0\.tgz has SHA-256 [0-9a-f]{64}, but .*SHA256SUMS locks d3d65f0f.*: the archive changed/);
    copyFileSync(join(FIXTURES, 'charts/headlamp-0.44.0.tgz'), join(dir, 'headlamp-0.44.0.tgz'));
    assert.match(chartArchive(headlamp('0.44.0'), { chartDirs: [dir], pull: false }).why, /headlamp-0\.44\.0\.tgz is not listed in .*SHA256SUMS/);
    writeFileSync(join(dir, 'SHA256SUMS'), '');
    assert.match(chartArchive(headlamp('0.44.0'), { chartDirs: [dir], pull: false }).why, /is not listed/, 'an empty lock locks nothing in');
  });
});
