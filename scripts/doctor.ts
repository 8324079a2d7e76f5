// npm run doctor: offline checks of this GitOps checkout (see lib/doctor).
// Exit code 1 when anything needs fixing.
import { resolve } from 'node:path';
import { runDoctor } from '../lib/doctor/doctor-checks';
import { scratchSynth } from './scratch-synth';

const findings = runDoctor({ root: resolve('.'), distDir: resolve(process.env.HEADLAMP_DIST_DIR || 'dist'), fresh: scratchSynth() });
for (const f of findings) console.log(`✗ ${f.check}: ${f.problem}\n    fix: ${f.fix}`);
console.log(findings.length === 0 ? '✓ branch, drift, secrets and renovate.json all look right' : `\n${findings.length} thing(s) to fix`);
process.exitCode = findings.length === 0 ? 0 : 1;
