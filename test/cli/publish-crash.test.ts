// Publishing under real crashes and races, with real processes: a publisher
// killed (SIGKILL) at random moments leaves, once recovery has run, exactly
// the old tree or the new one and no temporary file; two publishers started at
// once leave exactly one of their trees, never the union.
//
// The child is a small script that publishes with the same call FluxApp.synth
// makes (publishTree), as tsc compiled it (build/, made current first), so a
// child starts as fast as node itself; the next children start while the
// current one runs, so a round costs little more than its publish. It publishes with `durable: false`: a killed process
// leaves the same files with or without fsync (its writes are in the kernel
// already), and without the flushes a publish takes a few milliseconds instead
// of tens, so random kills land in every phase of many publishes.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { GENERATED_MARKER, MARKDOWN_MARKER } from '../../lib/output/generated-marker';
import { publishTree, recover } from '../../lib/output/publish-tree';
import { buildProject, ROOT, tempDir } from '../project';

const gen = (body: string) => `${GENERATED_MARKER}\n${body}`;
const FOREIGN = { path: 'clusters/home/flux-system/gotk-sync.yaml', text: 'kind: GitRepository\n' };

/** Tree A: a shared base and two overlays that list it. */
function treeA(): Map<string, string> {
  const tree = new Map<string, string>([
    ['apps/web/base/kustomization.yaml', gen('resources: [deployment.yaml, service.yaml, config.yaml]\n')],
    ['apps/web/base/deployment.yaml', gen('kind: Deployment\nreplicas: 1\n')],
    ['apps/web/base/service.yaml', gen('kind: Service\n')],
    ['apps/web/base/config.yaml', gen('kind: ConfigMap\ndata: {a: "1"}\n')],
    ['apps/web/prod/kustomization.yaml', gen('resources: [../base]\n')],
    ['apps/web/staging/kustomization.yaml', gen('resources: [../base]\n')],
    ['clusters/home/web.yaml', gen('kind: Kustomization\npath: ./dist/apps/web/prod\n')],
    ['clusters/home/RUNBOOK.md', `${MARKDOWN_MARKER}\n# Runbook A\n`],
  ]);
  for (let i = 0; i < 6; i++) tree.set(`apps/extra/a-${i}.yaml`, gen(`kind: ConfigMap\nname: a-${i}\n`));
  return tree;
}

/** Tree B: no base (the overlays hold their own files), other extras, a changed runbook, one unchanged file. */
function treeB(): Map<string, string> {
  const tree = new Map<string, string>([
    ['apps/web/prod/kustomization.yaml', gen('resources: [deployment.yaml, service.yaml]\n')],
    ['apps/web/prod/deployment.yaml', gen('kind: Deployment\nreplicas: 3\n')],
    ['apps/web/prod/service.yaml', gen('kind: Service\n')],
    ['apps/web/staging/kustomization.yaml', gen('resources: [deployment.yaml]\n')],
    ['apps/web/staging/deployment.yaml', gen('kind: Deployment\nreplicas: 1\n')],
    ['clusters/home/web.yaml', gen('kind: Kustomization\npath: ./dist/apps/web/prod\n')],
    ['clusters/home/RUNBOOK.md', `${MARKDOWN_MARKER}\n# Runbook B\n`],
  ]);
  for (let i = 0; i < 6; i++) tree.set(`apps/other/b-${i}.yaml`, gen(`kind: Secret\nname: b-${i}\n`));
  return tree;
}

/** Every entry under `dir`: files with their text, folders with a trailing slash, links and others marked. */
function state(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const rel = relative(dir, path);
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        out[`${rel}/`] = '';
        walk(path);
      } else out[rel] = stat.isFile() ? readFileSync(path, 'utf8') : '<not a file>';
    }
  };
  walk(dir);
  return out;
}

