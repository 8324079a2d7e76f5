import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareGenerated, HEAD_BYTES } from '../../lib/output/publish-fs';
import { tempDir } from '../helpers';

const MARKER = '# generated\n';
const generated = (head: string) => head.startsWith(MARKER);

describe('compareGenerated', () => {
  const dir = tempDir();
  const file = (name: string, text: string | Buffer) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('tells a generated file that holds the content from one that does not, byte for byte', () => {
    const text = `${MARKER}name: ü\n${'x'.repeat(3 * HEAD_BYTES)}\n`;
    assert.equal(compareGenerated(file('same.yaml', text), text, generated), 'same');
    assert.equal(compareGenerated(file('one-byte.yaml', text.replace(/x$/m, 'y')), text, generated), 'changed', 'same size, one byte differs');
    assert.equal(compareGenerated(file('longer.yaml', `${text}\n`), text, generated), 'changed');
    assert.equal(compareGenerated(file('shorter.yaml', text.slice(0, -1)), text, generated), 'changed');
    assert.equal(compareGenerated(file('latin1.yaml', Buffer.from(text, 'latin1')), text, generated), 'changed', 'the same characters in another encoding');
    // Buffers are reused between calls: a short file after a long one is compared on its own bytes.
    assert.equal(compareGenerated(file('short.yaml', `${MARKER}a\n`), `${MARKER}b\n`, generated), 'changed');
    assert.equal(compareGenerated(file('short-same.yaml', `${MARKER}a\n`), `${MARKER}a\n`, generated), 'same');
  });

  it('calls a file whose head is not generated foreign, even when it holds the content', () => {
    assert.equal(compareGenerated(file('hand.yaml', 'name: x\n'), 'name: x\n', generated), 'foreign');
  });
});
