import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiObject } from 'cdk8s';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { FluxApp, FluxFile, MarkdownFile } from '../../lib';
import { renderTree } from '../../lib/output/render-tree';
import { synthStack, tempDir } from '../helpers';

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

/** Overlay files: `data` picks the ConfigMap's content, so copies are identical or not. */
function overlays(files: Array<{ cluster: string; concern: string; data: string }>): FluxApp {
  const app = new FluxApp({ outdir: tempDir(), distDir: tempDir() });
  files.forEach(({ cluster, concern, data }, i) => {
    const file = new FluxFile(app, `f${i}`, { path: `apps/x/${cluster}/${concern}.yaml`, sharedAs: `apps/x/base/${concern}.yaml`, cluster });
    new ApiObject(file, 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: concern, namespace: 'x' }, data: { v: data } });
  });
  return app;
}

describe('renderTree with a shared base', () => {
  it('moves files identical in every overlay to the base, which each overlay lists first', () => {
    const tree = renderTree(overlays([
      { cluster: 'prod', concern: 'a', data: 'same' }, { cluster: 'prod', concern: 'b', data: '2' },
      { cluster: 'dev', concern: 'a', data: 'same' }, { cluster: 'dev', concern: 'b', data: '1' },
    ]).fluxFiles);
    assert.deepEqual([...tree.keys()], [
      'apps/x/base/a.yaml', 'apps/x/base/kustomization.yaml',
      'apps/x/dev/b.yaml', 'apps/x/dev/kustomization.yaml',
      'apps/x/prod/b.yaml', 'apps/x/prod/kustomization.yaml',
    ]);
    assert.deepEqual(parse(tree.get('apps/x/base/kustomization.yaml')!).resources, ['a.yaml']);
    assert.deepEqual(parse(tree.get('apps/x/dev/kustomization.yaml')!).resources, ['../base', 'b.yaml']);
    assert.match(tree.get('apps/x/prod/b.yaml')!, /v: "2"/);
  });

  it('keeps a file in its overlays when one overlay lacks it, and needs no base when nothing is shared', () => {
    const tree = renderTree(overlays([{ cluster: 'prod', concern: 'a', data: 'same' }, { cluster: 'dev', concern: 'b', data: 'same' }]).fluxFiles);
    assert.deepEqual([...tree.keys()], ['apps/x/dev/b.yaml', 'apps/x/dev/kustomization.yaml', 'apps/x/prod/a.yaml', 'apps/x/prod/kustomization.yaml']);
    assert.deepEqual(parse(tree.get('apps/x/dev/kustomization.yaml')!).resources, ['b.yaml']);
  });

  it('leaves an overlay that differs in nothing with just the base', () => {
    const tree = renderTree(overlays([{ cluster: 'prod', concern: 'a', data: 's' }, { cluster: 'dev', concern: 'a', data: 's' }]).fluxFiles);
    assert.deepEqual(parse(tree.get('apps/x/prod/kustomization.yaml')!).resources, ['../base']);
    assert.equal(tree.has('apps/x/prod/a.yaml'), false);
  });

  it('refuses sharedAs on a file kustomization.yaml does not list', () => {
    const app = new FluxApp({ outdir: tempDir(), distDir: tempDir() });
    assert.throws(() => new FluxFile(app, 'f', { path: 'clusters/c/x.yaml', listed: false, sharedAs: 'clusters/base/x.yaml' }), /sets sharedAs but listed: false/);
  });
});

describe('renderTree with Markdown', () => {
  it('writes the document after its own marker, an HTML comment, never listed in kustomization.yaml', () => {
    const app = appWith([{ path: 'clusters/c/x.yaml', listed: false }]);
    new MarkdownFile(app, 'doc', { path: 'clusters/c/RUNBOOK.md', render: () => '# Title\n\ntext\n\n' });
    const tree = app.renderTree();
    assert.equal(tree.get('clusters/c/RUNBOOK.md'), '<!-- Generated by flux-helm-apps (npm run synth). Do not edit: synth overwrites it. -->\n# Title\n\ntext\n');
    assert.equal(tree.has('clusters/c/kustomization.yaml'), false);
  });

  it('refuses two documents at one path, and paths that are not Markdown', () => {
    const app = appWith([]);
    new MarkdownFile(app, 'a', { path: 'clusters/c/RUNBOOK.md', render: () => 'a' });
    new MarkdownFile(app, 'b', { path: 'clusters/c/RUNBOOK.md', render: () => 'b' });
    assert.throws(() => app.renderTree(), /two constructs write clusters\/c\/RUNBOOK\.md \(a and b\)/);
    for (const path of ['RUNBOOK.md', 'clusters/c/notes.txt', '../x/README.md']) {
      assert.throws(() => new MarkdownFile(appWith([]), 'd', { path, render: () => '' }), /markdown file path .* is invalid/, path);
    }
  });
});

describe('FluxFile', () => {
  it('refuses paths that are absolute, climb out, or are not YAML', () => {
    for (const path of ['/etc/x.yaml', '../x.yaml', 'apps/x.json', 'apps//x.yaml', 'Apps/x.yaml']) {
      assert.throws(() => appWith([{ path }]), /flux file path .* is invalid/, path);
    }
  });
});

describe('published YAML', () => {
  it('parses back to exactly the synthesized objects, for every file of the default stack', () => {
    const stack = synthStack();
    const yamlFiles = [...stack.tree.keys()].filter((p) => p.endsWith('.yaml'));
    assert.ok(yamlFiles.length > 5);
    for (const path of yamlFiles) {
      const text = stack.tree.get(path)!;
      // The same text the yaml package writes: no folding, no anchors, the same quotes.
      const docs = parseAllDocuments(text).map((d) => d.toJS());
      assert.equal(text.slice(text.indexOf('\n') + 1), docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'), path);
    }
  });

  it('keeps strings that look like other types as strings, and multi-line text as a block', () => {
    const app = new FluxApp({ outdir: tempDir(), distDir: tempDir() });
    const file = new FluxFile(app, 'f', { path: 'apps/x/a.yaml' });
    const data = { yes: 'yes', on: 'on', number: '0755', version: '1.10', empty: '', dashes: '--flag', text: 'line one\nline two\n', colon: 'a: b', hash: '#c', long: `${'a long reason '.repeat(20)}end` };
    new ApiObject(file, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'x' }, data });
    const text = renderTree(app.fluxFiles).get('apps/x/a.yaml')!;
    assert.deepEqual(parse(text.slice(text.indexOf('\n') + 1)).data, data);
    assert.match(text, /text: \|\n\s+line one\n\s+line two\n/);
    assert.match(text, /\n {2}long: a long reason .* reason end\n/, 'long text stays on one line');
  });
});
