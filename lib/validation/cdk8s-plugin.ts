// The checks as a cdk8s-cli validation plugin (`validations:` in cdk8s.yaml), so
// `cdk8s synth` prints its own report over the manifests it wrote. The same
// checks already ran inside the app before anything was published; the app
// leaves their verdicts beside the manifests (checked-manifests.ts) and the
// plugin's loader replays those for files that are byte for byte the ones the
// app checked, so this code only runs for the others.
import type { Validation, ValidationContext } from 'cdk8s-cli/lib/plugins/validation';
import { JsonValue } from '../values';
import { failures, isManifestObject } from './finding';
import { checkObject, ObjectCheckOptions } from './object-checks';
import { ObjectReport } from './report';

/** What the plugin reports for the objects of one manifest file. */
export interface ManifestVerdict {
  /** Whether any finding fails `cdk8s synth` (errors, and what could not be checked). */
  readonly failed: boolean;
  readonly violations: readonly { ruleName: string; recommendation: string; fix: string; resourceName: string }[];
  /** Warning lines for the plugin's log. */
  readonly warnings: readonly string[];
}

/** The plugin's verdict on a set of object reports. */
export function manifestVerdict(reports: readonly ObjectReport[]): ManifestVerdict {
  const findings = reports.flatMap((r) => r.findings);
  return {
    failed: failures(findings, true).length > 0,
    violations: findings.filter((f) => f.severity !== 'warning').map((f) => ({
      ruleName: f.check,
      recommendation: f.severity === 'unchecked' ? `NOT CHECKED: ${f.message}` : f.message,
      fix: 'see the recommendation; npm run validate prints the same checks as a table',
      resourceName: f.object,
    })),
    warnings: findings.filter((f) => f.severity === 'warning').map((f) => `warning: ${f.object}: ${f.check}: ${f.message}`),
  };
}

/** Adds one manifest's verdict to the plugin report. */
export function reportVerdict(context: ValidationContext, manifestPath: string, verdict: ManifestVerdict): void {
  for (const { resourceName, ...violation } of verdict.violations) {
    context.report.addViolation({ ...violation, violatingResources: [{ resourceName, locations: [], manifestPath }] });
  }
  for (const line of verdict.warnings) context.logger.log(line);
}

export class HeadlampPolicyValidation implements Validation {
  public constructor(private readonly options: ObjectCheckOptions = {}) {}

  public async validate(context: ValidationContext): Promise<void> {
    context.report.submit(this.check(context, context.manifests) ? 'failure' : 'success');
  }

  /** Checks and reports `manifests`; true when any of them failed. Does not submit the report. */
  public check(context: ValidationContext, manifests: readonly string[]): boolean {
    let failed = false;
    for (const manifestPath of manifests) {
      const objects = (context.parseManifest(manifestPath) as JsonValue[]).filter(isManifestObject);
      const verdict = manifestVerdict(objects.map((obj) => checkObject(obj, this.options)));
      reportVerdict(context, manifestPath, verdict);
      failed ||= verdict.failed;
    }
    return failed;
  }
}
