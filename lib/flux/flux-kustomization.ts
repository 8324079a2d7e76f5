import { Construct } from 'constructs';
import {
  Kustomization as KustomizationL1,
  KustomizationSpecDecryptionProvider,
  KustomizationSpecSourceRefKind,
} from '../../imports/kustomize.toolkit.fluxcd.io';
import { FluxSource, IFluxSource } from './flux-source';

const SOURCE_KINDS: Record<string, KustomizationSpecSourceRefKind> = {
  GitRepository: KustomizationSpecSourceRefKind.GIT_REPOSITORY,
  OCIRepository: KustomizationSpecSourceRefKind.OCI_REPOSITORY,
  Bucket: KustomizationSpecSourceRefKind.BUCKET,
  ExternalArtifact: KustomizationSpecSourceRefKind.EXTERNAL_ARTIFACT,
};

/** A Flux Kustomization another one can depend on. */
export interface IFluxKustomization {
  readonly name: string;
  readonly namespace: string;
}

export interface FluxKustomizationProps {
  /** Folder to apply, from the root of the source, e.g. `./dist/apps/headlamp`. */
  readonly path: string;

  /**
   * Name of the Kustomization.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Namespace of the Kustomization.
   * @default 'flux-system'
   */
  readonly namespace?: string;

  /**
   * Source holding `path`.
   * @default - the GitRepository `flux-system/flux-system` that flux bootstrap creates
   */
  readonly sourceRef?: IFluxSource;

  /**
   * How often Flux re-applies the folder.
   * @default '10m'
   */
  readonly interval?: string;

  /**
   * How soon a failed apply is retried.
   * @default '2m'
   */
  readonly retryInterval?: string;

  /**
   * How long Flux waits for the applied objects to become ready.
   * @default '5m'
   */
  readonly timeout?: string;

  /**
   * Wait for every applied object (HelmReleases included) to be ready.
   * @default true
   */
  readonly wait?: boolean;

  /**
   * Delete objects that were removed from the folder.
   * @default true
   */
  readonly prune?: boolean;

  /**
   * Secret with the SOPS age key that decrypts secrets in the folder; `false` turns decryption off.
   * @default 'sops-age'
   */
  readonly sopsSecretName?: string | false;

  /**
   * Kustomizations that must be ready first.
   * @default - none
   */
  readonly dependsOn?: readonly IFluxKustomization[];
}

/** A Flux Kustomization (kustomize.toolkit.fluxcd.io/v1) that syncs one folder of the repository. */
export class FluxKustomization extends Construct implements IFluxKustomization {
  public readonly name: string;
  public readonly namespace: string;
  /** The folder it applies, from the root of the source. */
  public readonly path: string;

  public constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    if (!props.path.startsWith('./')) {
      throw new Error(`kustomization path "${props.path}" must start with "./" (a folder from the repository root, e.g. ./dist/apps/headlamp)`);
    }
    const source = props.sourceRef ?? FluxSource.gitRepository();
    const kind = SOURCE_KINDS[source.kind];
    if (!kind) {
      throw new Error(`kustomization source kind "${source.kind}" is not one Flux can apply from: use one of ${Object.keys(SOURCE_KINDS).join(', ')}`);
    }
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? 'flux-system';
    this.path = props.path;
    const sops = props.sopsSecretName ?? 'sops-age';
    new KustomizationL1(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        interval: props.interval ?? '10m',
        retryInterval: props.retryInterval ?? '2m',
        timeout: props.timeout ?? '5m',
        path: props.path,
        prune: props.prune ?? true,
        wait: props.wait ?? true,
        sourceRef: { kind, name: source.name, namespace: source.namespace },
        ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((d) => ({ name: d.name, namespace: d.namespace })) } : {}),
        ...(sops === false ? {} : { decryption: { provider: KustomizationSpecDecryptionProvider.SOPS, secretRef: { name: sops } } }),
      },
    });
  }
}
