// Compiled schema validators: the build's precompiled ones are used as they are
// (no compile, nothing written to the cache), any other schema is compiled once
// and kept in the cache folder.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { closedCrdSchemas } from '../../lib/policy/api-schema';
import { precompileSchema, compileSchema } from '../../lib/policy/schema-compiler';
import { tempDir } from '../helpers';

const schema = (tag: string) => ({ type: 'object', properties: { name: { type: 'string' }, tag: { const: tag } }, required: ['name'], additionalProperties: false });

describe('schema validators', () => {
  it('uses the validator the build precompiled, and writes nothing to the cache', () => {
    const built = tempDir();
    const cache = tempDir();
    const file = precompileSchema(schema('built'), built);
    const validate = compileSchema(schema('built'), [built, cache]);
    assert.deepEqual(readdirSync(cache), [], 'nothing compiled into the cache');
    assert.ok(existsSync(file));
    assert.equal(validate({ name: 'a', tag: 'built' }), true);
    assert.equal(validate({ tag: 'built', extra: 1 }), false);
    assert.deepEqual(validate.errors?.map((e) => e.keyword).sort(), ['additionalProperties', 'required']);
  });

  it('compiles a schema nobody precompiled once, into the cache', () => {
    const built = tempDir();
    const cache = tempDir();
    const validate = compileSchema(schema('cached'), [built, cache]);
    assert.equal(validate({ name: 'a', tag: 'cached' }), true);
    assert.deepEqual(readdirSync(built), []);
    assert.equal(readdirSync(cache).filter((f) => f.endsWith('.js')).length, 1);
    assert.equal(compileSchema(schema('cached'), [built, cache]), validate, 'the same validator, not compiled again');
  });

  it('precompiles every CRD schema validation uses: none is compiled at synth', () => {
    const built = tempDir();
    const cache = tempDir();
    for (const crd of closedCrdSchemas()) precompileSchema(crd, built);
    assert.ok(readdirSync(built).length >= 20, readdirSync(built).join(', '));
    for (const crd of closedCrdSchemas()) compileSchema(crd, [built, cache]);
    assert.deepEqual(readdirSync(cache), []);
  });
});
