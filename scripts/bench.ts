// npm run bench [-- --quick] [--out <folder>]
// Times whole processes (median, min, max over repeated runs after a warm-up)
// with their peak RSS: the homelab synth every way it is run, 1 to 1,000
// stacks in one app, and the anchors (node, helm template, kubectl kustomize)
// in the same run. Writes a table, <out>/results.json and <out>/scaling.svg.
// Synths write to scratch folders; dist/ is never touched.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { Command, measure, Stats } from '../bench/measure';
import { plotSvg } from '../bench/plot';
import { findChartArchive } from '../lib/charts/chart-source';
import { findTool } from '../lib/tools/binaries';
import { HEADLAMP_CHART_VERSION } from '../lib/versions';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : 'bench');
const RUNS = quick ? 1 : 5;
const WARMUP = quick ? 0 : 1;
const SIZES = quick ? [1, 10] : [1, 10, 100, 1000];

const scratch = mkdtempSync(join(tmpdir(), 'headlamp-bench-'));
const node = process.execPath;
const dist = (name: string) => join(scratch, name);

interface Row extends Stats {
  readonly name: string;
  readonly stacks?: number;
  readonly validation?: boolean;
}
const rows: Row[] = [];
function run(name: string, command: Command, extra: Partial<Row> = {}, runs = RUNS): Row {
  process.stderr.write(`  ${name}…\n`);
  const row = { name, ...extra, ...measure(command, runs, WARMUP) };
  rows.push(row);
  return row;
}

const app = (stacks: number, validation: boolean): Command => ({
  argv: [node, '--import', 'tsx', 'bench/stacks.ts'],
  env: { BENCH_STACKS: String(stacks), BENCH_VALIDATION: validation ? 'on' : 'off', HEADLAMP_DIST_DIR: dist(`stacks-${stacks}-${validation}`) },
});

try {
  process.stderr.write(`bench: ${RUNS} run(s) each after ${WARMUP} warm-up(s)\n`);
  const floor = run('node -e 0 (floor)', { argv: [node, '-e', '0'] });
  const plusFloor = run("node + require('cdk8s-plus-27')", { argv: [node, '-e', "require('cdk8s-plus-27')"] });

  const homelabDist = dist('homelab');
  run('homelab: npm run synth', { argv: ['npm', 'run', '--silent', 'synth'], env: { HEADLAMP_DIST_DIR: homelabDist } }, { stacks: 1, validation: true });
  if (!quick) {
    // What npx cdk8s synth costs before the app runs: npm's start, then cdk8s-cli's.
    run('npx true (npm exec start)', { argv: ['npx', 'true'] });
    run('cdk8s --version (cdk8s-cli start)', { argv: [node, 'node_modules/.bin/cdk8s', '--version'] });
  }
  if (!quick) run('homelab: npx cdk8s synth', { argv: ['npx', 'cdk8s', 'synth', '--no-check-upgrade'], env: { HEADLAMP_DIST_DIR: dist('cli') } }, { stacks: 1, validation: true });
  run('homelab: node --import tsx main.ts', { argv: [node, '--import', 'tsx', 'main.ts'], env: { HEADLAMP_DIST_DIR: dist('tsx') } }, { stacks: 1, validation: true });
  const scaling: Row[] = [];
  for (const stacks of SIZES) {
    for (const validation of [true, false]) {
      scaling.push(run(`app, ${stacks} stack(s), validation ${validation ? 'on' : 'off'}`, app(stacks, validation), { stacks, validation }, stacks >= 1000 ? Math.min(RUNS, 3) : RUNS));
    }
  }

  // Anchors: what the same output costs with the tools Flux itself runs.
  const anchors: Row[] = [];
  const helm = findTool('helm');
  const kubectl = findTool('kubectl');
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

  const byName = (name: string) => rows.find((r) => r.name === name);
  const at = (stacks: number, validation: boolean) => scaling.find((r) => r.stacks === stacks && r.validation === validation);
  const direct = at(1, true)!;
  const off = at(1, false)!;
  const cli = byName('homelab: npx cdk8s synth');
  const t100 = at(100, true);
  const t1000 = at(1000, true);
  const targets = [
    { target: 'homelab synth with validation ≤ 2 × (node + cdk8s-plus-27)', value: direct.median, limit: 2 * plusFloor.median, unit: 's' },
    { target: 'validation ≤ 20% of homelab synth', value: (direct.median - off.median) / direct.median, limit: 0.2, unit: 'share' },
    ...(cli ? [{ target: 'npx cdk8s synth ≤ 1.0 s', value: cli.median, limit: 1.0, unit: 's' }] : []),
    ...(t100 ? [{ target: '100 stacks ≤ 1.5 s', value: t100.median, limit: 1.5, unit: 's' }] : []),
    ...(t100 && t1000 ? [{ target: 't(1000) / t(100) ≤ 12', value: t1000.median / t100.median, limit: 12, unit: 'ratio' }] : []),
    ...(t1000?.rssMiB ? [{ target: 'peak RSS at 1,000 stacks ≤ 400 MB', value: (t1000.rssMiB * 1024 * 1024) / 1e6, limit: 400, unit: 'MB' }] : []),
  ].map((t) => ({ ...t, met: t.value <= t.limit }));

  const ratio = (v: number, anchor?: Row) => (anchor ? `${(v / anchor.median).toFixed(1)}×` : '-');
  const helmRow = anchors.find((a) => a.name.startsWith('helm'));
  const kustomizeRow = anchors.find((a) => a.name.startsWith('kubectl'));
  const header = ['case', 'median s', 'min s', 'max s', 'peak RSS MiB', '× node', '× helm template', '× kustomize'];
  const table = [header, ...rows.map((r) => [
    r.name, r.median.toFixed(3), r.min.toFixed(3), r.max.toFixed(3), r.rssMiB?.toFixed(0) ?? '-', ratio(r.median, floor), ratio(r.median, helmRow), ratio(r.median, kustomizeRow),
  ])];
  const widths = header.map((_, i) => Math.max(...table.map((line) => line[i].length)));
  console.log(table.map((line) => line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n'));
  console.log('');
  for (const t of targets) console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.unit === 'share' ? `${(t.value * 100).toFixed(0)}%` : t.value.toFixed(2)}${t.unit === 's' ? ' s' : ''}`);

  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, os: release() };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify({ quick, runs: RUNS, warmup: WARMUP, machine, rows, targets }, null, 2)}\n`);
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