/** A folder with flux bootstrap's file, and `tree` published into it by `owner`. */
function published(tree: ReadonlyMap<string, string> | undefined, owner: string): string {
  const dir = tempDir('publish-crash-');
  mkdirSync(join(dir, 'clusters/home/flux-system'), { recursive: true });
  writeFileSync(join(dir, FOREIGN.path), FOREIGN.text);
  if (tree) publishTree(dir, tree, { owner });
  return dir;
}

/**
 * The child: loads the publisher, says "ready", and on a line from stdin
 * publishes tree A, B, A, B, … forever (`loop`, writing a dot after each), or
 * its one tree (`A`, `B`) once per line, writing a dot after each; it exits
 * when stdin closes.
 */
function childScript(work: string): string {
  buildProject(ROOT);
  const publisher = join(ROOT, 'build/lib/output/publish-tree.js');
  writeFileSync(join(work, 'trees.json'), JSON.stringify({ A: [...treeA()], B: [...treeB()] }));
  const script = join(work, 'publisher.js');
  writeFileSync(script, [
    `const { readFileSync } = require('node:fs');`,
    `const { publishTree } = require(${JSON.stringify(publisher)});`,
    `const [dist, mode, owner] = process.argv.slice(2);`,
    `const trees = JSON.parse(readFileSync(${JSON.stringify(join(work, 'trees.json'))}, 'utf8'));`,
    `const A = new Map(trees.A);`,
    `const B = new Map(trees.B);`,
    `if (mode === 'loop') process.stdin.once('data', () => {`,
    `  for (;;) for (const tree of [B, A]) publishTree(dist, tree, { owner, durable: false }) && process.stdout.write('.');`,
    `});`,
    `else require('node:readline').createInterface({ input: process.stdin }).on('line', () => {`,
    `  publishTree(dist, mode === 'A' ? A : B, { owner, durable: false });`,
    `  process.stdout.write('.');`,
    `});`,
    `process.stdin.once('end', () => process.exit(0));`,
    `process.stdout.write('ready\\n');`,
    '',
  ].join('\n'));
  return script;
}

