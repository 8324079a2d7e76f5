import { Construct } from 'constructs';
import { ManifestObject } from '../policy/finding';

export interface ConfigMapGeneratorProps {
  /** Folder of the tree whose `kustomization.yaml` generates the ConfigMap, e.g. `apps/podinfo`. */
  readonly dir: string;

  /** Name of the ConfigMap before kustomize adds its content hash, e.g. `podinfo-values`. */
  readonly name: string;

  /** Namespace of the ConfigMap. */
  readonly namespace: string;

  /** Keys of the ConfigMap and their text; each is written to `<dir>/<key>` (a key must end in .yaml). */
  readonly files: { readonly [key: string]: string };
}

const CONFIG_MAP_GENERATOR = Symbol.for('flux-helm-apps.ConfigMapGenerator');
const KEY = /^[a-z0-9][a-z0-9._-]*\.yaml$/;

/**
 * A ConfigMap that kustomize generates from files of the tree (a
 * `configMapGenerator` in the folder's `kustomization.yaml`). kustomize names it
 * `<name>-<hash of the content>` and, through the folder's
 * `kustomizeconfig.yaml`, rewrites HelmReleases' `spec.valuesFrom` to that name:
 * a changed file makes a new ConfigMap, so helm-controller upgrades the release.
 */
export class ConfigMapGenerator extends Construct {
  /** Whether `x` is a ConfigMapGenerator (works across copies of this module). */
  public static isConfigMapGenerator(x: unknown): x is ConfigMapGenerator {
    return typeof x === 'object' && x !== null && CONFIG_MAP_GENERATOR in x;
  }

  public readonly dir: string;
  public readonly name: string;
  public readonly namespace: string;
  /** Key → path of its file in the tree. */
  public readonly paths: ReadonlyMap<string, string>;
  public readonly files: { readonly [key: string]: string };

  /** The ConfigMap as kustomize generates it, before its name gets the hash (for the checks that run on constructs). */
  public toObject(): ManifestObject {
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: this.name, namespace: this.namespace }, data: { ...this.files } };
  }

  public constructor(scope: Construct, id: string, props: ConfigMapGeneratorProps) {
    super(scope, id);
    const bad = Object.keys(props.files).filter((key) => !KEY.test(key));
    if (bad.length > 0) throw new Error(`config map generator ${props.name}: keys ${bad.join(', ')} are invalid: use lowercase file names ending in .yaml, e.g. values.yaml`);
    Object.defineProperty(this, CONFIG_MAP_GENERATOR, { value: true });
    this.dir = props.dir;
    this.name = props.name;
    this.namespace = props.namespace;
    this.files = props.files;
    this.paths = new Map(Object.keys(props.files).map((key) => [key, `${props.dir}/${key}`]));
  }
}
