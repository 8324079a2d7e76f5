// The checks an app runs, registered on the root of its construct tree: the
// generic ones by default, plus each app's own. The policy validates every
// chart of the app before anything is written, and checks trees on disk too.
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { renderRelease } from '../charts/render-chart';
import { isHelmRelease, releaseInputs } from '../charts/release-checks';
import { objectAt } from '../json';
import { ANNOTATION_PREFIX } from '../project';
import { chartObjects, renderingOnce } from '../output/chart-objects';
import { contentKey, objectKey } from '../content-key';
import { ConfigMapGenerator } from '../output/config-map-generator';
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

/** Finds objects of a set by kind, namespace and name. */
function finder(objects: readonly ManifestObject[]): CheckContext['find'] {
  const byKey = new Map<string, ManifestObject>();
  for (const obj of objects) byKey.set(`${obj.kind} ${String(obj.metadata.namespace ?? '')}/${String(obj.metadata.name)}`, obj);
  return (kind, namespace, name) => byKey.get(`${kind} ${namespace}/${name}`);
}

/** A check's verdict on one object, before it is labelled. */
interface Verdict {
  readonly checks: readonly string[];
  readonly problems: readonly { readonly check: string; readonly severity: Finding['severity']; readonly message: string }[];
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
  private readonly byContent = new Map<string, Verdict>();
  private readonly byInstance = new WeakMap<object, Verdict>();
  private readonly renders = new Map<string, ObjectReport[]>();
  private readonly warned = new Set<string>();
  /** Whether a cdk8s App.synth() is running, and the verdict of its first validation. */
  private inSynth = false;
  private synthErrors?: string[];

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

  /** Prints the warnings and what was not checked, each message once per synth. */
  public warnOnce(where: string, findings: readonly Finding[]): void {
    const fresh = findings.filter((f) => f.severity !== 'error' && !this.warned.has(`${f.check}\n${f.message}`));
    for (const f of fresh) this.warned.add(`${f.check}\n${f.message}`);
    emitWarnings(where, fresh);
  }

  /** Runs every check that applies to one object (verdicts are kept by content: the same object is checked once). */
  public checkObject(obj: ManifestObject, context: CheckContext, label = describeObject(obj)): ObjectReport {
    return this.checkKeyed(obj, context, label, context.renderedFrom ? objectKey(context.renderedFrom) : '');
  }

  /** checkObject, with the release an object was rendered from given by its key (`''` for none): a release renders many objects. */
  private checkKeyed(obj: ManifestObject, context: CheckContext, label: string, renderedFrom: string): ObjectReport {
    let verdict = context.renderedFrom ? undefined : this.byInstance.get(obj);
    if (verdict === undefined) {
      // What a check sees besides the object: whether it was rendered, and from which release.
      const key = renderedFrom === '' ? objectKey(obj) : contentKey(obj, renderedFrom);
      verdict = this.byContent.get(key);
      if (verdict === undefined) {
        verdict = this.runChecks(obj, context);
        this.byContent.set(key, verdict);
      }
      if (!context.renderedFrom) this.byInstance.set(obj, verdict);
    }
    return { object: label, checks: verdict.checks, findings: verdict.problems.map((p) => ({ object: label, ...p })) };
  }

  private runChecks(obj: ManifestObject, context: CheckContext): Verdict {
    const checks: string[] = [];
    const problems: Verdict['problems'][number][] = [];
    for (const check of this.registered.values()) {
      const found = check.run(obj, context);
      if (found === undefined) continue;
      checks.push(check.name);
      // An opt-in on a HelmRelease covers what it renders: chart objects cannot carry our annotations.
      const reason = check.exemptable ? exemption(obj, check.name) ?? (context.renderedFrom && exemption(context.renderedFrom, check.name)) : undefined;
      for (const p of found) {
        problems.push(reason !== undefined && p.severity === 'error'
          ? { check: check.name, severity: 'warning', message: `allowed (${reason}): ${p.message}` }
          : { check: check.name, severity: p.severity, message: p.message });
      }
    }
    return { checks, problems };
  }

  /**
   * Checks a set of objects (one app, or one tree on disk), labelled by
   * `labels` (default: kind, namespace and name); with `render`, also what
   * each HelmRelease renders. `alsoFound` are objects checks may look up (a
   * release's values) without checking them.
   */
  public checkObjects(objects: readonly ManifestObject[], labels?: readonly string[], alsoFound: readonly ManifestObject[] = []): ObjectReport[] {
    const options = this.settings === false ? {} : this.settings;
    const context: CheckContext = { options, find: finder([...objects, ...alsoFound]) };
    const reports = objects.map((obj, i) => this.checkObject(obj, context, labels?.[i]));
    if (options.render) for (const release of objects.filter(isHelmRelease)) reports.push(...this.checkRender(release, context));
    return reports;
  }

  /** Renders a HelmRelease and checks every object it renders. */
  private checkRender(release: ManifestObject, context: CheckContext): ObjectReport[] {
    // The release was keyed when it was checked: its key is not computed again, only its inputs'.
    const key = contentKey(releaseInputs(release, context), objectKey(release));
    const known = this.renders.get(key);
    if (known) return known;
    const result = renderRelease(release, context);
    const from = describeObject(release);
    const fromKey = objectKey(release);
    const reports = result.objects === undefined
      ? [{ object: `${from} (rendered)`, checks: ['render'], findings: [{ object: `${from} (rendered)`, check: 'render', severity: 'unchecked' as const, message: result.why }] }]
      : result.objects.map((obj) => this.checkKeyed(obj, { ...context, renderedFrom: release }, `${describeObject(obj)} (rendered from ${from})`, fromKey));
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
            this.inSynth = true;
            try {
              return renderingOnce(original);
            } finally {
              this.inSynth = false;
              this.synthErrors = undefined;
            }
          },
        });
      }
    }
  }

  private validateCharts(root: IConstruct): string[] {
    if (this.settings === false) return [];
    // Within one cdk8s App.synth() nothing changes between its per-chart validations: answer them from the first.
    if (this.inSynth && this.synthErrors !== undefined) return this.synthErrors;
    const errors = this.checkCharts(root);
    if (this.inSynth) this.synthErrors = errors;
    return errors;
  }

  private checkCharts(root: IConstruct): string[] {
    const charts = root.node.findAll().filter((c): c is Chart => Chart.isChart(c));
    const placed = charts.flatMap((chart) => chartObjects(chart).filter(isManifestObject).map((obj) => ({ chart, obj })));
    // ConfigMaps kustomize generates from files of the tree (values a release reads) are found, not checked again.
    const generated = root.node.findAll().filter(ConfigMapGenerator.isConfigMapGenerator).map((g) => g.toObject());
    const reports = this.checkObjects(placed.map((p) => p.obj), undefined, generated);
    const errors: string[] = [];
    reports.forEach((report, i) => {
      const where = placed[i]?.chart.node.path ?? (root.node.path || 'rendered charts');
      this.warnOnce(where, report.findings);
      errors.push(...failures(report.findings, false).map((f) => `${where}: ${f.object}: ${f.check}: ${f.message}`));
    });
    return errors;
  }
}
