// Helpers of in-process tests: synthesize apps of the toolkit in memory or
// into temporary folders. Scratch projects and scripts: project.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { FluxApp, FluxAppProps, HeadlampStack, HeadlampStackProps } from '../lib';
import { FIXTURES, tempDir } from './project';

export { FIXTURES, readTree, ROOT, runScript, SCRATCH_MAIN, scratchProject, tempDir } from './project';

/** A Kubernetes object as synthesized, loosely typed for assertions. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/** Check options of test apps: charts from the fixtures, never pulled. */
export const TEST_CHECKS = { chartDirs: [join(FIXTURES, 'charts')], pull: false };

/** Parses a multi-document YAML file. */
export function parseYaml(text: string): K8sObject[] {
  return parseAllDocuments(text).map((doc) => doc.toJS() as K8sObject).filter((doc) => doc !== null);
}

/** The in-memory Flux tree of one stack, and its objects by file. */
export class Synth {
  public readonly tree: ReadonlyMap<string, string>;

  public constructor(public readonly app: FluxApp) {
    this.tree = app.renderTree();
  }

  /** Objects of one published file. */
  public file(path: string): K8sObject[] {
    const text = this.tree.get(path);
    if (text === undefined) throw new Error(`no file ${path} in ${[...this.tree.keys()].join(', ')}`);
    return parseYaml(text);
  }

  /** Every Kubernetes object (kustomization.yaml files excluded). */
  public get objects(): K8sObject[] {
    return [...this.tree.keys()].filter((p) => p.endsWith('.yaml') && !p.endsWith('/kustomization.yaml')).flatMap((p) => this.file(p));
  }

  /** The one object of this kind and name. */
  public get(kind: string, name: string): K8sObject {
    const found = this.objects.filter((o) => o.kind === kind && o.metadata.name === name);
    if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
    return found[0];
  }
}

/** Synthesizes a HeadlampStack in memory (nothing is written). */
export function synthStack(props: Partial<HeadlampStackProps> = {}, appProps: FluxAppProps = {}): Synth {
  const app = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation: TEST_CHECKS, ...appProps });
  new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net', ...props });
  return new Synth(app);
}

/** The error a synth throws (its checks' findings, one a line), or '' when it passes. */
export function synthError(app: FluxApp): string {
  try {
    app.synth();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Synthesizes whatever `build` adds to a bare chart and returns its objects. */
export function synthChart(build: (scope: Construct) => void): K8sObject[] {
  const app = new FluxApp({ outdir: tempDir(), distDir: tempDir(), validation: TEST_CHECKS });
  const chart = new Chart(app, 'test', { disableResourceNameHashes: true });
  build(chart);
  return chart.toJson() as K8sObject[];
}

/** What flux bootstrap writes into the cluster folder (without gotk-components.yaml, the controllers). */
export const GOTK_SYNC = [
  'apiVersion: source.toolkit.fluxcd.io/v1', 'kind: GitRepository', 'metadata:', '  name: flux-system', '  namespace: flux-system',
  'spec:', '  interval: 1m0s', '  ref:', '    branch: main', '  url: ssh://git@github.com/me/homelab', '---',
  'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', 'metadata:', '  name: flux-system', '  namespace: flux-system',
  'spec:', '  interval: 10m0s', '  path: ./dist/clusters/homelab', '  prune: true', '  sourceRef:', '    kind: GitRepository', '    name: flux-system', '',
].join('\n');

/** The `sops` map SOPS writes into a file it encrypted for one age recipient (values made up, shape real). */
export const SOPS_ENVELOPE = {
  age: [{ recipient: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', enc: '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n' }],
  lastmodified: '2026-11-01T10:00:00Z',
  mac: 'ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]',
  encrypted_regex: '^(data|stringData)$',
  version: '3.10.2',
};

/** The same, as the YAML lines that end an encrypted file. */
export const SOPS_ENVELOPE_YAML = `sops:\n  age:\n    - recipient: ${SOPS_ENVELOPE.age[0].recipient}\n      enc: x\n  lastmodified: "${SOPS_ENVELOPE.lastmodified}"\n  mac: ${SOPS_ENVELOPE.mac}\n  encrypted_regex: ^(data|stringData)$\n  version: ${SOPS_ENVELOPE.version}\n`;

/** A published default stack with what flux bootstrap adds to its cluster folder (gotk-sync.yaml and its kustomization.yaml). */
export function publishWithBootstrap(): string {
  const dist = tempDir();
  const app = new FluxApp({ distDir: dist, outdir: tempDir(), validation: TEST_CHECKS });
  new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net' });
  app.synth();
  mkdirSync(join(dist, 'clusters/homelab/flux-system'), { recursive: true });
  writeFileSync(join(dist, 'clusters/homelab/flux-system/gotk-sync.yaml'), GOTK_SYNC);
  writeFileSync(join(dist, 'clusters/homelab/flux-system/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-sync.yaml\n');
  return dist;
}
