// What a HelmRelease needs to know of the source its chart comes from, and
// the rules every chart source shares: HTTPS unless a reason allows plain
// HTTP, and credentials only by the name of a Secret kept out of the tree.
import { ANNOTATION_PREFIX } from '../project';
import { dnsSubdomainProblem } from '../props/prop-rules';
import { IFluxSource } from './flux-source';

/** Annotation that records why a chart source may be reached over plain HTTP. */
export const ALLOW_INSECURE_ANNOTATION = `${ANNOTATION_PREFIX}allow-insecure`;

/** The kinds of Flux source a HelmRelease can take its chart from. */
export enum ChartSourceKind {
  /** An https index or an `oci://` registry (`type: oci`): the release names the chart and its version. */
  HELM_REPOSITORY = 'HelmRepository',
  /** A Git repository: the release names the chart's folder (`./charts/app`). */
  GIT_REPOSITORY = 'GitRepository',
  /** An S3-compatible bucket: the release names the chart's folder. */
  BUCKET = 'Bucket',
  /** One chart as an OCI artifact, pinned by the source: the release refers to it with `chartRef`. */
  OCI_REPOSITORY = 'OCIRepository',
  /** A HelmChart object (its own source and reconcile strategy): the release refers to it with `chartRef`. */
  HELM_CHART = 'HelmChart',
}

/** Kinds a release refers to with `spec.chartRef` rather than `spec.chart.spec.sourceRef`. */
export const CHART_REF_KINDS: readonly string[] = [ChartSourceKind.OCI_REPOSITORY, ChartSourceKind.HELM_CHART];

/** A Flux source a HelmRelease can install a chart from. */
export interface IChartSource extends IFluxSource {
  /** One of ChartSourceKind. */
  readonly kind: string;
  /**
   * Name of the chart (its Chart.yaml `name`), for sources that hold one chart (OCIRepository, HelmChart).
   * @default - the release names the chart
   */
  readonly chartName?: string;
  /**
   * The exact chart version the source pins (an OCI tag, a HelmChart version), or its range.
   * @default - the release names the version
   */
  readonly chartVersion?: string;
}

/** Credentials and CA of a source, by the names of Secrets applied from the app's secrets folder (SOPS-encrypted, never in the tree). */
export interface SourceAuthOptions {
  /**
   * Secret with the credentials: `username`/`password` for HTTPS (basic auth),
   * a `kubernetes.io/dockerconfigjson` Secret for an OCI registry, `identity`/`known_hosts` for Git over SSH.
   * @default - anonymous
   */
  readonly secretName?: string;

  /**
   * Secret with `ca.crt` (and `tls.crt`/`tls.key` for mutual TLS) for a server with a private CA.
   * @default - the system's CAs
   */
  readonly certSecretName?: string;

  /**
   * Why the source may be reached over plain HTTP. With a reason `http://` (or
   * `insecure: true`) is accepted, recorded on the object and warned about on every synth.
   * @default - only HTTPS (and SSH or OCI over TLS)
   */
  readonly allowInsecure?: string;
}

/** Problems of the auth options: Secret names that Kubernetes would refuse. */
export function authProblems(options: SourceAuthOptions): (string | undefined)[] {
  return [
    options.secretName === undefined ? undefined : dnsSubdomainProblem('secretName', options.secretName),
    options.certSecretName === undefined ? undefined : dnsSubdomainProblem('certSecretName', options.certSecretName),
  ];
}

/** The `secretRef`/`certSecretRef` fields of a source spec. */
export function authSpec(options: SourceAuthOptions): { secretRef?: { name: string }; certSecretRef?: { name: string } } {
  return {
    ...(options.secretName ? { secretRef: { name: options.secretName } } : {}),
    ...(options.certSecretName ? { certSecretRef: { name: options.certSecretName } } : {}),
  };
}

/**
 * Unless `url` starts with one of `schemes`; `http://` is accepted only with a
 * reason, because the chart (and any credentials) would travel unauthenticated.
 */
export function urlSchemeProblem(prop: string, url: string, schemes: readonly string[], insecureReason: string | undefined): string | undefined {
  if (schemes.some((s) => url.startsWith(s))) return undefined;
  if (url.startsWith('http://') && insecureReason?.trim()) return undefined;
  const http = url.startsWith('http://') ? '; plain http is refused because the chart (and any credentials) would travel unauthenticated: use https, or set allowInsecure to the reason' : '';
  return `${prop}: Invalid value: "${url}": must start with ${schemes.join(' or ')}${http}`;
}

/** Annotations that record an insecure opt-in, over `annotations`. */
export function insecureAnnotations(reason: string | undefined, annotations?: { readonly [key: string]: string }): { [key: string]: string } | undefined {
  const why = reason?.trim();
  return why ? { ...annotations, [ALLOW_INSECURE_ANNOTATION]: why } : annotations && { ...annotations };
}

/** Kinds that hold charts as folders (`./charts/app`) rather than by name. */
export const CHART_FOLDER_KINDS: readonly string[] = [ChartSourceKind.GIT_REPOSITORY, ChartSourceKind.BUCKET];

/** Unless `chart` is what a source of `kind` expects: a folder (`./charts/app`) in Git and buckets, a name in a HelmRepository. */
export function chartPathProblem(prop: string, kind: string, chart: string): string | undefined {
  const folder = CHART_FOLDER_KINDS.includes(kind);
  if (folder && !/^\.\/[^\s]*[^/\s]\/?$/.test(chart)) return `${prop}: Invalid value: "${chart}": a chart in a ${kind} is its folder from the root, e.g. "./charts/app"`;
  if (!folder && !/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i.test(chart)) return `${prop}: Invalid value: "${chart}": a chart in a ${kind} is its name, e.g. "podinfo"`;
  return undefined;
}

/** The chart's name as the checks look it up: the folder's last segment for a path. */
export function chartNameOf(chart: string): string {
  return chart.replace(/\/+$/, '').split('/').pop() ?? chart;
}
