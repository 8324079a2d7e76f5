// JSON Schema validators compiled once per schema, not once per run: ajv's code
// generation costs tens of ms per schema, so the generated code (ajv standalone)
// is kept in a file named by a hash of the schema, the options and the ajv
// version, and later runs load it: the CRD schemas' were compiled into
// build/schemas/ when the package was built (npm run build), any other in the
// cache folder on first use.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { cacheDir, writeAtomically } from '../cache-dir';
import { JsonObject } from '../json';
import { packageRoot } from '../package-root';

const OPTIONS = { allErrors: true, strict: false, validateFormats: false, code: { source: true } } as const;
const AJV_VERSION = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
const loaded = new Map<string, ValidateFunction>();
// By schema object too: a chart's schema is asked for once per release, and hashing it costs more than the lookup.
const bySchema = new WeakMap<JsonObject, ValidateFunction>();
let ajv: Ajv | undefined;

/** The validators compiled when the package was built (scripts/precompile-schemas.ts), read-only. */
export function builtSchemaDir(): string {
  return join(packageRoot(), 'build', 'schemas');
}

/** The file name of the compiled validator of `schema`. */
function compiledSchemaName(schema: JsonObject): string {
  return `${createHash('sha256').update(JSON.stringify([schema, OPTIONS, AJV_VERSION])).digest('hex').slice(0, 24)}.js`;
}

/** Compiles `schema` with ajv (loaded only here: a synth whose schemas are all compiled never needs it). */
function compileWithAjv(schema: JsonObject): { validate: ValidateFunction; code: () => string } {
  const { default: AjvCompiler } = require('ajv') as typeof import('ajv');
  const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
  const compiler = (ajv ??= new AjvCompiler(OPTIONS));
  const validate = compiler.compile(schema);
  return { validate, code: () => standaloneCode(compiler, validate) };
}

/** Compiles `schema` into `dir` (the build does, for the CRD schemas); returns the file. */
export function precompileSchema(schema: JsonObject, dir: string): string {
  const file = join(dir, compiledSchemaName(schema));
  writeAtomically(file, compileWithAjv(schema).code());
  return file;
}

/**
 * A validator for `schema` (errors in `.errors`, all of them): compiled by the
 * build or by an earlier run when either kept it (`dirs`, in order), else
 * compiled now and kept in the last of `dirs`.
 */
export function compileSchema(schema: JsonObject, dirs: readonly string[] = [builtSchemaDir(), cacheDir('schemas')]): ValidateFunction {
  const same = bySchema.get(schema);
  if (same) return same;
  const name = compiledSchemaName(schema);
  const files = dirs.map((dir) => join(dir, name));
  const file = files.find((f) => loaded.has(f) || existsSync(f));
  let validate = file === undefined ? undefined : loaded.get(file);
  if (file !== undefined && validate === undefined) {
    validate = loadStandalone(readFileSync(file, 'utf8'));
    loaded.set(file, validate);
  }
  if (validate === undefined) {
    const compiled = compileWithAjv(schema);
    validate = compiled.validate;
    const target = files[files.length - 1];
    try {
      writeAtomically(target, compiled.code());
      loaded.set(target, validate);
    } catch {
      // a read-only cache folder: compile again next run
    }
  }
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
