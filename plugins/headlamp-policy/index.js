// The cdk8s-cli validation plugin (lib/validation/cdk8s-plugin.ts), as the plain
// JavaScript cdk8s-cli require()s. The app already checked the manifests it
// wrote and left its verdicts beside them (lib/validation/checked-manifests.ts):
// a manifest whose bytes and check options match is reported from that record,
// and only the others load the checks, through the cached synth bundle.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

const RECORD = 'headlamp-checked-manifests.json';

function readRecord(manifests) {
  if (manifests.length === 0) return undefined;
  try {
    return JSON.parse(readFileSync(join(dirname(manifests[0]), RECORD), 'utf8'));
  } catch {
    return undefined; // validation off in the app, or not written by it
  }
}

function checks() {
  const { requireBundled } = require('../../scripts/bundle.cjs');
  return requireBundled(join(__dirname, '..', '..', 'lib', 'validation', 'cdk8s-plugin.ts'));
}

class HeadlampPolicyValidation {
  constructor(options = {}) {
    this.options = options;
  }

  async validate(context) {
    const record = readRecord(context.manifests);
    const sameOptions = record !== undefined && JSON.stringify(record.options) === JSON.stringify(this.options);
    const unchecked = [];
    let failed = false;
    for (const manifest of context.manifests) {
      const known = sameOptions ? record.files[basename(manifest)] : undefined;
      if (known === undefined || known.sha256 !== createHash('sha256').update(readFileSync(manifest)).digest('hex')) {
        unchecked.push(manifest);
        continue;
      }
      for (const { resourceName, ...violation } of known.violations) {
        context.report.addViolation({ ...violation, violatingResources: [{ resourceName, locations: [], manifestPath: manifest }] });
      }
      for (const line of known.warnings) context.logger.log(line);
      failed ||= known.failed;
    }
    if (unchecked.length > 0) {
      const { HeadlampPolicyValidation: Checks } = checks();
      failed = new Checks(this.options).check(context, unchecked) || failed;
    }
    context.report.submit(failed ? 'failure' : 'success');
  }
}

module.exports = { HeadlampPolicyValidation };
