// A project in a subfolder of its Git repository: where FluxApp publishes, the
// Flux paths it writes, what it tells the tools, and what the doctor checks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FluxApp, HeadlampStack } from '../../lib';
import { appliedFiles, findBootstraps } from '../../lib/doctor/cluster-entry';
import { runDoctor } from '../../lib/doctor/doctor-checks';
import { gitRoot, pathFromRoot, projectPath } from '../../lib/git-root';
import { readReport, SYNTH_REPORT_ENV } from '../../lib/output/synth-report';
import { parseYaml, tempDir, TEST_CHECKS } from '../helpers';

/** Runs `body` with `dir` as the working directory and `env` set, restoring both. */
function inDir<T>(dir: string, body: () => T, env: Record<string, string> = {}): T {
  const cwd = process.cwd();
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  process.chdir(dir);
  Object.assign(process.env, env);
  try {
    return body();
  } finally {
    process.chdir(cwd);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A Git repository with an empty project folder `gitops/headlamp`. */
function repoWithProject(): { repo: string; project: string } {
  const repo = tempDir('adopt-');
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  const project = join(repo, 'gitops/headlamp');
  mkdirSync(project, { recursive: true });
  return { repo, project };
}

function headlamp(props: ConstructorParameters<typeof FluxApp>[0] = {}): FluxApp {
  const app = new FluxApp({ outdir: tempDir(), validation: TEST_CHECKS, ...props });
  new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net' });
  return app;
}

describe('git root', () => {
  it('is the nearest folder with a .git; the project path is the working directory from it', () => {
    const { repo, project } = repoWithProject();
    assert.equal(gitRoot(project), repo);
    assert.equal(projectPath(project), 'gitops/headlamp');
    assert.equal(projectPath(repo), '');
    assert.equal(pathFromRoot(repo, join(repo, '..')), undefined);
    assert.equal(gitRoot(tempDir()), undefined);
  });
});

describe('FluxApp in a subfolder of its repository', () => {
  it('writes dist/ in the project and Flux paths from the Git root, secrets included', () => {
    const { repo, project } = repoWithProject();
    const app = inDir(project, () => headlamp());
    assert.equal(app.distPath, 'gitops/headlamp/dist');
    assert.equal(app.distDir, join(project, 'dist'));
    assert.equal(app.repoRoot, repo);
    const paths = parseYaml(app.renderTree().get('clusters/homelab/headlamp.yaml')!).map((k) => k.spec.path);
    assert.deepEqual(paths, ['./gitops/headlamp/dist/apps/headlamp/namespace', './gitops/headlamp/secrets/homelab/headlamp', './gitops/headlamp/dist/apps/headlamp']);
  });

  it('at the repository root keeps ./dist and ./secrets', () => {
    const { repo } = repoWithProject();
    const app = inDir(repo, () => headlamp());
    assert.equal(app.distPath, 'dist');
    assert.match(app.renderTree().get('clusters/homelab/headlamp.yaml')!, /path: \.\/secrets\/homelab\/headlamp\n/);
  });

  it('derives distPath from distDir, and distDir from distPath', () => {
    const { repo, project } = repoWithProject();
    assert.equal(inDir(project, () => headlamp({ distDir: 'out/flux' })).distPath, 'gitops/headlamp/out/flux');
    const fromPath = inDir(repo, () => headlamp({ distPath: 'gitops/headlamp/dist' }));
    assert.equal(fromPath.distDir, join(project, 'dist'));
  });

  it("lets the tools' scratch folder win over an explicit distDir, and reports the real one", () => {
    const { project } = repoWithProject();
    const scratch = tempDir();
    const report = join(tempDir(), 'report.jsonl');
    const app = inDir(project, () => headlamp({ distDir: 'dist' }), { HEADLAMP_DIST_DIR: scratch, [SYNTH_REPORT_ENV]: report });
    assert.equal(app.distDir, scratch);
    assert.deepEqual(readReport(report), [{ distDir: join(project, 'dist'), distPath: 'gitops/headlamp/dist', repoRoot: app.repoRoot }]);
  });
});

const BOOTSTRAP = (path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  path: ${path}\n`;

describe('doctor in a subfolder project', () => {
  /** A repository bootstrapped at clusters/homelab (with a kustomization.yaml) and the project synthesized in gitops/headlamp. */
  function adopted(props: { distPath?: string; distDir?: string } = {}): { repo: string; app: FluxApp; doctor: () => string[] } {
    const { repo, project } = repoWithProject();
    mkdirSync(join(repo, 'clusters/homelab/flux-system'), { recursive: true });
    writeFileSync(join(repo, 'clusters/homelab/flux-system/gotk-sync.yaml'), BOOTSTRAP('./clusters/homelab'));
    writeFileSync(join(repo, 'clusters/homelab/kustomization.yaml'), 'resources:\n  - flux-system\n');
    const app = inDir(project, () => headlamp(props));
    inDir(project, () => app.synth());
    const fresh = app.renderTree();
    const doctor = () => runDoctor({ root: repo, distDir: app.distDir, fresh }).filter((f) => f.check === 'flux paths' || f.check === 'cluster entry').map((f) => `${f.check}: ${f.problem} | ${f.fix}`);
    return { repo, app, doctor };
  }

  it('finds the bootstraps of the repository and what each applies', () => {
    const { repo, doctor } = adopted();
    assert.deepEqual(findBootstraps(repo), [{ path: 'clusters/homelab', branch: undefined }]);
    assert.deepEqual([...appliedFiles(repo, 'clusters/homelab')], ['clusters/homelab/flux-system/gotk-sync.yaml']);
    const findings = doctor();
    assert.equal(findings.length, 1, findings.join('\n'));
    assert.match(findings[0], /^cluster entry: cluster homelab: \.\/gitops\/headlamp\/dist\/clusters\/homelab\/headlamp\.yaml is applied by no Flux bootstrap here \(flux-system syncs \.\/clusters\/homelab\)/);
    assert.match(findings[0], /add the line "- \.\.\/\.\.\/gitops\/headlamp\/dist\/clusters\/homelab\/headlamp\.yaml" under resources: in clusters\/homelab\/kustomization\.yaml/);
  });

  it('passes once the cluster lists the generated file, or a Flux Kustomization points at its folder', () => {
    const listed = adopted();
    writeFileSync(join(listed.repo, 'clusters/homelab/kustomization.yaml'), 'resources:\n  - flux-system\n  - ../../gitops/headlamp/dist/clusters/homelab/headlamp.yaml\n');
    assert.deepEqual(listed.doctor(), []);
    assert.ok(appliedFiles(listed.repo, 'clusters/homelab').has('gitops/headlamp/dist/apps/headlamp/release.yaml'), 'followed through the Flux Kustomizations');
    const pointed = adopted();
    writeFileSync(join(pointed.repo, 'clusters/homelab/kustomization.yaml'), 'resources:\n  - flux-system\n  - headlamp.yaml\n');
    writeFileSync(join(pointed.repo, 'clusters/homelab/headlamp.yaml'), BOOTSTRAP('./gitops/headlamp/dist/clusters/homelab').replace('flux-system\n  namespace', 'headlamp-entry\n  namespace'));
    assert.deepEqual(pointed.doctor(), []);
  });

  it('flags Flux paths that do not exist from the Git root (distPath set as if the project were the root)', () => {
    const { doctor } = adopted({ distPath: 'dist', distDir: 'dist' });
    const findings = doctor().filter((f) => f.startsWith('flux paths'));
    assert.equal(findings.length, 2, findings.join('\n'));
    assert.match(findings[0], /^flux paths: cluster homelab: Flux Kustomization flux-system\/headlamp-namespace applies \.\/dist\/apps\/headlamp\/namespace, which does not exist from the Git root/);
  });
});
