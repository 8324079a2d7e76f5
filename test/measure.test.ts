import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measure, median, runOnce } from '../bench/measure';

describe('bench/measure', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('times a process and reports its peak RSS', () => {
    const stats = measure({ argv: [process.execPath, '-e', 'Buffer.alloc(64 * 1024 * 1024, 1)'] }, 2, 0);
    assert.equal(stats.runs, 2);
    assert.ok(stats.min <= stats.median && stats.median <= stats.max);
    if (stats.rssMiB !== undefined) assert.ok(stats.rssMiB > 64, `peak RSS ${stats.rssMiB} MiB includes the 64 MiB buffer`);
    if (stats.cpu !== undefined) assert.ok(stats.cpu >= 0 && stats.cpu <= stats.max * 4, `CPU ${stats.cpu} s`);
  });

  it('asks a command factory for a fresh command on every run, warm-ups included', () => {
    let made = 0;
    const stats = measure(() => ({ argv: [process.execPath, '-e', `process.exit(${made++} < 3 ? 0 : 1)`] }), 2, 1);
    assert.equal(made, 3);
    assert.equal(stats.runs, 2);
  });

  it('fails with the output of a command that fails', () => {
    assert.throws(() => runOnce({ argv: [process.execPath, '-e', 'console.error("boom"); process.exit(3)'] }), /failed \(exit 3\):\nboom/);
  });
});
