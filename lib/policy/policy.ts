// The checks an app runs, registered on the root of its construct tree: the
// generic ones by default, plus each app's own. The policy validates every
// chart of the app before anything is written, and checks trees on disk too.
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { renderRelease } from '../charts/render-chart';
import { isHelmRelease } from '../charts/release-checks';
import { objectAt } from '../json';
import { ANNOTATION_PREFIX } from '../project';
import { chartObjects, renderingOnce } from '../output/chart-objects';
import { DEFAULT_CHECKS } from './default-checks';
import { describeObject, failures, Finding, isManifestObject, ManifestObject } from './finding';
import { CheckContext, CheckOptions, ManifestCheck } from './manifest-check';
import { ObjectReport } from './report';
import { emitWarnings } from './warnings';

const policies = new WeakMap<IConstruct, Policy>();

function exemption(obj: ManifestObject, check: string): string | undefined {
  const reason = objectAt(obj, 'metadata', 'annotations')[`${ANNOTATION_PREFIX}allow-${check}`];
  return typeof reason === 'string' && reason.trim() !== '' ? reason.trim() : undefined;
}

/** `Kind namespace/name` → `spec.url` of every object that has one (Flux sources). */
function sourceUrls(objects: readonly ManifestObject[]): CheckContext['sourceUrl'] {
  const urls = new Map<string, string>();
  for (const obj of objects) {
    const url = objectAt(obj, 'spec').url;
    if (typeof url === 'string') urls.set(`${obj.kind} ${String(obj.metadata.namespace ?? '')}/${String(obj.metadata.name)}`, url);
  }
  return (kind, namespace, name) => urls.get(`${kind} ${namespace}/${name}`);
}

/** The checks of one app, and the options they run with. */
export class Policy {
  /** The policy of the app `scope` belongs to, made on first use with the default checks. */
  public static of(scope: IConstruct): Policy {
    const root = scope.node.root;
    let policy = policies.get(root);
    if (policy === undefined) {
      policy = new Policy();
      policies.set(root, policy);
      policy.guard(root);
    }
    return policy;
  }

  private readonly registered = new Map<string, ManifestCheck>();
  private settings: CheckOptions | false = {};
  // Verdicts by object content (and by object instance within one synth), so
  // cdk8s's re-validation of the whole app once per chart costs a lookup.
  private readonly byContent = new Map<string, ObjectReport>();
  private readonly byInstance = new WeakMap<object, ObjectReport>();
  private readonly renders = new Map<string, ObjectReport[]>();
  private readonly warned = new Set<string>();

  public constructor(checks: readonly ManifestCheck[] = DEFAULT_CHECKS) {
    this.register(...checks);
  }

  /** Adds checks; a check whose name is already registered is left as it was (apps register on every construction). */
  public register(...checks: readonly ManifestCheck[]): void {
    for (const check of checks) if (!this.registered.has(check.name)) this.registered.set(check.name, check);
  }

  public get checks(): readonly ManifestCheck[] {
    return [...this.registered.values()];
  }

  /** The options checks run with; `false` when checks are off. */
  public get options(): CheckOptions | false {
    return this.settings;
  }

  /** Sets the options (the app's root does, once); `false` turns checks off, for benchmarks only. */
  public configure(options: CheckOptions | false): void {
    this.settings = options;
    this.byContent.clear();
    this.renders.clear();
  }

  /** Starts a synth: its warnings are printed again, once. */
  public startSynth(): void {
    this.warned.clear();
  }

  /** Runs every check that applies to one object. */
  public checkObject(obj: ManifestObject, context: CheckContext, label = describeObject(obj)): ObjectReport {
    const known = this.byInstance.get(obj);
    if (known && known.object === label) return known;
    const key = `${label}\n${context.renderedFrom ? describeObject(context.renderedFrom) : ''}\n${JSON.stringify(obj)}`;
    let report = this.byContent.get(key);
    if (report === undefined) {
      report = this.runChecks(obj, context, label);
      this.byContent.set(key, report);
    }
    this.byInstance.set(obj, report);
    return report;
  }

  private runChecks(obj: ManifestObject, context: CheckContext, label: string): ObjectReport {
    const checks: string[] = [];
    const findings: Finding[] = [];
    for (const check of this.registered.values()) {
      const problems = check.run(obj, context);
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

  /**
   * Checks a set of objects (one app, or one tree on disk), labelled by
   * `labels` (default: kind, namespace and name); with `render`, also what
   * each HelmRelease renders.
   */
  public checkObjects(objects: readonly ManifestObject[], labels?: readonly string[]): ObjectReport[] {
    const options = this.settings === false ? {} : this.settings;
    const context: CheckContext = { options, sourceUrl: sourceUrls(objects) };
    const reports = objects.map((obj, i) => this.checkObject(obj, context, labels?.[i]));
    if (options.render) for (const release of objects.filter(isHelmRelease)) reports.push(...this.checkRender(release, context));
    return reports;
  }

  /** Renders a HelmRelease and checks every object it renders. */
  private checkRender(release: ManifestObject, context: CheckContext): ObjectReport[] {
    const key = JSON.stringify(release);
    const known = this.renders.get(key);
    if (known) return known;
    const result = renderRelease(release, context);
    const from = describeObject(release);
    const reports = result.objects === undefined
      ? [{ object: `${from} (rendered)`, checks: ['render'], findings: [{ object: `${from} (rendered)`, check: 'render', severity: 'unchecked' as const, message: result.why }] }]
      : result.objects.map((obj) => this.checkObject(obj, { ...context, renderedFrom: release }, `${describeObject(obj)} (rendered from ${from})`));
    this.renders.set(key, reports);
    return reports;
  }

  /**
   * Makes the app check every chart's objects whenever it validates, before
   * anything is written; under a cdk8s App each synth renders each chart once.
   */
  private guard(root: IConstruct): void {
    root.node.addValidation({ validate: () => this.validateCharts(root) });
    if (root instanceof App) {
      // cdk8s's App.synth() validates the whole app again for every chart; nothing
      // changes meanwhile, so within one synth each chart's objects are rendered once.
      for (const method of ['synth', 'synthYaml'] as const) {
        const original = root[method].bind(root) as () => never;
        Object.defineProperty(root, method, {
          configurable: true,
          writable: true,
          value: () => {
            this.startSynth();
            return renderingOnce(original);
          },
        });
      }
    }
  }

  private validateCharts(root: IConstruct): string[] {
    if (this.settings === false) return [];
    const charts = root.node.findAll().filter((c): c is Chart => Chart.isChart(c));
    const placed = charts.flatMap((chart) => chartObjects(chart).filter(isManifestObject).map((obj) => ({ chart, obj })));
    const reports = this.checkObjects(placed.map((p) => p.obj));
    const errors: string[] = [];
    reports.forEach((report, i) => {
      const where = placed[i]?.chart.node.path ?? root.node.path;
      const fresh = report.findings.filter((f) => !this.warned.has(`${where}\n${f.object}\n${f.check}\n${f.message}`));
      for (const f of fresh) this.warned.add(`${where}\n${f.object}\n${f.check}\n${f.message}`);
      emitWarnings(where, fresh);
      errors.push(...failures(report.findings, false).map((f) => `${where}: ${f.object}: ${f.check}: ${f.message}`));
    });
    return errors;
  }
}
