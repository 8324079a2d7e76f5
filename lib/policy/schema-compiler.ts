// JSON Schema validators compiled once per schema, not once per run: ajv's code
// generation costs tens of ms per schema, so the generated code (ajv standalone)
// is kept in the cache folder, named by a hash of the schema, the options and
// the ajv version, and later runs load it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { cacheDir } from '../cache-dir';
import { JsonObject } from '../json';

const OPTIONS = { allErrors: true, strict: false, validateFormats: false, code: { source: true } } as const;
const AJV_VERSION = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
const loaded = new Map<string, ValidateFunction>();
// By schema object too: a chart's schema is asked for once per release, and hashing it costs more than the lookup.
const bySchema = new WeakMap<JsonObject, ValidateFunction>();
let ajv: Ajv | undefined;

/** Where the compiled validator of `schema` is kept. */
export function compiledSchemaPath(schema: JsonObject): string {
  const hash = createHash('sha256').update(JSON.stringify([schema, OPTIONS, AJV_VERSION])).digest('hex').slice(0, 24);
  return cacheDir('schemas', `${hash}.js`);
}

/** A validator for `schema` (errors in `.errors`, all of them), from the cache when it was compiled before. */
export function compileSchema(schema: JsonObject): ValidateFunction {
  const same = bySchema.get(schema);
  if (same) return same;
  const file = compiledSchemaPath(schema);
  const known = loaded.get(file);
  if (known) {
    bySchema.set(schema, known);
    return known;
  }
  let validate: ValidateFunction;
  if (existsSync(file)) {
    validate = loadStandalone(readFileSync(file, 'utf8'));
  } else {
    // ajv's compiler is loaded only here: a synth whose schemas are all compiled never needs it.
    const { default: AjvCompiler } = require('ajv') as typeof import('ajv');
    const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
    ajv ??= new AjvCompiler(OPTIONS);
    validate = ajv.compile(schema);
    try {
      mkdirSync(dirname(file), { recursive: true });
      const staged = `${file}.${process.pid}.tmp`;
      writeFileSync(staged, standaloneCode(ajv, validate));
      renameSync(staged, file);
    } catch {
      // a read-only cache folder: compile again next run
    }
  }
  loaded.set(file, validate);
  bySchema.set(schema, validate);
  return validate;
}

/**
 * Runs ajv standalone code kept outside node_modules: its `require`s of ajv's
 * runtime helpers resolve from the installed ajv, not from the cache folder.
 */
function loadStandalone(code: string): ValidateFunction {
  const module = { exports: {} as unknown };
  const requireFromAjv = createRequire(require.resolve('ajv'));
  new Function('module', 'exports', 'require', code)(module, module.exports, requireFromAjv);
  return module.exports as ValidateFunction;
}
