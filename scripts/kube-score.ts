// npm run kube-score [-- --dist <folder>]
// kube-score (a Go tool, installed once with `go install` at a pinned version into
// ~/.cache/flux-helm-apps/k8s-linters) over what each cluster gets, renders included,
// as an external cross-check of our own policy. Each finding must be fixed or waived,
// with its reason, in kube-score-waivers.yaml; a waiver that matches nothing fails too
// (kube-score-report.ts, unit-tested on recorded kube-score output; CI runs this).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { parse, stringify } from 'yaml';
import { cacheDir } from '../lib/cache-dir';
import { clusterManifests } from '../lib/effective/cluster-manifests';
import { findingsOf, judgeFindings, ScoredObject, Waiver } from './kube-score-report';

const KUBE_SCORE = { module: 'github.com/zegl/kube-score/cmd/kube-score', version: 'v1.20.0' };

function kubeScore(): string {
  const bin = cacheDir('k8s-linters', KUBE_SCORE.version, 'kube-score');
  if (existsSync(bin)) return bin;
  process.stderr.write(`installing kube-score ${KUBE_SCORE.version} with go install (once)…\n`);
  const go = spawnSync('go', ['install', `${KUBE_SCORE.module}@${KUBE_SCORE.version}`], { stdio: 'inherit', env: { ...process.env, GOBIN: cacheDir('k8s-linters', KUBE_SCORE.version) } });
  if (go.error || go.status !== 0) throw new Error(`go install ${KUBE_SCORE.module}@${KUBE_SCORE.version} failed: install Go (1.22 or later) with access to the module proxy`);
  return bin;
}

const args = process.argv.slice(2);
const distIndex = args.indexOf('--dist');
const dist = resolve(distIndex >= 0 ? args[distIndex + 1] : 'dist');
const fromRoot = relative(process.cwd(), dist).split(sep).join('/');
const { objects, problems } = clusterManifests({ tree: dist, distPath: fromRoot.startsWith('..') || fromRoot === '' ? 'dist' : fromRoot, repoRoot: process.cwd() }, {});
const work = mkdtempSync(join(tmpdir(), 'flux-helm-apps-kube-score-'));
let failed = problems.length > 0;
for (const p of problems) console.error(`NOT CHECKED: ${p}`);
try {
  const manifests = join(work, 'manifests.yaml');
  // Objects kube-score does not know (Flux, Traefik) are skipped by kube-score itself.
  writeFileSync(manifests, objects.map((o) => stringify(o)).join('---\n'));
  const run = spawnSync(kubeScore(), ['score', '--output-format', 'json', manifests], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  const findings = findingsOf(JSON.parse(run.stdout) as ScoredObject[]);
  const waivers = ((parse(readFileSync('kube-score-waivers.yaml', 'utf8')) as { waivers: Waiver[] | null }).waivers ?? []);
  const report = judgeFindings(findings, waivers);
  for (const line of report.lines) console.log(line);
  failed ||= report.failed;
  console.log(`\nkube-score ${KUBE_SCORE.version}: ${objects.length} objects, ${findings.length} findings, ${report.used} waivers used`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
