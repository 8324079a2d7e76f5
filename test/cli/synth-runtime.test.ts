// How synth runs: the JavaScript tsc compiled (scripts/build.cjs, run-typescript.cjs)
// under plain node, no loader. It works with a node_modules and a cache folder
// it cannot write to, errors point at TypeScript lines, and an edit runs from
// its sources until the next build.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readTree, ROOT, SCRATCH_MAIN, scratchProject, runScript } from '../project';

/** A scratch project whose node_modules folder and cache folder cannot be written: each package is a link into the real one. */
function readOnlyProject(): { project: string; env: NodeJS.ProcessEnv; asUser: string[] } {
  const project = scratchProject();
  rmSync(join(project, 'node_modules'));
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) if (entry !== '.cache') symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
  chmodSync(modules, 0o555);
  const cache = join(project, 'no-cache');
  mkdirSync(cache, { mode: 0o555 });
  // root writes anywhere, so as root the synth runs as nobody, who owns nothing here but dist/.
  const root = process.getuid?.() === 0;
  if (root) {
    chmodSync(project, 0o777);
    spawnSync('chown', ['-R', '65534:65534', join(project, 'dist')]);
  }
  return {
    project,
    env: { ...process.env, XDG_CACHE_HOME: cache, HOME: cache },
    asUser: root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [],
  };
}

describe('synth, compiled by tsc', () => {
  // One scratch project for the tests that edit it (each writes what it runs): tsx's
  // cache is per path, so a second project would compile every module again.
  let project: string | undefined;
  const edited = () => (project ??= scratchProject());

  it('publishes the same tree with a read-only node_modules and cache folder', () => {
    const { project, env, asUser } = readOnlyProject();
    const before = readTree(join(project, 'dist'));
    const probe = spawnSync(asUser[0] ?? 'sh', [...asUser.slice(1), ...(asUser.length ? ['sh'] : []), '-c', 'touch node_modules/.probe'], { cwd: project, env });
    assert.notEqual(probe.status, 0, 'node_modules is writable: the test would prove nothing');
    rmSync(join(project, 'dist/apps'), { recursive: true, force: true });
    const [command, ...args] = [...asUser, process.execPath, 'scripts/synth.cjs'];
    const result = spawnSync(command, args, { cwd: project, env: { ...env, NODE_DEBUG: 'module' }, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readTree(join(project, 'dist')), before);
    assert.match(result.stderr, /MODULE \d+: load "[^"]*\/build\/main\.js"/, 'a current build runs what tsc compiled');
    assert.doesNotMatch(result.stderr, /load "[^"]*\/main\.ts"/);
  });

  it('names TypeScript files and lines in the stack of compiled code, mapped only when printed', () => {
    const result = spawnSync(process.execPath, ['scripts/run-typescript.cjs', 'cli/flux-helm-apps.ts', 'validate', '--dist', join(ROOT, 'no-such-folder'), '--verbose'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'module' } });
    assert.equal(result.status, 1, 'a missing folder is for the user to fix: exit 1, not 70');
    assert.match(result.stderr, /MODULE \d+: load "[^"]*\/build\/cli\/validate\.js"/, 'ran compiled');
    assert.match(result.stderr, /no-such-folder does not exist: run npm run synth first/);
    assert.match(result.stderr, /\n {4}at [^\n]*\(\S*\/cli\/validate\.ts:\d+:\d+\)/);
    assert.match(result.stderr, /\n {4}at [^\n]*\(\S*\/cli\/main\.ts:\d+:\d+\)/);
    assert.doesNotMatch(result.stderr, /\n {4}at [^\n]*build\/cli/, 'no frame in the compiled JavaScript');
  });

  it('prints a user error with its fix and no stack; DEBUG=1 shows the TypeScript file and line', () => {
    writeFileSync(join(edited(), 'main.ts'), SCRATCH_MAIN.replace("hostname: 'headlamp.example.net'", "hostname: 'https://headlamp.example.net'"));
    const plain = runScript(edited(), 'synth');
    assert.equal(plain.status, 1);
    assert.match(plain.stderr, /^Error: Validation failed with the following errors:\n {2}HeadlampStack headlamp: hostname: Invalid value: "https:\/\/headlamp\.example\.net": .*\(drop the scheme\)\nNothing was written to .*\n\(run with --verbose or DEBUG=1 for the stack trace\)\n$/);
    assert.doesNotMatch(plain.stderr, /\n {4}at /);
    const result = runScript(edited(), 'synth', [], { env: { DEBUG: '1' } });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /hostname: Invalid value: "https:\/\/headlamp\.example\.net"/);
    assert.match(result.stderr, /main\.ts:5:1/, 'the stack names main.ts at the line of the stack (its cause: where it was built)');
    assert.match(result.stderr, /lib\/app\/helm-app\.ts:\d+/);
  });

  it('runs an edit of lib/ and main.ts through tsx at once, also one with a file time older than the build', () => {
    const project = edited();
    const old = new Date('2001-01-01T00:00:00Z');
    const edit = (file: string, text: string) => {
      writeFileSync(join(project, file), text);
      utimesSync(join(project, file), old, old);
    };
    edit('lib/index.ts', `${readFileSync(join(project, 'lib/index.ts'), 'utf8')}console.log('lib edited');\n`);
    edit('main.ts', `${SCRATCH_MAIN}import { relative } from 'node:path';\nconsole.log('ran', relative(process.cwd(), __filename));\n`);
    const result = runScript(project, 'synth');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^lib edited\n/, 'the edit of lib/ ran');
    assert.equal(result.stdout.match(/^ran (\S+)/m)?.[1], 'main.ts', 'an edit runs from its source');
    // A build that failed: see build.test.ts.
  });
});
