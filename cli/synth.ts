// flux-helm-apps synth: runs the project's app (the `app` of its cdk8s.yaml),
// which publishes the Flux tree to dist/, without cdk8s-cli's network check.
import { spawnSync } from 'node:child_process';
import { appCommand } from './scratch-synth';

export function synth(): number {
  const result = spawnSync(appCommand(), { shell: true, stdio: 'inherit' });
  return result.status ?? 1;
}
