// The publish journal: a publish interrupted at any step (here: a failing
// rename or delete, in process; test/cli/publish-kill.test.ts kills real
// processes) is finished by the next publish or recover(), one that never
// committed is undone, and no staging folder or journal is left either way.
import assert from 'node:assert/strict';
import fs, { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { GENERATED_MARKER } from '../../lib/output/generated-marker';
import { publishTree, recover } from '../../lib/output/publish-tree';
import { tempDir } from '../helpers';

const gen = (body: string) => `${GENERATED_MARKER}\n${body}`;
const JOURNAL = '.flux-helm-apps-journal.json';

/** Files and folders under `dir` (folders with a trailing slash). */
function state(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (lstatSync(path).isDirectory()) {
        out[`${relative(dir, path)}/`] = '';
        walk(path);
      } else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function seed(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const OLD = { 'apps/base/kustomization.yaml': gen('resources: [a.yaml]\n'), 'apps/base/a.yaml': gen('a: old\n'), 'apps/prod/kustomization.yaml': gen('resources: [../base]\n'), 'flux-system/gotk.yaml': 'kind: GitRepository\n' };
const NEW = new Map([['apps/prod/a.yaml', gen('a: new\n')], ['apps/prod/kustomization.yaml', gen('resources: [a.yaml]\n')], ['apps/staging/a.yaml', gen('a: staging\n')]]);

/** What a fresh publish of `tree` over `files` leaves, for comparison. */
function published(files: Record<string, string>, tree: ReadonlyMap<string, string>): Record<string, string> {
  const dir = tempDir();
  seed(dir, files);
  publishTree(dir, tree);
  return state(dir);
}

/** Makes the `step`-th rename, unlink or rmdir while the journal is committed throw, as a crash there would stop the publish. */
function failAfterCommit(t: { mock: { method: typeof import('node:test').mock.method } }, step: number): { hit: () => boolean } {
  let committed = false;
  let count = 0;
  for (const name of ['renameSync', 'unlinkSync', 'rmdirSync'] as const) {
    const original = fs[name] as (...a: unknown[]) => unknown;
    t.mock.method(fs, name, (...args: unknown[]) => {
      if (committed && ++count === step) throw Object.assign(new Error(`EIO: i/o error, ${name} (injected at step ${step})`), { code: 'EIO' });
      const result = original(...args);
      // From the commit (the journal renamed into place) to the journal's removal, the end of the publish.
      if (name === 'renameSync' && String(args[1]).endsWith(JOURNAL)) committed = true;
      if (name === 'unlinkSync' && String(args[0]).endsWith(JOURNAL)) committed = false;
      return result;
    });
  }
  return { hit: () => count >= step };
}

describe('publish journal', () => {
  it('finishes a publish stopped at any step after its commit, on the next recover or publish', (t) => {
    const expected = published(OLD, NEW);
    let step = 1;
    for (; ; step++) {
      const dir = tempDir();
      seed(dir, OLD);
      const injected = failAfterCommit(t, step);
      let failed = false;
      try {
        publishTree(dir, NEW);
      } catch (error) {
        failed = true;
        assert.match((error as Error).message, /stopped half-way: EIO.*\nthe next synth finishes it/s);
      }
      t.mock.restoreAll();
      if (!injected.hit()) {
        assert.equal(failed, false);
        break;
      }
      assert.ok(failed, `step ${step}`);
      assert.ok(existsSync(join(dir, JOURNAL)), 'the journal stays until the publish is finished');
      if (step % 2 === 0) assert.equal(recover(dir), 'rolled-forward');
      else assert.deepEqual(publishTree(dir, NEW).written, [], 'the next publish finds the tree already published');
      assert.deepEqual(state(dir), expected, `stopped at step ${step}`);
    }
    assert.ok(step > 6, `every step was interrupted once (${step - 1} steps)`);
  });

  it('undoes a publish that never committed: its staging folder goes, the old tree stays', () => {
    const dir = tempDir();
    seed(dir, OLD);
    const before = state(dir);
    mkdirSync(join(dir, '.flux-helm-apps-staging-Ab12Cd'));
    writeFileSync(join(dir, '.flux-helm-apps-staging-Ab12Cd/0'), gen('a: new\n'));
    writeFileSync(join(dir, '.flux-helm-apps-staging-Ab12Cd/journal.json'), '{"version":1,"staging":".flux-helm-apps-st');
    assert.equal(recover(dir), 'rolled-back');
    assert.deepEqual(state(dir), before);
    assert.equal(recover(dir), 'clean');
  });

  it('does not delete a file replaced by hand after the crash when it finishes the publish', (t) => {
    const dir = tempDir();
    seed(dir, OLD);
    failAfterCommit(t, 1);
    assert.throws(() => publishTree(dir, NEW), /stopped half-way/);
    t.mock.restoreAll();
    writeFileSync(join(dir, 'apps/base/a.yaml'), 'mine now\n');
    recover(dir);
    assert.equal(readFileSync(join(dir, 'apps/base/a.yaml'), 'utf8'), 'mine now\n');
    assert.equal(readFileSync(join(dir, 'apps/prod/a.yaml'), 'utf8'), gen('a: new\n'));
  });

  it('refuses a damaged journal, or one whose steps leave the folder, and changes nothing', () => {
    for (const journal of ['{"version":1,', JSON.stringify({ version: 1, staging: '.flux-helm-apps-staging-x', steps: [{ op: 'delete', path: '../outside.yaml' }] })]) {
      const dir = tempDir();
      seed(dir, OLD);
      writeFileSync(join(dir, JOURNAL), journal);
      const before = state(dir);
      assert.throws(() => publishTree(dir, NEW), /the publish journal .*\.flux-helm-apps-journal\.json (is not valid JSON|has a step that leaves the folder)/);
      assert.deepEqual(state(dir), before);
    }
  });
});
