// scripts/run.mjs: the cached esbuild bundle must never run stale code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scratchProject } from './helpers';

const run = (project: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['scripts/run.mjs', 'main.ts'], { cwd: project, encoding: 'utf8', env: { ...process.env, ...env } });

describe('scripts/run.mjs', () => {
  it('rebuilds when a source file changes, and reports a failing entry with exit 1', () => {
    const project = scratchProject();
    assert.equal(run(project).status, 0);
    const main = join(project, 'main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace("hostname: 'headlamp.example.net'", "hostname: 'https://headlamp.example.net'"));
    const failed = run(project);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /hostname: Invalid value: "https:\/\/headlamp\.example\.net"/);
    assert.match(failed.stderr, /HEADLAMP_TSX=1 shows the TypeScript lines/);
    const tsx = run(project, { HEADLAMP_TSX: '1' });
    assert.equal(tsx.status, 1);
    assert.match(tsx.stderr, /main\.ts:\d+/, 'tsx shows TypeScript positions');
    writeFileSync(main, readFileSync(main, 'utf8').replace("hostname: 'https://headlamp.example.net'", "hostname: 'dash.example.net'"));
    assert.equal(run(project).status, 0);
    assert.match(readFileSync(join(project, 'dist/apps/headlamp/route.yaml'), 'utf8'), /Host\(`dash\.example\.net`\)/);
  });
});
