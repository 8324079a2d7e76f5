// Run by scripts/build.cjs after tsc: compiles the validator of every CRD schema
// (imports/crd-schemas.json) into build/schemas/, so no synth compiles one, not
// even the first after npm ci, and the package ships them.
import { closedCrdSchemas } from '../lib/policy/api-schema';
import { builtSchemaDir, precompileSchema } from '../lib/policy/schema-compiler';

for (const schema of closedCrdSchemas()) precompileSchema(schema, builtSchemaDir());
