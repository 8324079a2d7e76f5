// Validation inside the construct tree: `app.synth()` of any cdk8s App runs it,
// and cdk8s reports every error of the app together before writing anything.
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { chartObjects } from '../output/chart-objects';
import { failures, isManifestObject } from './finding';
import { ObjectCheckOptions, checkObjects } from './object-checks';
import { ObjectReport } from './report';
import { emitWarnings } from './warnings';

/** Context key under which an app stores its validation settings (FluxApp sets it). */
export const VALIDATION_CONTEXT = 'headlamp-homelab:validation';

/** Validation settings of the app `scope` belongs to; `false` when switched off. */
export function validationOptions(scope: IConstruct): ObjectCheckOptions | false {
  const value = scope.node.tryGetContext(VALIDATION_CONTEXT) as ObjectCheckOptions | false | undefined;
  return value ?? {};
}

const lastReports = new WeakMap<Chart, readonly ObjectReport[]>();

/**
 * The report of each object of `chart` from its last validation, in object
 * order (renders excluded), or undefined when it was not validated.
 */
export function checkedReports(chart: Chart): readonly ObjectReport[] | undefined {
  return lastReports.get(chart);
}

/** Makes `chart` check its objects (policy, schema, chart values) on every synth. */
export function validateChartObjects(chart: Chart): void {
  chart.node.addValidation({
    validate: () => {
      const options = validationOptions(chart);
      lastReports.delete(chart);
      if (options === false) return [];
      const objects = chartObjects(chart).filter(isManifestObject);
      const reports = checkObjects(objects, options);
      lastReports.set(chart, reports.slice(0, objects.length));
      const findings = reports.flatMap((r) => r.findings);
      emitWarnings(chart.node.path, findings);
      return failures(findings, false).map((f) => `${f.object}: ${f.check}: ${f.message}`);
    },
  });
}
