import { parse } from 'yaml';
import { JsonObject, JsonValue, isJsonObject } from '../json';
import { ChartFiles } from './chart-archive';

/**
 * The value keys a chart knows. `leaf`: a scalar or list; `any`: a free-form map
 * (default `{}`, or a schema object without properties), anything goes below it.
 */
export type KeyTree = { readonly [key: string]: KeyTree | 'leaf' | 'any' };

/** What validation needs to know about one version of a chart. */
export interface ChartFacts {
  readonly name: string;
  readonly version: string;
  /** Release of the app the chart was tested with (its default image tag, often with a `v`). */
  readonly appVersion: string;
  /** Keys of `values.yaml`, the properties of `values.schema.json` and the paths the templates read, united. */
  readonly keys: KeyTree;
  /** `values.schema.json` without descriptions, or `{}` when the chart has none. */
  readonly schema: JsonObject;
}

type Node = KeyTree | 'leaf' | 'any';

function fromValues(value: JsonValue): Node {
  if (!isJsonObject(value)) return 'leaf';
  const keys = Object.keys(value);
  return keys.length === 0 ? 'any' : Object.fromEntries(keys.map((k) => [k, fromValues(value[k])]));
}

function fromSchema(schema: JsonValue | undefined): Node {
  if (!isJsonObject(schema)) return 'any';
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const props = schema.properties;
  if (isJsonObject(props) && Object.keys(props).length > 0) {
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return 'any';
    return Object.fromEntries(Object.keys(props).map((k) => [k, fromSchema(props[k])]));
  }
  return types.includes('object') || schema.type === undefined ? 'any' : 'leaf';
}

/** Unites two views of one key: free-form wins, then maps merge key by key. */
function unite(a: Node | undefined, b: Node | undefined): Node {
  if (a === undefined) return b ?? 'leaf';
  if (b === undefined) return a;
  if (a === 'any' || b === 'any') return 'any';
  if (a === 'leaf') return b;
  if (b === 'leaf') return a;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return Object.fromEntries(keys.map((k) => [k, unite(a[k], b[k])]));
}

function withoutDescriptions(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'description' && k !== 'title').map(([k, v]) => [k, withoutDescriptions(v)]));
}

/**
 * Value paths the templates hand to Kubernetes as they are (`toYaml .Values.x`,
 * or `with .Values.x` around `toYaml .`): free-form, whatever values.yaml shows.
 */
export function passThroughPaths(files: ChartFiles): string[] {
  const paths = new Set<string>();
  for (const [name, body] of files) {
    if (!name.startsWith('templates/')) continue;
    const text = body.toString('utf8');
    for (const m of text.matchAll(/toYaml \$?\.Values\.([\w.]+)/g)) paths.add(m[1]);
    for (const m of text.matchAll(/with \$?\.Values\.([\w.]+)\s*\}\}([\s\S]*?)\{\{-?\s*end/g)) {
      if (/toYaml \.[\s|)]/.test(m[2])) paths.add(m[1]);
    }
  }
  return [...paths].sort();
}

/**
 * Value paths the templates read (`.Values.service.externalTrafficPolicy`):
 * keys the chart uses even when its values.yaml leaves them out.
 */
export function templateValuePaths(files: ChartFiles): string[] {
  const paths = new Set<string>();
  for (const [name, body] of files) {
    if (!name.startsWith('templates/')) continue;
    for (const m of body.toString('utf8').matchAll(/\$?\.Values((?:\.\w+)+)/g)) paths.add(m[1].slice(1));
  }
  return [...paths].sort();
}

/** A key tree holding only `path`, its last key a leaf. */
function treeOf(path: readonly string[]): Node {
  return path.length === 0 ? 'leaf' : { [path[0]]: treeOf(path.slice(1)) };
}

function markFreeForm(tree: Node, path: readonly string[]): Node {
  if (path.length === 0) return tree === 'leaf' ? 'leaf' : 'any';
  if (typeof tree !== 'object' || !(path[0] in tree)) return tree;
  return { ...tree, [path[0]]: markFreeForm(tree[path[0]], path.slice(1)) };
}

/** Reads the facts of a chart from its files (see `readChartArchive`). */
export function chartFactsFromFiles(files: ChartFiles): ChartFacts {
  const text = (path: string) => files.get(path)?.toString('utf8');
  const chart = parse(text('Chart.yaml') ?? '') as { name?: string; version?: string; appVersion?: string };
  const values = (parse(text('values.yaml') ?? '{}') ?? {}) as JsonObject;
  const schemaText = text('values.schema.json');
  const schema = schemaText ? (withoutDescriptions(JSON.parse(schemaText) as JsonValue) as JsonObject) : {};
  const declared = unite(fromValues(values), schemaText ? fromSchema(schema) : undefined);
  const read = templateValuePaths(files).reduce((tree, path) => unite(tree, treeOf(path.split('.'))), declared);
  const keys = passThroughPaths(files).reduce((tree, path) => markFreeForm(tree, path.split('.')), read);
  return { name: String(chart.name), version: String(chart.version), appVersion: String(chart.appVersion), keys: typeof keys === 'object' ? keys : {}, schema };
}
