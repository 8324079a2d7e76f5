import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { readChartArchive } from '../../lib/charts/chart-archive';
import { chartFactsFromFiles } from '../../lib/charts/chart-facts';
import { FIXTURES, tempDir } from '../helpers';

describe('readChartArchive', () => {
  const archives = readdirSync(join(FIXTURES, 'charts')).filter((f) => f.endsWith('.tgz'));

  it('reads every fixture chart: Chart.yaml, values and schema, without the top folder', () => {
    assert.equal(archives.length, 5);
    for (const archive of archives) {
      const files = readChartArchive(join(FIXTURES, 'charts', archive));
      const chart = parse(files.get('Chart.yaml')!.toString());
      assert.ok(files.has('values.yaml') && files.has('values.schema.json') && files.has('templates/deployment.yaml'), archive);
      const facts = chartFactsFromFiles(files);
      assert.equal(`${facts.name}-${facts.version}.tgz`, archive);
      assert.equal(facts.appVersion, String(chart.appVersion));
    }
  });

  it('refuses an archive without a chart', () => {
    const path = join(tempDir(), 'empty.tgz');
    writeFileSync(path, gzipSync(Buffer.alloc(1024)));
    assert.throws(() => readChartArchive(path), /is not a Helm chart archive: it has no Chart\.yaml/);
  });
});
