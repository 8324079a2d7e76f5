import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterFiles, clusterKustomizations, folderFiles } from '../../lib/output/cluster-sync';
import { GENERATED_MARKER } from '../../lib/output/generated-marker';
import { synthStack } from '../helpers';

const gen = (text: string) => `${GENERATED_MARKER}\n${text}`;
const list = (...resources: string[]) => gen(`apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`);
const sync = (name: string, path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  path: ${path}\n`;

describe('folderFiles', () => {
  it('follows kustomization.yaml through listed folders, as kustomize does', () => {
    const tree = new Map([
      ['apps/x/base/a.yaml', gen('a: 1\n')], ['apps/x/base/kustomization.yaml', list('a.yaml')],
      ['apps/x/dev/b.yaml', gen('b: 1\n')], ['apps/x/dev/kustomization.yaml', list('../base', 'b.yaml')],
      ['apps/x/dev/unlisted.yaml', gen('c: 1\n')],
    ]);
    assert.deepEqual(folderFiles(tree, 'apps/x/dev'), ['apps/x/base/a.yaml', 'apps/x/dev/b.yaml']);
  });

  it('takes every YAML file under a folder without kustomization.yaml, as Flux does', () => {
    const tree = new Map([['apps/y/a.yaml', gen('a: 1\n')], ['apps/y/sub/b.yaml', gen('b: 1\n')], ['apps/yy/c.yaml', gen('c: 1\n')]]);
    assert.deepEqual(folderFiles(tree, 'apps/y'), ['apps/y/a.yaml', 'apps/y/sub/b.yaml']);
  });
});

describe('clusterFiles', () => {
  it('maps each cluster to the files its Kustomizations apply, through distPath', () => {
    const synth = synthStack({ clusters: { staging: { replicas: 1 }, production: { replicas: 2 } } });
    const files = clusterFiles(synth.tree);
    assert.deepEqual([...files.keys()].sort(), ['production', 'staging']);
    const staging = [...files.get('staging')!].sort();
    assert.ok(staging.includes('apps/headlamp/staging/release.yaml'));
    assert.ok(staging.includes('apps/headlamp/base/rbac.yaml'));
    assert.ok(staging.includes('apps/headlamp/namespace/namespace.yaml'));
    assert.ok(staging.includes('clusters/staging/headlamp.yaml'));
    assert.equal(staging.some((f) => f.includes('production')), false);
    // Under another distPath, nothing under ./dist is in the tree.
    assert.deepEqual([...clusterFiles(synth.tree, 'deploy').get('staging')!], ['clusters/staging/headlamp.yaml']);
  });

  it('marks paths outside the tree (the secrets folder) as not in it', () => {
    const tree = new Map([['clusters/c/app.yaml', gen(`${sync('app', './dist/apps/app')}---\n${sync('app-secrets', './secrets/c/app')}`)]]);
    assert.deepEqual(clusterKustomizations(tree).map((k) => [k.cluster, k.path, k.folder]), [['c', 'dist/apps/app', 'apps/app'], ['c', 'secrets/c/app', undefined]]);
  });
});
