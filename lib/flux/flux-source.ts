/** A Flux source object that releases and Kustomizations refer to. */
export interface IFluxSource {
  /** Kind, e.g. `HelmRepository` or `GitRepository`. */
  readonly kind: string;
  readonly name: string;
  /** Namespace of the source: Flux and Renovate both need it on every `sourceRef`. */
  readonly namespace: string;
}

/** References to Flux sources this project does not generate. */
export class FluxSource {
  /**
   * The GitRepository that `flux bootstrap` creates for the repository it syncs.
   * @param name @default 'flux-system'
   * @param namespace @default 'flux-system'
   */
  public static gitRepository(name = 'flux-system', namespace = 'flux-system'): IFluxSource {
    return { kind: 'GitRepository', name, namespace };
  }
}
