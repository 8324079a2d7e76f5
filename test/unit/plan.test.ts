import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GENERATED_MARKER, MARKDOWN_MARKER } from '../../lib/output/generated-marker';
import { formatPlan, planChanges } from '../../lib/output/plan';
import { readGeneratedTree } from '../../lib/output/read-tree';
import { tempDir } from '../helpers';

const file = (...docs: string[]) => `${GENERATED_MARKER}\n${docs.join('---\n')}`;
const cm = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: n\ndata:\n  key: ${data}\n`;

describe('planChanges', () => {
  const current = new Map([['apps/a/config.yaml', file(cm('one', 'x'), cm('two', 'y'))]]);

  it('finds nothing to do when the trees hold the same objects', () => {
    assert.deepEqual(planChanges(current, new Map(current)), []);
    assert.equal(formatPlan([]), 'No changes: dist/ is what synth writes.');
  });

  it('lists added, changed (with field paths) and removed objects', () => {
    const next = new Map([['apps/a/config.yaml', file(cm('one', 'z'), cm('three', 'w'))]]);
    const changes = planChanges(current, next);
    assert.deepEqual(changes, [
      { change: 'changed', file: 'apps/a/config.yaml', object: 'ConfigMap n/one', fields: [{ path: 'data.key', before: 'x', after: 'z' }] },
      { change: 'added', file: 'apps/a/config.yaml', object: 'ConfigMap n/three', fields: [] },
      { change: 'removed', file: 'apps/a/config.yaml', object: 'ConfigMap n/two', fields: [] },
    ]);
    assert.equal(formatPlan(changes), [
      '~ ConfigMap n/one  (apps/a/config.yaml, changed)',
      '    data.key: "x" → "z"',
      '+ ConfigMap n/three  (apps/a/config.yaml, added)',
      '- ConfigMap n/two  (apps/a/config.yaml, removed)',
      '',
      '1 to add, 1 to change, 1 to remove.',
    ].join('\n'));
    assert.match(formatPlan(changes, { colour: true }), /\u001b\[33m~ ConfigMap n\/one/);
  });

  it('reads only generated files from disk', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mine.yaml'), cm('mine', 'x'));
    writeFileSync(join(dir, 'gen.yaml'), file(cm('gen', 'x')));
    writeFileSync(join(dir, 'NOTES.md'), '# mine\n');
    writeFileSync(join(dir, 'RUNBOOK.md'), `${MARKDOWN_MARKER}\n# runbook\n`);
    writeFileSync(join(dir, 'fake.md'), `${GENERATED_MARKER}\n# a YAML marker does not make Markdown generated\n`);
    assert.deepEqual([...readGeneratedTree(dir).keys()], ['RUNBOOK.md', 'gen.yaml']);
  });

  it('shows a changed Markdown document by the lines that differ', () => {
    const doc = (...lines: string[]) => new Map([['clusters/c/RUNBOOK.md', `${MARKDOWN_MARKER}\n${lines.join('\n')}\n`]]);
    assert.deepEqual(planChanges(doc('# c', 'same', 'old'), doc('# c', 'same', 'new')), [{
      change: 'changed', file: 'clusters/c/RUNBOOK.md', object: 'Document clusters/c/RUNBOOK.md',
      fields: [{ path: 'line 4', before: 'old' }, { path: 'line 4', after: 'new' }],
    }]);
    assert.deepEqual(planChanges(new Map(), doc('# c')).map((c) => [c.change, c.object]), [['added', 'Document clusters/c/RUNBOOK.md']]);
    assert.deepEqual(planChanges(doc('# c'), doc('# c')), []);
  });
});
