// Validation of every object against its API schema:
// - Flux and Traefik kinds: ajv on the openAPIV3Schema of the exact CRDs the
//   imports were generated from (imports/crd-schemas.json). CRD schemas are
//   structural, so the API server prunes fields it does not know; here an
//   unknown field is an error instead of a silent drop.
// - Kubernetes kinds: the precompiled validators of `kubernetes-models`, found
//   through imports/core-kinds.ts (one lazy loader per kind).
import { ErrorObject } from 'ajv';
import { CORE_KINDS } from '../../imports/core-kinds';
import crdSchemas from '../../imports/crd-schemas.json';
import { JsonObject, isJsonObject } from '../json';
import { ManifestObject } from './finding';
import { compileSchema } from './schema-compiler';

type Validator = (obj: ManifestObject) => readonly ErrorObject[];

const CRD_SCHEMAS: Readonly<Record<string, JsonObject>> = crdSchemas as Record<string, JsonObject>;
const cache = new Map<string, Validator | undefined>();

/** Marks every object schema with known properties as closed, as API-server pruning effectively does. */
function closed(schema: JsonObject): JsonObject {
  const out: Record<string, JsonObject[keyof JsonObject]> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isJsonObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isJsonObject(v) ? closed(v) : v]));
    } else if (isJsonObject(value)) {
      out[key] = closed(value);
    } else if (Array.isArray(value)) {
      out[key] = value.map((v) => (isJsonObject(v) ? closed(v) : v));
    } else {
      out[key] = value;
    }
  }
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in schema;
  if (isJsonObject(schema.properties) && !open) out.additionalProperties = false;
  return out;
}

/** The CRD schemas as validation uses them (closed): what the build precompiles. */
export function closedCrdSchemas(): JsonObject[] {
  return Object.values(CRD_SCHEMAS).map(closed);
}

function crdValidator(key: string): Validator | undefined {
  const schema = CRD_SCHEMAS[key];
  if (schema === undefined) return undefined;
  const validate = compileSchema(closed(schema));
  return (obj) => (validate(obj) ? [] : validate.errors ?? []);
}

/**
 * The validator of a core kind's `kubernetes-models` class, e.g. `apps/v1/Deployment`.
 * It runs on the object as it is: constructing the model would first deep-copy
 * it, which costs more than the validation (our objects are plain JSON already).
 */
function coreValidator(apiVersion: string, kind: string): Validator | undefined {
  const load = CORE_KINDS[`${apiVersion}/${kind}`];
  const Model = load?.()[kind] as { prototype: { validate(this: ManifestObject): void } } | undefined;
  if (Model === undefined) return undefined;
  const validate = Model.prototype.validate;
  return (obj) => {
    try {
      validate.call(obj);
      return [];
    } catch (error) {
      const errors = (error as { errors?: ErrorObject[] }).errors;
      if (errors === undefined) throw error;
      return errors;
    }
  };
}

function validatorFor(apiVersion: string, kind: string): Validator | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!cache.has(key)) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    cache.set(key, crdValidator(`${group}/${version}/${kind}`) ?? coreValidator(apiVersion, kind));
  }
  return cache.get(key);
}

/** `/spec/chart/spec/version` → `spec.chart.spec.version`. */
function fieldPath(instancePath: string, property?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (property !== undefined) parts.push(property);
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('') || '(object)';
}

function describeError(e: ErrorObject, obj: ManifestObject): string {
  if (e.keyword === 'additionalProperties') {
    const field = fieldPath(e.instancePath, String(e.params.additionalProperty));
    return `${field} is not a field of ${obj.kind} ${obj.apiVersion}: the API server would drop it; check the spelling against the CRD`;
  }
  if (e.keyword === 'required') return `${fieldPath(e.instancePath, String(e.params.missingProperty))} is required`;
  if (e.keyword === 'enum') return `${fieldPath(e.instancePath)} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${fieldPath(e.instancePath)} ${e.message ?? 'is invalid'}`;
}

/**
 * The object as the API server decodes it: base64 in `data` may be wrapped
 * over lines (kustomize's secretGenerator wraps long values; Go's decoder
 * skips the line breaks), which the schema's `byte` format does not allow.
 */
function asDecoded(obj: ManifestObject): ManifestObject {
  if (obj.apiVersion !== 'v1' || (obj.kind !== 'Secret' && obj.kind !== 'ConfigMap')) return obj;
  const field = obj.kind === 'Secret' ? 'data' : 'binaryData';
  const values = obj[field];
  if (!isJsonObject(values)) return obj;
  return { ...obj, [field]: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\r\n]/g, '') : v])) };
}

/**
 * Schema errors of one object, or undefined when no schema is known for its
 * kind (the caller reports that as not checked, never as a pass).
 */
export function apiSchemaViolations(obj: ManifestObject): string[] | undefined {
  const validator = validatorFor(obj.apiVersion, obj.kind);
  if (validator === undefined) return undefined;
  const messages = validator(asDecoded(obj)).map((e) => describeError(e, obj));
  return [...new Set(messages)];
}
