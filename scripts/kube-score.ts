// npm run kube-score [-- --dist <folder>]
// kube-score (a Go tool, installed once with `go install` at a pinned version into
// ~/.cache/flux-helm-apps/k8s-linters) over what each cluster gets, renders included,
// as an external cross-check of our own policy. Each finding must be fixed or waived,
// with its reason, in kube-score-waivers.yaml; a waiver that matches nothing fails too.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { parse, stringify } from 'yaml';
import { cacheDir } from '../lib/cache-dir';
import { clusterManifests } from '../lib/effective/cluster-manifests';

const KUBE_SCORE = { module: 'github.com/zegl/kube-score/cmd/kube-score', version: 'v1.20.0' };

interface Waiver { check: string; object: string; reason: string }
interface Finding { check: string; object: string; summary: string }

function kubeScore(): string {
  const bin = cacheDir('k8s-linters', KUBE_SCORE.version, 'kube-score');
  if (existsSync(bin)) return bin;
  process.stderr.write(`installing kube-score ${KUBE_SCORE.version} with go install (once)…\n`);
  const go = spawnSync('go', ['install', `${KUBE_SCORE.module}@${KUBE_SCORE.version}`], { stdio: 'inherit', env: { ...process.env, GOBIN: cacheDir('k8s-linters', KUBE_SCORE.version) } });
  if (go.error || go.status !== 0) throw new Error(`go install ${KUBE_SCORE.module}@${KUBE_SCORE.version} failed: install Go (1.22 or later) with access to the module proxy`);
  return bin;
}

/** `*` in a waiver's object matches any run of characters. */
function matches(pattern: string, value: string): boolean {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
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
  const scored = JSON.parse(run.stdout) as { type_meta: { kind: string }; object_meta: { name: string; namespace?: string }; checks: { check: { id: string }; grade: number; skipped: boolean; comments: { summary: string }[] | null }[] }[];
  const findings: Finding[] = scored.flatMap((o) => o.checks.filter((c) => !c.skipped && c.grade < 10).map((c) => ({
    check: c.check.id,
    object: `${o.type_meta.kind} ${o.object_meta.namespace ? `${o.object_meta.namespace}/` : ''}${o.object_meta.name}`,
    summary: (c.comments ?? []).map((x) => x.summary).join('; '),
  })));
  const waivers = ((parse(readFileSync('kube-score-waivers.yaml', 'utf8')) as { waivers: Waiver[] }).waivers ?? []);
  const used = new Set<Waiver>();
  for (const f of findings) {
    const waiver = waivers.find((w) => w.check === f.check && matches(w.object, f.object));
    if (waiver) {
      used.add(waiver);
      console.log(`waived  ${f.object}: ${f.check} (${waiver.reason.slice(0, 80)}…)`);
    } else {
      failed = true;
      console.log(`FAIL    ${f.object}: ${f.check}: ${f.summary}: fix it, or waive it with its reason in kube-score-waivers.yaml`);
    }
  }
  for (const w of waivers.filter((x) => !used.has(x))) {
    failed = true;
    console.log(`STALE   waiver ${w.check} for ${w.object} matches no finding: delete it from kube-score-waivers.yaml`);
  }
  console.log(`\nkube-score ${KUBE_SCORE.version}: ${objects.length} objects, ${findings.length} findings, ${used.size} waivers used`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
