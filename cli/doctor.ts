// flux-helm-apps doctor: offline checks of the GitOps checkout (see lib/doctor).
// Exit code 1 when anything needs fixing.
import { resolve } from 'node:path';
import { runDoctor } from '../lib/doctor/doctor-checks';
import { flagValue } from './args';
import { scratchSynth } from './scratch-synth';

export function doctor(args: readonly string[]): number {
  const dist = flagValue(args, '--dist');
  const { tree, placement } = scratchSynth();
  const findings = runDoctor({ root: placement.repoRoot, distDir: dist === undefined ? placement.distDir : resolve(dist), fresh: tree });
  for (const f of findings) console.log(`✗ ${f.check}: ${f.problem}\n    fix: ${f.fix}`);
  console.log(findings.length === 0 ? '✓ branch, drift, Flux paths, secrets and renovate.json all look right' : `\n${findings.length} thing(s) to fix`);
  return findings.length === 0 ? 0 : 1;
}
