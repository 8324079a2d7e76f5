// Loader for the cdk8s-cli validation plugin in lib/validation/cdk8s-plugin.ts:
// cdk8s-cli require()s plain JavaScript, so it runs through the same cached
// bundle as synth (scripts/bundle.cjs) rather than a TypeScript loader.
const { join } = require('node:path');
const { requireBundled } = require('../../scripts/bundle.cjs');

module.exports = requireBundled(join(__dirname, '..', '..', 'lib', 'validation', 'cdk8s-plugin.ts'));
