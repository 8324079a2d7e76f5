import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Chart } from 'cdk8s';
import { FluxApp, HeadlampStack } from '../../lib';
import { tempDir } from '../helpers';

describe('FluxApp', () => {
  it('publishes the tree into distDir and cdk8s scratch output into outdir', () => {
    const dist = tempDir();
    const outdir = join(tempDir(), 'scratch');
    const app = new FluxApp({ distDir: dist, outdir });
    new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net' });
    app.synth();
    assert.ok(existsSync(join(dist, 'apps/headlamp/release.yaml')));
    assert.ok(existsSync(join(dist, 'clusters/homelab/headlamp.yaml')));
    assert.ok(existsSync(outdir));
    assert.equal(app.lastPublish!.written.length, 11);
  });

  it('writes the scratch copy only for cdk8s-cli ($CDK8S_OUTDIR) or a given outdir', () => {
    const cwd = process.cwd();
    const saved = process.env.CDK8S_OUTDIR;
    const work = tempDir();
    try {
      process.chdir(work);
      delete process.env.CDK8S_OUTDIR;
      const plain = new FluxApp({ distDir: join(work, 'dist') });
      new HeadlampStack(plain, 'headlamp', { hostname: 'headlamp.example.net' });
      plain.synth();
      assert.equal(existsSync(join(work, 'cdk8s.out')), false, 'npm run synth needs no scratch copy');
      process.env.CDK8S_OUTDIR = join(work, 'cli-out');
      const cli = new FluxApp({ distDir: join(work, 'dist') });
      new HeadlampStack(cli, 'headlamp', { hostname: 'headlamp.example.net' });
      cli.synth();
      assert.ok(existsSync(join(work, 'cli-out', 'apps-headlamp-release.k8s.yaml')));
    } finally {
      process.chdir(cwd);
      if (saved === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = saved;
    }
  });

  it('leaves distDir untouched when a construct validation fails', () => {
    const dist = tempDir();
    mkdirSync(join(dist, 'apps/headlamp'), { recursive: true });
    writeFileSync(join(dist, 'apps/headlamp/keep.txt'), 'mine');
    const app = new FluxApp({ distDir: dist, outdir: tempDir() });
    const stack = new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net' });
    stack.node.addValidation({ validate: () => ['broken on purpose'] });
    assert.throws(() => app.synth(), /broken on purpose/);
    assert.equal(readFileSync(join(dist, 'apps/headlamp/keep.txt'), 'utf8'), 'mine');
    assert.equal(existsSync(join(dist, 'apps/headlamp/release.yaml')), false);
  });

  it('refuses a chart that is not a FluxFile instead of dropping its objects', () => {
    const app = new FluxApp({ distDir: tempDir(), outdir: tempDir() });
    new Chart(app, 'plain');
    assert.throws(() => app.renderTree(), /chart plain has no place in the Flux tree: create it as new FluxFile/);
  });

  it('refuses a distPath outside the repository', () => {
    assert.throws(() => new FluxApp({ distPath: '../elsewhere' }), /distPath "\.\.\/elsewhere" must be a path inside the Git repository/);
    assert.throws(() => new FluxApp({ distPath: '/abs' }), /must be a path inside the Git repository/);
  });

  it('defaults the published path to dist', () => {
    assert.equal(new FluxApp({ distDir: tempDir() }).distPath, 'dist');
  });
});
