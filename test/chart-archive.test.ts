import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { chartFacts, chartFactsFromFiles, INDEXED_CHART_VERSIONS, readChartArchive } from '../lib';
import { FIXTURES, tempDir } from './helpers';

describe('readChartArchive and the committed chart index', () => {
  const archives = readdirSync(join(FIXTURES, 'charts')).filter((f) => f.endsWith('.tgz'));

  it('indexes every fixture chart: the committed index equals facts read from each archive (not stale)', () => {
    assert.equal(archives.length, 5);
    for (const archive of archives) {
      const files = readChartArchive(join(FIXTURES, 'charts', archive));
      const chart = parse(files.get('Chart.yaml')!.toString());
      assert.ok(files.has('values.yaml') && files.has('values.schema.json'), archive);
      const indexed = chartFacts(chart.version);
      assert.equal(indexed?.appVersion, String(chart.appVersion), archive);
      assert.deepEqual(indexed, chartFactsFromFiles(files), `${archive}: run npm run index-charts`);
    }
    assert.deepEqual(INDEXED_CHART_VERSIONS, ['0.41.0', '0.42.0', '0.43.0', '0.44.0', '0.45.0']);
  });

  it('knows nothing of unindexed versions, nor of inherited object keys', () => {
    assert.equal(chartFacts('0.40.0'), undefined);
    assert.equal(chartFacts('constructor'), undefined);
  });

  it('refuses an archive without a chart', () => {
    const path = join(tempDir(), 'empty.tgz');
    writeFileSync(path, gzipSync(Buffer.alloc(1024)));
    assert.throws(() => readChartArchive(path), /is not a Helm chart archive: it has no Chart\.yaml/);
  });
});
