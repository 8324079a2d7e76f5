import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { duplicateObjectProblems } from '../policy/duplicate-objects';
import { failures, isManifestObject } from '../policy/finding';
import { checkEffective } from '../effective/effective-check';
import { ObjectReport } from '../policy/report';
import { CheckOptions } from '../policy/manifest-check';
import { Policy } from '../policy/policy';
import { chartObjects, renderingOnce } from './chart-objects';
import { ConfigMapGenerator } from './config-map-generator';
import { FluxFile } from './flux-file';
import { MarkdownFile } from './markdown-file';
import { gitRoot, pathFromRoot } from '../git-root';
import { reportTo, SYNTH_REPORT_ENV } from './synth-report';
import { normalizeDistPath, resolveDistDir } from './publish-paths';
import { publishTree, PublishResult } from './publish-tree';
import { renderTree, FluxTree, KnownTexts } from './render-tree';
import { PublishedTexts } from './published-texts';
import { defaultOwner } from './publish-owners';
import { installErrorHandler, UserError } from '../errors';
import { PropKeys, propKeyProblems } from '../props/prop-keys';
import { IPropProblemSink } from '../props/prop-problems';

export interface FluxAppProps {
  /**
   * Path of the published tree from the root of the Git repository Flux syncs;
   * Flux Kustomizations refer to their folders through it. Rarely needed: it is
   * computed from `distDir` and where the project lies in the repository.
   * @default - `distDir` from the Git root (`dist`, or `gitops/headlamp/dist` for a project in `gitops/headlamp/`)
   */
  readonly distPath?: string;

  /**
   * Folder the tree is written to, relative to the project folder (the working
   * directory). A relative path must name a folder inside it, not the folder
   * itself; an absolute one may be anywhere but the working directory, a
   * folder above it, or `/`. The tools (`plan`, `doctor`, `init-secrets`) set
   * $HEADLAMP_DIST_DIR to a scratch folder, which wins over this prop.
   * @default - `distPath` from the Git root when it is set, else 'dist'
   */
  readonly distDir?: string;

  /**
   * Root of the Git repository Flux syncs; Flux paths start from it.
   * @default - the nearest folder at or above the working directory with a `.git`, else the working directory
   */
  readonly repoRoot?: string;

  /**
   * Owner of the files this app publishes, when several entry points publish
   * into one `distDir`: each removes only stale files it generated and never
   * replaces another one's (recorded in `.flux-helm-apps-owners.json` there).
   * Set it when one script runs two FluxApps into the same folder.
   * @default - the entry script's path from the working directory, e.g. `main.ts`
   */
  readonly owner?: string;

  /**
   * Scratch folder with a `*.k8s.yaml` copy of each published file, which
   * `cdk8s synth` deletes before every run, lists, and hands to its validation
   * plugins. Written only when set, or when cdk8s-cli sets $CDK8S_OUTDIR.
   * @default - $CDK8S_OUTDIR, else 'cdk8s.out' (not written)
   */
  readonly outdir?: string;

  /**
   * Options of the checks every synth runs before anything is written (the
   * app's Policy: pod security, RBAC, API schema, chart values, …); `false`
   * switches them off (for benchmarks, never for dist/).
   * @default - every check, HelmReleases rendered with helm, a missing chart pulled into charts/ and locked
   */
  readonly validation?: CheckOptions | false;
}

/** The keys of FluxAppProps, for the check of props given without tsc (lib/props/prop-keys.ts). */
export const FLUX_APP_PROPS_KEYS: PropKeys<FluxAppProps> = { distPath: 'optional', distDir: 'optional', repoRoot: 'optional', owner: 'optional', outdir: 'optional', validation: 'optional' };

/**
 * A cdk8s App that publishes its FluxFiles as a Flux tree (`apps/…`,
 * `clusters/…`) into `distDir`, next to files it did not generate.
 */
export class FluxApp extends App implements IPropProblemSink {
  /** The published tree's path from the Git repository root, for Flux paths. */
  public static distPathOf(scope: IConstruct): string {
    const root = scope.node.root;
    return root instanceof FluxApp ? root.distPath : 'dist';
  }

