// The cache of kustomize builds: a build is keyed by what it can read (its
// folder), so an edit elsewhere in the tree builds only what it touches, and a
// kustomization that reaches outside its folder is keyed by the whole source,
// so it never comes back stale.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildClusters } from '../../lib/effective/cluster-build';
import { reachesOutside } from '../../lib/effective/kustomize-build';
import { findTool } from '../../lib/tools/binaries';
import { tempDir } from '../helpers';

describe('reachesOutside', () => {
  const cases: [string, string, boolean][] = [
    ['its own files', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - release.yaml\n  - sub\n', false],
    ['a remote resource', 'resources:\n  - https://github.com/me/repo//deploy?ref=v1\n', false],
    ['an inline JSON patch', 'patches:\n  - target: {kind: Deployment}\n    patch: |\n      - op: add\n        path: /spec/replicas\n        value: 2\n', false],
    ['a base one folder up', 'resources:\n  - ../base\n', true],
    ['an absolute path', 'resources: [/srv/app]\n', true],
    ['a generator file elsewhere', 'configMapGenerator:\n  - name: c\n    files:\n      - conf=../../conf.ini\n', true],
    ['a generator file at an absolute path', 'secretGenerator:\n  - name: s\n    files: [key=/etc/key]\n', true],
    ['a patch file up the tree', 'patches:\n  - path: ../patch.yaml\n', true],
    ['text that is not YAML, with a value that climbs', 'resources: [../a\n', true],
  ];
  for (const [what, text, expected] of cases) it(`${expected ? 'reaches outside' : 'stays inside'}: ${what}`, () => assert.equal(reachesOutside(text), expected));
});

describe('kustomize builds, cached by what they read', () => {
  const kustomization = (name: string, path: string) => [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1', 'kind: Kustomization', `metadata: {name: ${name}, namespace: flux-system}`,
    `spec: {interval: 10m, path: ${path}, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}`,
  ].join('\n');
  const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: x}\ndata: {value: "${value}"}\n`;
  const tree = new Map<string, string>([
    ['clusters/home/apps.yaml', ['a', 'b', 'c'].map((app) => kustomization(app, `./dist/apps/${app}`)).join('\n---\n')],
    ['apps/a/config.yaml', configMap('a', '1')],
    ['apps/b/config.yaml', configMap('b', '1')],
    ['apps/c/kustomization.yaml', 'resources:\n  - ../shared\n'],
    ['apps/shared/kustomization.yaml', 'resources:\n  - config.yaml\n'],
    ['apps/shared/config.yaml', configMap('shared', '1')],
  ]);
  const previous = { kubectl: process.env.KUBECTL_BIN, cache: process.env.XDG_CACHE_HOME };
  const log = join(tempDir('kubectl-log-'), 'runs');
  /** Builds the tree; returns how many times kubectl ran, and each ConfigMap's value. */
  const build = () => {
    writeFileSync(log, '');
    const [home] = buildClusters({ tree, distPath: 'dist', repoRoot: tempDir() });
    assert.deepEqual(home.problems, []);
    const values = Object.fromEntries(home.objects.filter(({ obj }) => obj.kind === 'ConfigMap').map(({ obj }) => [obj.metadata.name, (obj.data as { value: string }).value]));
    return { runs: readFileSync(log, 'utf8').split('\n').filter(Boolean).length, values };
  };

  before(() => {
    const kubectl = findTool('kubectl');
    assert.ok(kubectl, 'kubectl is needed for this test');
    const wrapper = join(tempDir('kubectl-'), 'kubectl');
    writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> '${log}'\nexec '${kubectl}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    process.env.KUBECTL_BIN = wrapper;
    process.env.XDG_CACHE_HOME = tempDir('cache-');
  });
  after(() => {
    for (const [name, value] of [['KUBECTL_BIN', previous.kubectl], ['XDG_CACHE_HOME', previous.cache]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('builds every path once, then none while nothing changed', () => {
    assert.deepEqual(build(), { runs: 4, values: { a: '1', b: '1', shared: '1' } });
    assert.equal(build().runs, 0);
  });

  it('builds again only the folder edited, and what reaches outside its own folder', () => {
    tree.set('apps/b/config.yaml', configMap('b', '2'));
    assert.deepEqual(build(), { runs: 2, values: { a: '1', b: '2', shared: '1' } }, 'apps/b, and apps/c (../shared)');
  });

  it('never returns a stale build of a kustomization that reads another folder', () => {
    tree.set('apps/shared/config.yaml', configMap('shared', '2'));
    assert.deepEqual(build(), { runs: 1, values: { a: '1', b: '2', shared: '2' } });
  });
});
