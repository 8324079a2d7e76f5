import { ChartSourceOptions, cachedChartArchive, lookupChart } from '../headlamp/chart-source';
import { renderChart, renderedHeadlampViolations } from '../headlamp/rendered-chart';
import { headlampValuesProblems, isHeadlampRelease, releaseChart, versionPinProblems } from '../headlamp/release-check';
import { ValuesProblem } from '../headlamp/values-check';
import { apiSchemaViolations } from './api-schema';
import { describeObject, Finding, ManifestObject } from './finding';
import { imageViolations } from './image-policy';
import { podSecurityViolations } from './pod-security';
import { objectAt } from '../values';
import { rbacViolations } from './rbac-policy';
import { ObjectReport } from './report';
import { secretViolations } from './secret-policy';

/**
 * Annotation prefix that lets one object break one check, for a feature that
 * needs it: `headlamp-homelab/allow-rbac: "<why>"`. The finding stays in the
 * report, as a warning that carries the reason.
 */
export const POLICY_EXCEPTION_PREFIX = 'headlamp-homelab/allow-';

export interface ObjectCheckOptions extends ChartSourceOptions {
  /**
   * Validate each object against its API schema.
   * @default true
   */
  readonly schema?: boolean;

  /**
   * Render Headlamp HelmReleases with `helm template` and check what they render.
   * @default false
   */
  readonly render?: boolean;
}

type Run = (obj: ManifestObject, options: ObjectCheckOptions) => ValuesProblem[] | undefined;

interface ObjectCheck {
  readonly name: string;
  /** Problems, or undefined when the check does not apply to this object. */
  readonly run: Run;
  /** Whether an annotation may turn its errors into warnings. */
  readonly exemptable: boolean;
}

const errors = (check: (obj: ManifestObject) => string[] | undefined): Run => (obj) => check(obj)?.map((message) => ({ severity: 'error', message }));

const CHECKS: readonly ObjectCheck[] = [
  { name: 'pod-security', run: errors(podSecurityViolations), exemptable: false },
  { name: 'rbac', run: errors(rbacViolations), exemptable: true },
  { name: 'secrets', run: errors(secretViolations), exemptable: true },
  { name: 'images', run: errors(imageViolations), exemptable: true },
  { name: 'chart-version', run: (obj) => versionPinProblems(obj), exemptable: false },
  { name: 'chart-values', run: headlampValuesProblems, exemptable: false },
  {
    name: 'schema',
    exemptable: false,
    run: (obj, options) => {
      if (options.schema === false) return undefined;
      const violations = apiSchemaViolations(obj);
      return violations === undefined
        ? [{ severity: 'unchecked', message: `no API schema known for ${obj.apiVersion} ${obj.kind}: add its CRD to cdk8s.yaml imports and run npm run import:offline` }]
        : violations.map((message) => ({ severity: 'error', message }));
    },
  },
];

function exemption(obj: ManifestObject, check: string): string | undefined {
  const reason = objectAt(obj, 'metadata', 'annotations')[`${POLICY_EXCEPTION_PREFIX}${check}`];
  return typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : undefined;
}

/** Runs every check that applies to one object. */
export function checkObject(obj: ManifestObject, options: ObjectCheckOptions = {}, label = describeObject(obj)): ObjectReport {
  const checks: string[] = [];
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    const problems = check.run(obj, options);
    if (problems === undefined) continue;
    checks.push(check.name);
    const reason = check.exemptable ? exemption(obj, check.name) : undefined;
    for (const p of problems) {
      findings.push(reason !== undefined && p.severity === 'error'
        ? { object: label, check: check.name, severity: 'warning', message: `allowed (${reason}): ${p.message}` }
        : { object: label, check: check.name, severity: p.severity, message: p.message });
    }
  }
  return { object: label, checks, findings };
}

/** Renders a Headlamp HelmRelease and checks every rendered object. */
export function checkRenderedRelease(release: ManifestObject, options: ObjectCheckOptions = {}): ObjectReport[] {
  const label = `${describeObject(release)} (rendered)`;
  const { version, values } = releaseChart(release);
  const unchecked = (message: string): ObjectReport[] => [{ object: label, checks: ['render'], findings: [{ object: label, check: 'render', severity: 'unchecked', message }] }];
  // The archive is needed to render; asking lookupChart first lets helm pull fetch it.
  const archive = lookupChart(version, { ...options, index: false }).facts ? cachedChartArchive(version, options) : undefined;
  if (archive === undefined) {
    return unchecked(`chart headlamp ${version} was NOT rendered: its archive is not in the chart cache and could not be pulled; put headlamp-${version}.tgz in $HEADLAMP_CHART_CACHE`);
  }
  let rendered: ManifestObject[];
  try {
    rendered = renderChart({ archive, releaseName: String(release.metadata.name), namespace: String(release.metadata.namespace ?? 'default'), values });
  } catch (error) {
    return unchecked(`chart headlamp ${version} was NOT rendered: ${(error as Error).message}`);
  }
  return rendered.map((obj) => {
    const report = checkObject(obj, { ...options, render: false }, `${describeObject(obj)} (rendered from ${describeObject(release)})`);
    const extra = (renderedHeadlampViolations(obj) ?? []).map((message): Finding => ({ object: report.object, check: 'render', severity: 'error', message }));
    return { ...report, checks: renderedHeadlampViolations(obj) ? [...report.checks, 'render'] : report.checks, findings: [...report.findings, ...extra] };
  });
}

/** Checks a set of objects (one synth, or one dist/ tree), rendering Headlamp releases when asked. */
export function checkObjects(objects: readonly ManifestObject[], options: ObjectCheckOptions = {}): ObjectReport[] {
  const reports = objects.map((obj) => checkObject(obj, options));
  if (options.render) for (const release of objects.filter(isHeadlampRelease)) reports.push(...checkRenderedRelease(release, options));
  return reports;
}