  /** The project's folder from the Git root ('' when the project is the repository), for paths outside the tree. */
  public static projectPathOf(scope: IConstruct): string {
    const root = scope.node.root;
    return root instanceof FluxApp ? root.projectPath : '';
  }

  public readonly distPath: string;
  public readonly distDir: string;
  /** Root of the Git repository (absolute). */
  public readonly repoRoot: string;
  /** The working directory from `repoRoot`, with `/`; '' at the root. */
  public readonly projectPath: string;

  /** What the last `synth()` did to `distDir`. */
  public lastPublish?: PublishResult;

  /** Prop problems of constructs that therefore built nothing, listed by synth with every other problem. */
  private readonly propProblems: string[] = [];

  /** Where the first construct with prop problems was built: the stack `--verbose` shows. */
  private propProblemSite?: Error;

  /** Owner of the published files; undefined: the entry script (publishTree's default). */
  private readonly owner?: string;

  /** Only cdk8s-cli reads the scratch copy: it sets $CDK8S_OUTDIR, or the app passes `outdir`. */
  private readonly writesScratch: boolean;

  public constructor(props: FluxAppProps = {}) {
    super({ outdir: props.outdir ?? (process.env.CDK8S_OUTDIR || 'cdk8s.out') });
    // The app is built first in an entry script: from here on a bad prop prints its fix, not a stack.
    installErrorHandler();
    const keyProblems = propKeyProblems(props, FLUX_APP_PROPS_KEYS);
    if (keyProblems.length > 0) throw new UserError(`FluxApp: ${keyProblems.join('; ')}`);
    this.writesScratch = props.outdir !== undefined || Boolean(process.env.CDK8S_OUTDIR);
    const cwd = process.cwd();
    this.repoRoot = resolve(props.repoRoot ?? gitRoot(cwd) ?? cwd);
    this.projectPath = pathFromRoot(this.repoRoot, cwd) ?? '';
    // Both paths must stay inside the repository (see publish-paths.ts): `dist/..` is the repository root.
    this.distPath = normalizeDistPath(props.distPath ?? (props.distDir === undefined ? posix.join(this.projectPath, 'dist') : pathFromRoot(this.repoRoot, props.distDir) ?? 'dist'));
    const declared = props.distDir ?? (props.distPath === undefined ? 'dist' : relative(cwd, join(this.repoRoot, this.distPath)));
    // The tools' scratch folder wins over the declared one, so they never write the real dist/.
    this.distDir = resolveDistDir(process.env.HEADLAMP_DIST_DIR || declared);
    reportTo(process.env[SYNTH_REPORT_ENV], { distDir: resolveDistDir(declared), distPath: this.distPath, repoRoot: this.repoRoot });
    this.owner = props.owner;
    Policy.of(this).configure(props.validation === false ? false : { render: true, pullInto: 'lock', ...props.validation });
    this.node.addValidation({ validate: () => this.duplicateObjects() });
  }

  /**
   * Two files defining the same object would fight over it in the cluster.
   * Files of different clusters may; a file of no one cluster is in all of them.
   */
  private duplicateObjects(): string[] {
    const placed = this.fluxFiles.map((file) => ({ file, objects: chartObjects(file).filter(isManifestObject) }));
    const clusters = [...new Set(placed.map(({ file }) => file.cluster))].filter((c) => c !== undefined);
    const groups = clusters.length === 0 ? [placed] : clusters.map((c) => placed.filter(({ file }) => file.cluster === undefined || file.cluster === c));
    const problems = groups.flatMap((group) => duplicateObjectProblems(group.flatMap(({ file, objects }) => objects.map((obj) => ({ path: file.path, obj })))));
    return [...new Set(problems)];
  }

  /** The FluxFiles of this app, in construct order. */
  public get fluxFiles(): FluxFile[] {
    return this.node.findAll().filter(FluxFile.isFluxFile);
  }

  /** Keeps a construct's prop problems for synth to report with all others (PropProblems.report). */
  public deferPropProblems(message: string): void {
    this.propProblems.push(message);
    this.propProblemSite ??= new Error(message);
  }

  /** Renders the Flux tree in memory, without writing anything; throws the prop problems of any construct. */
  public renderTree(): FluxTree {
    if (this.propProblems.length > 0) throw new UserError(this.propProblems.join('\n'), { cause: this.propProblemSite });
    return this.renderValidTree();
  }

