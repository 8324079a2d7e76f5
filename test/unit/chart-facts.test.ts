import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readChartArchive } from '../../lib/charts/chart-archive';
import { chartFactsFromFiles, passThroughPaths } from '../../lib/charts/chart-facts';
import { FIXTURES } from '../helpers';

const files = readChartArchive(join(FIXTURES, 'charts', 'headlamp-0.41.0.tgz'));

describe('chartFactsFromFiles', () => {
  const facts = chartFactsFromFiles(files);

  it('unites values.yaml keys with schema properties', () => {
    assert.equal(facts.version, '0.41.0');
    assert.equal(facts.keys.volumes, 'leaf', 'a list in values.yaml, not in the schema');
    assert.deepEqual(Object.keys(facts.keys.image as object).sort(), ['pullPolicy', 'registry', 'repository', 'tag']);
    assert.equal((facts.keys.config as Record<string, unknown>).enableHelm, 'leaf', 'only in values.yaml');
    assert.equal(facts.keys.extraVolumes, undefined);
  });

  it('treats maps the templates hand to Kubernetes as free-form', () => {
    const paths = passThroughPaths(files);
    for (const path of ['securityContext', 'podSecurityContext', 'resources', 'podAnnotations', 'nodeSelector', 'volumeMounts']) assert.ok(paths.includes(path), path);
    assert.ok(!paths.includes('config.oidc'), 'with .Values.config.oidc is not passed through toYaml');
    assert.equal(facts.keys.securityContext, 'any');
  });

  it('keeps the schema without descriptions', () => {
    assert.equal(JSON.stringify(facts.schema).includes('"description"'), false);
    assert.equal((facts.schema.properties as Record<string, unknown>).image !== undefined, true);
  });

  it('reads any chart, with its name', () => {
    const other = chartFactsFromFiles(new Map([['Chart.yaml', Buffer.from('name: other\nversion: 1.0.0\nappVersion: v2\n')], ['values.yaml', Buffer.from('a: {b: 1}\n')]]));
    assert.deepEqual({ name: other.name, version: other.version, appVersion: other.appVersion, keys: other.keys }, { name: 'other', version: '1.0.0', appVersion: 'v2', keys: { a: { b: 'leaf' } } });
  });
});
