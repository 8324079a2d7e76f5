import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { UserError } from '../errors';

export interface FluxFileProps {
  /** Path of the file inside the published tree, e.g. `apps/headlamp/release.yaml`. */
  readonly path: string;

  /**
   * List this file in its folder's generated `kustomization.yaml`. A Flux cluster
   * folder is synced without one (so `flux bootstrap`'s own `flux-system/` is
   * picked up): files there set this to false.
   * @default true
   */
  readonly listed?: boolean;

  /**
   * Labels applied to every object in the file.
   * @default - none
   */
  readonly labels?: { readonly [key: string]: string };

  /**
   * The cluster this file's objects are applied to, so two clusters may define
   * the same object without it counting as a duplicate.
   * @default - every cluster the file is synced to
   */
  readonly cluster?: string;

  /**
   * Where the file goes instead when every overlay beside it has an identical
   * copy: a shared base, e.g. `apps/headlamp/base/rbac.yaml` for
   * `apps/headlamp/staging/rbac.yaml`. The overlays' kustomization.yaml then
   * lists the base folder.
   * @default - never shared
   */
  readonly sharedAs?: string;
}

const PATH = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*\.yaml$/;

const FLUX_FILE = Symbol.for('flux-helm-apps.FluxFile');

/**
 * One YAML file of the published Flux tree: a cdk8s chart that knows where it
 * goes. Names are never hashed; objects set their own names. The app's Policy
 * checks its objects before anything is written.
 */
export class FluxFile extends Chart {
  /** Whether `x` is a FluxFile (works across copies of this module). */
  public static isFluxFile(x: unknown): x is FluxFile {
    return typeof x === 'object' && x !== null && FLUX_FILE in x;
  }

  /** Path inside the published tree, with `/` separators. */
  public readonly path: string;

  /** Whether the folder's `kustomization.yaml` lists this file. */
  public readonly listed: boolean;

  /** The cluster the objects are applied to, if only one. */
  public readonly cluster?: string;

  /** Path in a shared base, when the file may be shared. */
  public readonly sharedAs?: string;

  public constructor(scope: Construct, id: string, props: FluxFileProps) {
    super(scope, id, { disableResourceNameHashes: true, labels: { ...props.labels } });
    for (const [field, path] of [['path', props.path], ['sharedAs', props.sharedAs]] as const) {
      if (path !== undefined && !PATH.test(path)) {
        throw new UserError(`flux file ${field} "${path}" is invalid: use a relative path of lowercase segments ending in .yaml, e.g. apps/headlamp/release.yaml`);
      }
    }
    if (props.sharedAs !== undefined && props.listed === false) {
      throw new UserError(`flux file ${props.path} sets sharedAs but listed: false: a shared base is reached through kustomization.yaml, so the file must be listed`);
    }
    Object.defineProperty(this, FLUX_FILE, { value: true });
    this.path = props.path;
    this.listed = props.listed ?? true;
    this.cluster = props.cluster;
    this.sharedAs = props.sharedAs;
  }
}
