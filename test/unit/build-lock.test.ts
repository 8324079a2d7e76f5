// The build lock of scripts/build.cjs: a second build waits while the holder
// holds it, and takes over the lock of a holder that died.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { locked } from '../../scripts/build.cjs';
import { tempDir } from '../helpers';

describe('build lock', () => {
  it('runs the work holding the lock, with this process as holder, and releases it', () => {
    const lock = join(tempDir(), 'build/.build.lock');
    const holder = locked(lock, () => readFileSync(lock, 'utf8'));
    assert.equal(holder, String(process.pid));
    assert.ok(!existsSync(lock));
  });

  it('waits while a live holder keeps the lock, and takes it when released', async () => {
    const lock = join(tempDir(), '.build.lock');
    // The holder releases the lock itself after 400 ms (a child that exits stays a zombie, alive to kill(0), until reaped).
    const child = spawn(process.execPath, ['-e', `setTimeout(() => require('node:fs').rmSync(${JSON.stringify(lock)}), 400); setTimeout(() => {}, 5000)`]);
    await new Promise((started) => child.on('spawn', started));
    writeFileSync(lock, String(child.pid));
    const start = Date.now();
    locked(lock, () => undefined);
    child.kill();
    assert.ok(Date.now() - start >= 300, `took the lock of a live holder after ${Date.now() - start} ms`);
    assert.ok(!existsSync(lock));
  });

  it('takes over the lock of a holder that died at once', () => {
    const lock = join(tempDir(), '.build.lock');
    writeFileSync(lock, spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const start = Date.now();
    assert.equal(locked(lock, () => 'built'), 'built');
    assert.ok(Date.now() - start < 500);
  });
});
