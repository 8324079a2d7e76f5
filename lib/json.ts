/** A JSON value, as Helm values and Kubernetes fields are. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;

/** A JSON object: a map of Helm values. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `override` over `base` the way Helm merges values files: maps merge
 * key by key, anything else (lists, scalars, `null`) replaces. A `null` is kept so
 * that Helm itself removes the chart's default for that key.
 */
export function mergeValues(base: JsonObject, override: JsonObject): JsonObject {
  const merged: Record<string, JsonValue> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isJsonObject(current) && isJsonObject(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

/** The value at a path of map keys, or undefined. */
export function at(value: JsonValue | undefined, ...path: string[]): JsonValue | undefined {
  let node = value;
  for (const key of path) node = isJsonObject(node) ? node[key] : undefined;
  return node;
}

/** The map at a path, or `{}`. */
export function objectAt(value: JsonValue | undefined, ...path: string[]): JsonObject {
  const node = at(value, ...path);
  return isJsonObject(node) ? node : {};
}

/** The maps of the list at a path, or `[]`. */
export function listAt(value: JsonValue | undefined, ...path: string[]): JsonObject[] {
  const node = at(value, ...path);
  return Array.isArray(node) ? node.filter(isJsonObject) : [];
}

/** Whether a `null` sits anywhere in the value. */
export function hasNull(value: JsonValue): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(hasNull);
  return isJsonObject(value) && Object.values(value).some(hasNull);
}

/** A copy with every map's keys sorted, as cdk8s writes objects; nulls kept. */
export function sortedKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys(value[k])]));
}
