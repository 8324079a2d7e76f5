import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { hardenedValues } from '../../lib/apps/headlamp/hardened-values';
import { mergeValues } from '../../lib/json';
import { FIXTURES } from '../helpers';

describe('hardenedValues', () => {
  it('covers every setting of the fixture values that render a hardened pod', () => {
    const fixture = parse(readFileSync(join(FIXTURES, 'values', 'headlamp-hardened.yaml'), 'utf8'));
    const ours = hardenedValues();
    // Merging the fixture over ours must change nothing: ours already sets each of its fields the same way,
    // but for the chart's binding, which ours turns off (the stack binds the ServiceAccount to view itself).
    assert.deepEqual(mergeValues(ours, { ...fixture, clusterRoleBinding: { ...fixture.clusterRoleBinding, create: false } }), ours);
    assert.equal(fixture.clusterRoleBinding.clusterRoleName, 'view');
  });

  it('uses the chart keys volumes/volumeMounts, never extraVolumes, and no image tag', () => {
    const values = hardenedValues();
    assert.deepEqual(Object.keys(values).filter((k) => /volume/i.test(k)).sort(), ['volumeMounts', 'volumes']);
    assert.equal(values.image, undefined);
  });

  it('returns a fresh object each call', () => {
    assert.notEqual(hardenedValues(), hardenedValues());
    assert.deepEqual(hardenedValues(), hardenedValues());
  });
});
