// Validation inside the construct tree: `app.synth()` of any cdk8s App runs it,
// and cdk8s reports every error of the app together before writing anything.
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { chartObjects } from '../output/chart-objects';
import { failures, isManifestObject } from './finding';
import { ObjectCheckOptions, checkObjects } from './object-checks';
import { emitWarnings } from './warnings';

/** Context key under which an app stores its validation settings (FluxApp sets it). */
export const VALIDATION_CONTEXT = 'headlamp-homelab:validation';

/** Validation settings of the app `scope` belongs to; `false` when switched off. */
export function validationOptions(scope: IConstruct): ObjectCheckOptions | false {
  const value = scope.node.tryGetContext(VALIDATION_CONTEXT) as ObjectCheckOptions | false | undefined;
  return value ?? {};
}

/** Makes `chart` check its objects (policy, schema, chart values) on every synth. */
export function validateChartObjects(chart: Chart): void {
  chart.node.addValidation({
    validate: () => {
      const options = validationOptions(chart);
      if (options === false) return [];
      const objects = chartObjects(chart).filter(isManifestObject);
      const findings = checkObjects(objects, options).flatMap((r) => r.findings);
      emitWarnings(chart.node.path, findings);
      return failures(findings, false).map((f) => `${f.object}: ${f.check}: ${f.message}`);
    },
  });
}
