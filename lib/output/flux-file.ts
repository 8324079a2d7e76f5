import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { validateChartObjects } from '../validation/construct-validation';

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
}

const FLUX_FILE = Symbol.for('headlamp-homelab.FluxFile');

/**
 * One YAML file of the published Flux tree: a cdk8s chart that knows where it
 * goes. Names are never hashed; objects set their own names. On synth its
 * objects pass the policy, schema and chart-values checks or nothing is written.
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

  public constructor(scope: Construct, id: string, props: FluxFileProps) {
    super(scope, id, { disableResourceNameHashes: true, labels: { ...props.labels } });
    if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*\.yaml$/.test(props.path)) {
      throw new Error(`flux file path "${props.path}" is invalid: use a relative path of lowercase segments ending in .yaml, e.g. apps/headlamp/release.yaml`);
    }
    Object.defineProperty(this, FLUX_FILE, { value: true });
    this.path = props.path;
    this.listed = props.listed ?? true;
    validateChartObjects(this);
  }
}
