// Where a HelmApp's chart comes from, built once per cluster (in the app's
// repository.yaml) with that cluster's chart version: an https or oci://
// HelmRepository, an OCIRepository (chartRef), or a folder in Git or a bucket.
import { Construct } from 'constructs';
import { Bucket, BucketProps } from '../flux/bucket';
import { IChartSource, SourceAuthOptions } from '../flux/chart-source';
import { GitRef, GitRepository } from '../flux/git-repository';
import { HelmChart } from '../flux/helm-chart';
import { HelmRepository } from '../flux/helm-repository';
import { OCIRepository } from '../flux/oci-repository';
import { isExactVersion } from '../charts/version';

/** What an app's chart source is built with on one cluster. */
export interface AppChartSourceOptions {
  /** Name of the source object (the app's name). */
  readonly name: string;
  readonly namespace: string;
  /** The chart's name (its Chart.yaml `name`). */
  readonly chart: string;
  /** The cluster's chart version (exact, or a range allowed with a reason). */
  readonly version: string;
  /**
   * Why the version may be a range.
   * @default - exact versions only
   */
  readonly allowVersionRange?: string;
}

/** A chart source built on one cluster. */
export interface BoundChartSource {
  readonly source: IChartSource;
  /**
   * What the release names as its chart (a name, or a folder); none for an OCIRepository.
   * @default - the release uses chartRef
   */
  readonly chart?: string;
  /** Secrets the source reads, which the app's secrets folder must hold (SOPS-encrypted). */
  readonly secretNames: readonly string[];
}

/** A chart source of a HelmApp. */
export interface IAppChartSource {
  /** Builds the source object in `scope` for one cluster. */
  bind(scope: Construct, options: AppChartSourceOptions): BoundChartSource;
}

/** Options of an OCI artifact chart source. */
export interface OciChartSourceOptions extends SourceAuthOptions {
  /**
   * How often Flux looks for the artifact.
   * @default '1h'
   */
  readonly interval?: string;
}

/** Options of a Git chart source. */
export interface GitChartSourceOptions extends SourceAuthOptions {
  /** Which revision. */
  readonly ref: GitRef;
  /** The chart's folder from the repository root, e.g. `./charts/app`. */
  readonly path: string;
  /**
   * Paths left out of the artifact (`.gitignore` syntax).
   * @default - Flux's defaults
   */
  readonly ignore?: string;
  /**
   * How often Flux fetches the repository.
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * Build the chart as a HelmChart object of its own (`reconcileStrategy: Revision`),
   * which the release takes with `chartRef`, rather than from the release's chart template.
   * @default false
   */
  readonly helmChart?: boolean;
  /**
   * Values files in the repository (`./charts/app/values-prod.yaml`), merged over the chart's values.yaml; only with `helmChart`.
   * @default - the chart's values.yaml
   */
  readonly valuesFiles?: readonly string[];
}

/** Options of a bucket chart source. */
export interface BucketChartSourceOptions extends Omit<BucketProps, 'namespace' | 'name'> {
  /** The chart's folder in the bucket, e.g. `./charts/app`. */
  readonly path: string;
}

function secretsOf(options: SourceAuthOptions): string[] {
  return [options.secretName, options.certSecretName].filter((n): n is string => n !== undefined);
}

/** The chart sources a HelmApp can take. */
export class AppChartSource {
  /** A HelmRepository: `https://…` index, or `oci://…` registry folder (`type: oci`; the chart is `<url>/<chart>`). */
  public static helmRepository(url: string, options: SourceAuthOptions & { readonly interval?: string } = {}): IAppChartSource {
    return {
      bind: (scope, o) => ({
        source: new HelmRepository(scope, 'Repository', { ...options, name: o.name, namespace: o.namespace, url }),
        chart: o.chart,
        secretNames: secretsOf(options),
      }),
    };
  }

  /**
   * An OCIRepository for the chart's own artifact (`oci://<registry>/<path>`),
   * pinned by `ref.tag` to the version (`ref.semver` for an allowed range);
   * the release takes it with `chartRef`, as current Flux recommends.
   */
  public static ociRepository(url: string, options: OciChartSourceOptions = {}): IAppChartSource {
    return {
      bind: (scope, o) => ({
        source: new OCIRepository(scope, 'Repository', {
          ...options,
          name: o.name,
          namespace: o.namespace,
          url,
          chartName: o.chart,
          ref: isExactVersion(o.version) ? { tag: o.version } : { semver: o.version },
          allowVersionRange: o.allowVersionRange,
        }),
        secretNames: secretsOf(options),
      }),
    };
  }

  /** A folder of a Git repository; the chart is rebuilt on every revision. `version` is what the folder holds, for the checks. */
  public static gitRepository(url: string, options: GitChartSourceOptions): IAppChartSource {
    return {
      bind: (scope, o) => {
        const git = new GitRepository(scope, 'Repository', { ...options, name: o.name, namespace: o.namespace, url });
        if (!options.helmChart) {
          if (options.valuesFiles?.length) throw new Error(`AppChartSource.gitRepository: valuesFiles go on a HelmChart: set helmChart: true, or give them as release.valuesFiles`);
          return { source: git, chart: options.path, secretNames: secretsOf(options) };
        }
        const chart = new HelmChart(scope, 'Chart', {
          name: o.name, namespace: o.namespace, source: git, chart: options.path, version: o.version, chartName: o.chart, valuesFiles: options.valuesFiles,
        });
        return { source: chart, secretNames: secretsOf(options) };
      },
    };
  }

  /** A folder of an S3-compatible bucket; the chart is rebuilt on every revision. */
  public static bucket(options: BucketChartSourceOptions): IAppChartSource {
    return {
      bind: (scope, o) => ({
        source: new Bucket(scope, 'Repository', { ...options, name: o.name, namespace: o.namespace }),
        chart: options.path,
        secretNames: secretsOf(options),
      }),
    };
  }
}
