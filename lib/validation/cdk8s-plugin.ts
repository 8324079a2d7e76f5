// The checks as a cdk8s-cli validation plugin (`validations:` in cdk8s.yaml), so
// `cdk8s synth` prints its own report over the manifests it wrote. The same
// checks already ran inside the app before anything was published.
import type { Validation, ValidationContext } from 'cdk8s-cli/lib/plugins/validation';
import { JsonValue } from '../values';
import { describeObject, failures, isManifestObject } from './finding';
import { checkObject, ObjectCheckOptions } from './object-checks';

export class HeadlampPolicyValidation implements Validation {
  public constructor(private readonly options: ObjectCheckOptions = {}) {}

  public async validate(context: ValidationContext): Promise<void> {
    let failed = false;
    for (const manifestPath of context.manifests) {
      const objects = (context.parseManifest(manifestPath) as JsonValue[]).filter(isManifestObject);
      for (const obj of objects) {
        const findings = checkObject(obj, this.options).findings;
        failed ||= failures(findings, true).length > 0;
        for (const f of findings.filter((x) => x.severity !== 'warning')) {
          context.report.addViolation({
            ruleName: f.check,
            recommendation: f.severity === 'unchecked' ? `NOT CHECKED: ${f.message}` : f.message,
            fix: 'see the recommendation; npm run validate prints the same checks as a table',
            violatingResources: [{ resourceName: describeObject(obj), locations: [], manifestPath }],
          });
        }
        for (const f of findings.filter((x) => x.severity === 'warning')) context.logger.log(`warning: ${f.object}: ${f.check}: ${f.message}`);
      }
    }
    context.report.submit(failed ? 'failure' : 'success');
  }
}
