// Writes imports/crd-schemas.json: the openAPIV3Schema of every served version of
// each CRD that cdk8s.yaml imports, keyed `<group>/<version>/<Kind>`, descriptions
// dropped. Synth validates Flux and Traefik objects against it, offline.
//
// Usage: npm run index-crds [-- <fixtures dir>]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { crdImports, ROOT } from './crd-fixtures';

interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema: unknown } }[] };
}

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'description').map(([k, v]) => [k, withoutDescriptions(v)]));
}

export function writeCrdSchemas(files: readonly string[]): void {
  const schemas: Record<string, unknown> = {};
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions.filter((v) => v.served && v.schema)) {
        schemas[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = withoutDescriptions(version.schema!.openAPIV3Schema);
      }
    }
  }
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(join(ROOT, 'imports', 'crd-schemas.json'), `${JSON.stringify(sorted)}\n`);
  console.log(`wrote imports/crd-schemas.json: ${Object.keys(sorted).join(', ')}`);
}

if (require.main === module) writeCrdSchemas(crdImports(process.argv[2]).map((i) => i.file));
