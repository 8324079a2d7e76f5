// Loader for the cdk8s-cli validation plugin in lib/validation/cdk8s-plugin.ts:
// cdk8s-cli require()s plain JavaScript, so register tsx first.
require('tsx/cjs/api').register();
module.exports = require('../../lib/validation/cdk8s-plugin.ts');
