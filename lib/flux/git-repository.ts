import { Construct } from 'constructs';
import { GitRepository as GitRepositoryL1 } from '../../imports/gitrepository-source.toolkit.fluxcd.io';
import { PropProblems } from '../props/prop-problems';
import { authProblems, ChartSourceKind, IChartSource, insecureAnnotations, SourceAuthOptions, urlSchemeProblem } from './chart-source';

/** Which revision of a Git repository Flux checks out: exactly one of these. */
export interface GitRef {
  /**
   * A branch, e.g. `main`: follows its head.
   * @default - none
   */
  readonly branch?: string;
  /**
   * A tag, e.g. `v1.2.3`.
   * @default - none
   */
  readonly tag?: string;
  /**
   * A semver range over the tags, e.g. `>=1.0.0 <2.0.0`.
   * @default - none
   */
  readonly semver?: string;
  /**
   * A full commit SHA: immutable.
   * @default - none
   */
  readonly commit?: string;
}

export interface GitRepositoryProps extends SourceAuthOptions {
  /** Repository URL: `https://…` or `ssh://git@…`. */
  readonly url: string;

  /** Namespace of the object. */
  readonly namespace: string;

  /** Which revision to check out. */
  readonly ref: GitRef;

  /**
   * Paths left out of the artifact, in `.gitignore` syntax, e.g. `/*\n!/charts/app/` to keep one chart.
   * @default - Flux's defaults (`.git/`, CI folders and the like)
   */
  readonly ignore?: string;

  /**
   * Name of the object.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * How often Flux fetches the repository.
   * @default '10m'
   */
  readonly interval?: string;

  /**
   * Labels on the object.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };
}

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * A Flux GitRepository (source.toolkit.fluxcd.io/v1), here as a chart source:
 * a release names the chart's folder (`chart: ./charts/app`), and its HelmChart
 * is rebuilt on every new revision (`reconcileStrategy: Revision`).
 */
export class GitRepository extends Construct implements IChartSource {
  public readonly kind = ChartSourceKind.GIT_REPOSITORY;
  public readonly name: string;
  public readonly namespace: string;
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: GitRepositoryProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.url = props.url;
    const problems = new PropProblems(`GitRepository ${this.node.path}`);
    problems.add(urlSchemeProblem('url', props.url, ['https://', 'ssh://'], props.allowInsecure), ...authProblems(props));
    const set = Object.entries(props.ref).filter(([, v]) => v !== undefined);
    if (set.length !== 1) problems.add(`ref: set exactly one of branch, tag, semver or commit (it has ${set.length})`);
    if (props.ref.commit !== undefined && !COMMIT.test(props.ref.commit)) problems.add(`ref.commit: Invalid value: "${props.ref.commit}": must be a full lowercase commit SHA (40 hex digits)`);
    // GitRepository v1 reads a CA from the secretRef Secret (`ca.crt`): it has no certSecretRef.
    if (props.certSecretName !== undefined) problems.add(`certSecretName: a GitRepository has no certSecretRef: put ca.crt in the Secret named by secretName instead`);
    problems.throwIfAny();
    new GitRepositoryL1(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: props.labels, annotations: insecureAnnotations(props.allowInsecure) },
      spec: {
        url: props.url,
        interval: props.interval ?? '10m',
        ref: { ...props.ref },
        ...(props.ignore === undefined ? {} : { ignore: props.ignore }),
        ...(props.secretName ? { secretRef: { name: props.secretName } } : {}),
      },
    });
  }
}
