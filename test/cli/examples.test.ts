// The examples as a user runs them, in a scratch copy of the project:
// `npm run synth -- examples/<name>.ts` writes examples/dist/<name>/ (and
// leaves dist/ alone), and `npm run validate` passes on it offline, every
// chart rendered from charts/.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseYaml, readTree, ROOT, scratchProject } from '../helpers';

const EXAMPLES: Record<string, { release: string; source: string }> = {
  crossview: { release: 'apps/crossview/release.yaml', source: 'OCIRepository' },
  'oci-chart': { release: 'apps/headlamp/release.yaml', source: 'OCIRepository' },
  'git-chart': { release: 'apps/headlamp/release.yaml', source: 'GitRepository' },
};

describe('examples', () => {
  let project: string;
  let dist: Map<string, string>;

  before(() => {
    project = scratchProject();
    cpSync(join(ROOT, 'examples'), join(project, 'examples'), { recursive: true, filter: (path) => !path.includes(`${join('examples', 'dist')}`) });
    dist = readTree(join(project, 'dist'));
  });

  for (const [name, { release, source }] of Object.entries(EXAMPLES)) {
    it(`${name}: synth writes examples/dist/${name}/, validate passes offline, dist/ is untouched`, () => {
      execFileSync('npm', ['run', '--silent', 'synth', '--', `examples/${name}.ts`], { cwd: project, stdio: 'pipe', encoding: 'utf8' });
      const tree = readTree(join(project, 'examples', 'dist', name));
      const [hr] = parseYaml(tree.get(release)!);
      const repository = parseYaml(tree.get(release.replace('release.yaml', 'repository.yaml'))!)[0];
      assert.equal(repository.kind, source);
      if (source === 'OCIRepository') assert.equal(hr.spec.chartRef.kind, 'OCIRepository');
      else {
        const chart = parseYaml(tree.get(release.replace('release.yaml', 'repository.yaml'))!).find((o) => o.kind === 'HelmChart')!;
        assert.deepEqual([hr.spec.chartRef.kind, chart.spec.sourceRef.kind, chart.spec.reconcileStrategy], ['HelmChart', 'GitRepository', 'Revision']);
      }
      const kustomization = parseYaml(tree.get(`clusters/homelab/${release.split('/')[1]}.yaml`)!).find((k) => k.metadata.name === release.split('/')[1])!;
      assert.equal(kustomization.spec.path, `./examples/dist/${name}/apps/${release.split('/')[1]}`);
      const validate = spawnSync('npm', ['run', '--silent', 'validate', '--', '--dist', `examples/dist/${name}`], { cwd: project, encoding: 'utf8' });
      assert.equal(validate.status, 0, validate.stdout + validate.stderr);
      assert.match(validate.stdout, /objects: \d+ ok, 0 errors, \d+ warnings, 0 not checked/);
      assert.match(validate.stdout, /\(rendered from HelmRelease [a-z]+\/[a-z]+\) +pod-security, images, schema, [a-z]+-render +ok/);
      assert.deepEqual(readTree(join(project, 'dist')), dist);
    });
  }

  it('synth names a missing entry point', () => {
    const result = spawnSync('npm', ['run', '--silent', 'synth', '--', 'examples/nope.ts'], { cwd: project, encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /synth: no entry point .*examples\/nope\.ts: give a \.ts file that builds a FluxApp/);
  });
});