  /** The tree of the constructs whose props were valid; files in `known` are read back instead of written again. */
  private renderValidTree(known?: KnownTexts): FluxTree {
    // One walk of the tree finds both the files and any chart that is not one.
    const all = this.node.findAll();
    const charts = all.filter((c): c is Chart => c instanceof Chart);
    const strays = charts.filter((chart) => !FluxFile.isFluxFile(chart));
    if (strays.length > 0) {
      throw new UserError(`chart ${strays.map((c) => c.node.path).join(', ')} has no place in the Flux tree: create it as new FluxFile(scope, id, { path: 'apps/<app>/<concern>.yaml' })`);
    }
    return renderTree(charts.filter(FluxFile.isFluxFile), all.filter(MarkdownFile.isMarkdownFile), all.filter(ConfigMapGenerator.isConfigMapGenerator), known);
  }

  /** The tree as Flux will apply it, checked: built cluster by cluster. */
  private effectiveReports(policy: Policy, tree: FluxTree): ObjectReport[] {
    return checkEffective(policy, { tree, distPath: this.distPath, repoRoot: this.repoRoot, outsideTree: false });
  }

  /**
   * Validates the app once, then writes the scratch copy for cdk8s-cli and
   * publishes the Flux tree. Any error (a failed validation, a path conflict)
   * is raised before `distDir` is touched.
   *
   * cdk8s's own `App.synth()` is not used: with one file per chart it renders
   * each chart through `chart.toJson()`, which validates and resolves the whole
   * app again, so N charts cost N+1 validations. Construct-level dependencies
   * between charts (which only order objects) are not resolved; objects keep
   * the order of their explicit dependencies, then construct order.
   */
  public synth(): void {
    const policy = Policy.of(this);
    policy.startSynth();
    const refuse = (errors: readonly string[]) => {
      throw new UserError(`Validation failed with the following errors:\n  ${errors.map((e) => e.split('\n').join('\n  ')).join('\n  ')}\nNothing was written to ${this.distDir}.`, { cause: this.propProblemSite });
    };
    // Every problem in one list: the props of each construct, then what the checks find in the others.
    const published = new PublishedTexts(this.distDir, this.owner ?? defaultOwner());
    const tree = renderingOnce(() => {
      const errors = this.node.findAll().flatMap((c) => c.node.validate().map((e) => (c.node.path ? `[${c.node.path}] ${e}` : e)));
      if (errors.length > 0) refuse([...this.propProblems, ...errors]);
      return this.renderValidTree(published);
    });
    const errors = [...this.propProblems];
    if (policy.options !== false) {
      const findings = this.effectiveReports(policy, tree).flatMap((r) => r.findings);
      policy.warnOnce('effective objects', findings);
      errors.push(...failures(findings, false).map((f) => `${f.object}: ${f.check}: ${f.message}`));
    }
    if (errors.length > 0) refuse(errors);
    if (this.writesScratch) writeScratch(this.outdir, tree);
    try {
      this.lastPublish = publishTree(this.distDir, tree, { owner: this.owner });
    } catch (error) {
      throw unwritable(error, this.distDir) ?? error;
    }
    published.save(tree);
  }
}

/** A permission error of the file system as the user can fix it, or undefined for any other error. */
export function unwritable(error: unknown, distDir: string): UserError | undefined {
  const codeOf = (e: unknown) => (e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined);
  const code = codeOf(error) ?? codeOf(error instanceof Error ? error.cause : undefined);
  if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') return undefined;
  return new UserError(`cannot write ${distDir} (${code}: ${(error as Error).message.split('\n')[0]}): make it writable (chmod -R u+w, or chown it to you), or set FluxApp's distDir to a folder you can write`, { cause: error });
}

/** cdk8s-cli lists `*.k8s.yaml` in its output folder: one per published YAML file. */
function writeScratch(outdir: string, tree: FluxTree): void {
  mkdirSync(outdir, { recursive: true });
  for (const [path, text] of tree) {
    if (!path.endsWith('.yaml') || posix.basename(path) === 'kustomization.yaml') continue;
    writeFileSync(join(outdir, `${path.replace(/\.yaml$/, '').split('/').join('-')}.k8s.yaml`), text);
  }
}
