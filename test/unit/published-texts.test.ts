import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FluxApp, HeadlampStack } from '../../lib';
import { PublishedTexts } from '../../lib/output/published-texts';
import { readTree, tempDir } from '../helpers';

describe('PublishedTexts', () => {
  const saved = process.env.XDG_CACHE_HOME;
  before(() => {
    process.env.XDG_CACHE_HOME = tempDir('published-texts-');
  });
  after(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  });

  const publish = (root: string, files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
    return new Map(Object.entries(files));
  };

  it('finds a text again by its path and key while the file still holds it', () => {
    const root = tempDir();
    const made = new PublishedTexts(root, 'main.ts');
    made.made('a.yaml', 'key-a', 'a: 1\n');
    made.made('b.yaml', 'key-b', 'b: ü\n');
    made.made('folded.yaml', 'key-f', 'f: 1\n');
    made.save(publish(root, { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: ü\n' }));

    const next = new PublishedTexts(root, 'main.ts');
    assert.equal(next.find('a.yaml', 'key-a'), 'a: 1\n');
    assert.equal(next.find('b.yaml', 'key-b'), 'b: ü\n');
    assert.equal(next.find('a.yaml', 'key-b'), undefined, 'made from other objects');
    assert.equal(next.find('folded.yaml', 'key-f'), undefined, 'never published at that path');
    assert.equal(new PublishedTexts(root, 'other.ts').find('a.yaml', 'key-a'), undefined, 'another owner keeps its own record');

    writeFileSync(join(root, 'a.yaml'), 'a: 2\n');
    writeFileSync(join(root, 'b.yaml'), 'b: ü\n\n');
    assert.equal(new PublishedTexts(root, 'main.ts').find('a.yaml', 'key-a'), undefined, 'same size, other bytes');
    assert.equal(new PublishedTexts(root, 'main.ts').find('b.yaml', 'key-b'), undefined, 'other size');
  });

  it('does not record a text that would not read back as it was made, and survives a broken record', () => {
    const root = tempDir();
    const made = new PublishedTexts(root, 'main.ts');
    made.made('lone.yaml', 'key', 'x: \ud800\n');
    made.save(publish(root, { 'lone.yaml': 'x: \ud800\n' }));
    assert.equal(new PublishedTexts(root, 'main.ts').find('lone.yaml', 'key'), undefined);
    const records = join(process.env.XDG_CACHE_HOME!, 'flux-helm-apps', 'published');
    for (const file of readdirSync(records)) writeFileSync(join(records, file), '{"version":1,"files":{"lone.yaml":"not an entry"}}');
    assert.equal(new PublishedTexts(root, 'main.ts').find('lone.yaml', 'key'), undefined);
  });

  it('lets a FluxApp read back what it published, and write again what changed or was edited', (t) => {
    const dist = tempDir();
    const synth = (hostname: string) => {
      const app = new FluxApp({ distDir: dist, outdir: tempDir() });
      new HeadlampStack(app, 'headlamp', { hostname });
      app.synth();
      return readTree(dist);
    };
    const first = synth('headlamp.example.net');
    const found: string[] = [];
    const find = PublishedTexts.prototype.find;
    t.mock.method(PublishedTexts.prototype, 'find', function (this: PublishedTexts, path: string, key: string) {
      const text = find.call(this, path, key);
      if (text !== undefined) found.push(path);
      return text;
    });
    assert.deepEqual(synth('headlamp.example.net'), first);
    assert.deepEqual(found.sort(), [...first.keys()].filter((p) => p.endsWith('.yaml')).sort(), 'every YAML file read back');

    const route = join(dist, 'apps/headlamp/route.yaml');
    const edited = readFileSync(route, 'utf8').replace('headlamp.example.net', 'headlamp.example.org');
    assert.notEqual(edited, first.get('apps/headlamp/route.yaml'));
    writeFileSync(route, edited);
    assert.deepEqual(synth('headlamp.example.net'), first, 'a file edited by hand (same size) is written again');

    const moved = synth('lamp.example.net').get('apps/headlamp/route.yaml')!;
    assert.match(moved, /Host\(`lamp\.example\.net`\)/);
    assert.doesNotMatch(moved, /headlamp\.example\.net/);
  });
});
