import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { kustomizeBuild } from '../../lib/effective/kustomize-build';
import { tempDir } from '../helpers';

describe('kustomizeBuild', () => {
  it('reads a file from another folder of the source, as Flux does (a cluster entry for an app in a subfolder)', () => {
    const root = tempDir('kustomize-');
    mkdirSync(join(root, 'clusters/homelab'), { recursive: true });
    mkdirSync(join(root, 'gitops/headlamp/dist/clusters/homelab'), { recursive: true });
    writeFileSync(join(root, 'gitops/headlamp/dist/clusters/homelab/headlamp.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-subfolder\n  namespace: x\n');
    writeFileSync(join(root, 'clusters/homelab/kustomization.yaml'), 'resources:\n  - ../../gitops/headlamp/dist/clusters/homelab/headlamp.yaml\n');
    assert.deepEqual(kustomizeBuild(join(root, 'clusters/homelab')).map((o) => o.metadata.name), ['from-subfolder']);
  });

  it('fails with kustomize\'s message on a file that is not there', () => {
    const root = tempDir('kustomize-');
    writeFileSync(join(root, 'kustomization.yaml'), 'resources:\n  - missing.yaml\n');
    assert.throws(() => kustomizeBuild(root), /kustomize .*missing\.yaml/s);
  });
});
