// imports/core-kinds.ts must list exactly the kinds of the installed kubernetes-models.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CORE_KINDS } from '../../imports/core-kinds';
import { coreKinds, coreKindsModule } from '../../scripts/index-core-kinds';

describe('imports/core-kinds.ts', () => {
  it('matches the installed kubernetes-models (npm run index-core-kinds rewrites it)', () => {
    assert.equal(readFileSync(join(__dirname, '..', '..', 'imports', 'core-kinds.ts'), 'utf8'), coreKindsModule());
  });

  it('keys each loader by apiVersion and kind, and each loads that kind', () => {
    const keys = coreKinds().map((k) => k.key);
    for (const key of ['v1/Namespace', 'v1/Secret', 'apps/v1/Deployment', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding', 'batch/v1/CronJob']) {
      assert.ok(keys.includes(key), key);
    }
    const kind = (key: string) => key.slice(key.lastIndexOf('/') + 1);
    for (const key of ['v1/Namespace', 'apps/v1/Deployment']) {
      const Model = CORE_KINDS[key]()[kind(key)] as { apiVersion: string; kind: string };
      assert.equal(`${Model.apiVersion}/${Model.kind}`, key);
    }
  });
});
