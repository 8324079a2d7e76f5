import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dump, DUMP_SCHEMA, jsToAst, present } from 'js-yaml';
import { toYaml, yamlKey } from '../../lib/output/yaml-docs';

const OPTIONS = { lineWidth: -1, noRefs: true, quoteStyle: 'double' } as const;
const reference = (docs: unknown[]) => docs.map((doc) => dump(doc, OPTIONS)).join('---\n');
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { 'app.kubernetes.io/name': 'd' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', args: ['--port', '8080', 'yes', 'null', '010'] }] } } } };
const config = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });

describe('toYaml', () => {
  it('writes a file of objects exactly as dump() of each, joined by ---', () => {
    const files: unknown[][] = [
      [deployment],
      [deployment, config({ a: 'x' }), deployment],
      [config({ script: '#!/bin/sh\necho hi\n', quoted: ': colon', empty: '', number: '1.0' }), { kind: 'List', items: [] }],
      [config({ last: 'ends open\n\n' })],
      [deployment, config({ last: 'ends open\n\n' })],
    ];
    for (const docs of files) assert.equal(toYaml(docs), reference(docs));
  });

  it('falls back to dump() where one presenter call would write other text', () => {
    // A block scalar that keeps trailing newlines ends its document open: the
    // presenter writes `...` and then no `---` before the next document.
    const open = [config({ kept: 'two newlines\n\n' }), deployment];
    assert.notEqual(present(open.map((doc) => jsToAst(doc, DUMP_SCHEMA, { noRefs: true })[0]), { schema: DUMP_SCHEMA, ...OPTIONS }), reference(open));
    assert.equal(toYaml(open), reference(open));
    // An empty mapping or sequence, or a scalar, is written on the `---` line by the presenter.
    for (const docs of [[deployment, {}], [deployment, 'text'], [deployment, []]]) {
      assert.notEqual(present(docs.map((doc) => jsToAst(doc, DUMP_SCHEMA, { noRefs: true })[0]), { schema: DUMP_SCHEMA, ...OPTIONS }), reference(docs));
      assert.equal(toYaml(docs), reference(docs));
    }
  });

  it('keys a file by its header and each object: equal keys only for equal text', () => {
    const key = yamlKey('# header', [deployment, config({ a: 'x' })]);
    assert.equal(yamlKey('# header', [structuredClone(deployment), config({ a: 'x' })]), key, 'other instances of the same objects');
    assert.notEqual(yamlKey('# header', [deployment, config({ a: 'y' })]), key);
    assert.notEqual(yamlKey('# header', [config({ a: 'x' }), deployment]), key, 'order of objects');
    assert.notEqual(yamlKey('# header', [deployment]), key);
    assert.notEqual(yamlKey('# other', [deployment, config({ a: 'x' })]), key);
  });
});