interface Child {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  /** Publishes finished so far (the dots on stdout). */
  readonly published: () => number;
  /** Resolves once `count` publishes have finished. */
  readonly publishes: (count: number) => Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startChild(script: string, args: string[]): Child {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  let dots = 0;
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before it was ready: ${stderr}`)));
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    dots += chunk.toString().split('.').length - 1;
    for (const w of waiting.filter((x) => x.count <= dots)) w.resolve();
  });
  const publishes = (count: number) => new Promise<void>((resolve) => (dots >= count ? resolve() : waiting.push({ count, resolve })));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  ready.catch(() => undefined);
  return { process: child, ready, exited, published: () => dots, publishes };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('publishing under crashes and races', () => {
  it('leaves the old tree or the new one, and no temporary file, when killed at any moment', async (t) => {
    const ROUNDS = 40;
    const started = Date.now();
    const work = tempDir('publish-crash-');
    const script = childScript(work);
    const expected = { A: state(published(treeA(), 'kill-test')), B: state(published(treeB(), 'kill-test')) };
    const dist = published(treeA(), 'kill-test');
    const seen = { A: 0, B: 0 };
    // Kills spread from before the first publish to the third, however fast this machine publishes now:
    // the first rounds kill after three publishes and time them (the median is the window).
    const CALIBRATION = 5;
    const timings: number[] = [];
    let window = 0;
    const afterPublishes: Record<string, number> = {};
    const recoveries: Record<string, number> = {};
    // Children start ahead, so a round costs its publish and kill rather than a process start.
    const pool: Child[] = [];
    const refill = () => {
      while (pool.length < 3) pool.push(startChild(script, [dist, 'loop', 'kill-test']));
    };
    try {
      for (let round = 0; round < ROUNDS; round++) {
        refill();
        const child = pool.shift()!;
        await child.ready;
        refill();
        const go = Date.now();
        child.process.stdin!.write('go\n');
        if (round < CALIBRATION) {
          await child.publishes(3);
          timings.push(Date.now() - go);
          window = [...timings].sort((a, b) => a - b)[Math.floor(timings.length / 2)];
        } else {
          await sleep(Math.floor(Math.random() * window));
        }
        child.process.kill('SIGKILL');
        afterPublishes[child.published()] = (afterPublishes[child.published()] ?? 0) + 1;
        const { signal, stderr } = await child.exited;
        assert.equal(signal, 'SIGKILL', `the child was still publishing when killed: ${stderr}`);
        const recovery = recover(dist);
        recoveries[recovery] = (recoveries[recovery] ?? 0) + 1;
        const now = state(dist);
        const which = JSON.stringify(now) === JSON.stringify(expected.A) ? 'A' : JSON.stringify(now) === JSON.stringify(expected.B) ? 'B' : undefined;
        if (which === undefined) {
          const extra = Object.keys(now).filter((p) => !(p in expected.A) && !(p in expected.B));
          assert.fail(`round ${round}: after a kill and ${recovery}, dist is neither tree A nor tree B; entries of neither: ${extra.join(', ') || '(none: a mix of both)'}\n${JSON.stringify(now, null, 1).slice(0, 3000)}`);
        }
        seen[which]++;
      }
    } finally {
      for (const child of pool) child.process.kill('SIGKILL');
      await Promise.all(pool.map((c) => c.exited));
    }
    const seconds = (Date.now() - started) / 1000;
    t.diagnostic(`${ROUNDS} kills (at 0–${window} ms) in ${seconds.toFixed(1)} s; ended on tree A ${seen.A}×, tree B ${seen.B}×; recovery: ${JSON.stringify(recoveries)}; killed after n finished publishes: ${JSON.stringify(afterPublishes)}`);
    assert.ok(seen.A > 0 && seen.B > 0, 'kills landed in publishes of both trees');
    assert.ok((recoveries['rolled-forward'] ?? 0) + (recoveries['rolled-back'] ?? 0) > 0, 'some kills landed mid-publish');
  });

  it('two publishers started at once leave exactly one tree, never the union', async (t) => {
    const ROUNDS = 16;
    const started = Date.now();
    const work = tempDir('publish-crash-');
    const script = childScript(work);
    const expected = { A: state(published(treeA(), 'race-test')), B: state(published(treeB(), 'race-test')) };
    const dist = published(undefined, 'race-test');
    const seen = { A: 0, B: 0 };
    // Two processes that publish at each line they read: a round is the two publishes at once, no process start.
    const children = [startChild(script, [dist, 'A', 'race-test']), startChild(script, [dist, 'B', 'race-test'])];
    try {
      await Promise.all(children.map((c) => c.ready));
      for (let round = 0; round < ROUNDS; round++) {
        for (const child of children) child.process.stdin!.write('go\n');
        await Promise.race([
          Promise.all(children.map((c) => c.publishes(round + 1))),
          ...children.map((c) => c.exited.then(({ code, stderr }) => assert.fail(`a publisher exited (${code}): ${stderr}`))),
        ]);
        const now = state(dist);
        const which = JSON.stringify(now) === JSON.stringify(expected.A) ? 'A' : JSON.stringify(now) === JSON.stringify(expected.B) ? 'B' : undefined;
        assert.ok(which, `round ${round}: dist is neither tree A nor tree B:\n${JSON.stringify(now, null, 1).slice(0, 3000)}`);
        seen[which]++;
      }
    } finally {
      for (const child of children) child.process.stdin!.end();
    }
    for (const { code, stderr } of await Promise.all(children.map((c) => c.exited))) assert.equal(code, 0, stderr);
    t.diagnostic(`${ROUNDS} rounds in ${((Date.now() - started) / 1000).toFixed(1)} s; ended on tree A ${seen.A}×, tree B ${seen.B}×`);
  });
});
