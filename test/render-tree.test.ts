import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiObject } from 'cdk8s';
import { parse } from 'yaml';
import { FluxApp, FluxFile, renderTree } from '../lib';
import { tempDir } from './helpers';

function appWith(files: Array<{ path: string; listed?: boolean; objects?: number }>): FluxApp {
  const app = new FluxApp({ outdir: tempDir(), distDir: tempDir() });
  files.forEach(({ path, listed, objects = 1 }, i) => {
    const file = new FluxFile(app, `f${i}`, { path, listed });
    for (let n = 0; n < objects; n++) new ApiObject(file, `o${n}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}-${n}`, namespace: 'x' } });
  });
  return app;
}

describe('renderTree', () => {
  it('adds a kustomization.yaml listing the folder files in construct order', () => {
    const tree = renderTree(appWith([{ path: 'apps/x/b.yaml' }, { path: 'apps/x/a.yaml' }, { path: 'clusters/c/x.yaml', listed: false }]).fluxFiles);
    assert.deepEqual([...tree.keys()], ['apps/x/a.yaml', 'apps/x/b.yaml', 'apps/x/kustomization.yaml', 'clusters/c/x.yaml']);
    assert.deepEqual(parse(tree.get('apps/x/kustomization.yaml')!).resources, ['b.yaml', 'a.yaml']);
  });

  it('separates several objects of one file with ---', () => {
    const tree = renderTree(appWith([{ path: 'apps/x/two.yaml', objects: 2 }]).fluxFiles);
    assert.equal(tree.get('apps/x/two.yaml')!.split('\n---\n').length, 2);
  });

  it('skips files with no objects', () => {
    const tree = renderTree(appWith([{ path: 'apps/x/empty.yaml', objects: 0 }, { path: 'apps/x/a.yaml' }]).fluxFiles);
    assert.deepEqual([...tree.keys()], ['apps/x/a.yaml', 'apps/x/kustomization.yaml']);
  });

  it('refuses two files at one path', () => {
    assert.throws(() => renderTree(appWith([{ path: 'apps/x/a.yaml' }, { path: 'apps/x/a.yaml' }]).fluxFiles), /two constructs write apps\/x\/a\.yaml/);
  });

  it('refuses a folder that mixes listed and unlisted files', () => {
    assert.throws(() => renderTree(appWith([{ path: 'apps/x/a.yaml' }, { path: 'apps/x/b.yaml', listed: false }]).fluxFiles), /folder apps\/x mixes files listed in kustomization\.yaml \(a\.yaml\) with unlisted ones \(b\.yaml\)/);
  });

  it('refuses a FluxFile named kustomization.yaml in a listed folder', () => {
    assert.throws(() => renderTree(appWith([{ path: 'apps/x/a.yaml' }, { path: 'apps/x/kustomization.yaml', listed: false }]).fluxFiles), /mixes files/);
    assert.throws(() => renderTree(appWith([{ path: 'apps/x/kustomization.yaml' }]).fluxFiles), /apps\/x\/kustomization\.yaml is generated from the files of apps\/x/);
  });
});

describe('FluxFile', () => {
  it('refuses paths that are absolute, climb out, or are not YAML', () => {
    for (const path of ['/etc/x.yaml', '../x.yaml', 'apps/x.json', 'apps//x.yaml', 'Apps/x.yaml']) {
      assert.throws(() => appWith([{ path }]), /flux file path .* is invalid/, path);
    }
  });
});
