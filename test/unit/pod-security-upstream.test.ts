// Pod Security `restricted` against upstream: every pass and fail pod of the
// k8s.io/pod-security-admission test data for Kubernetes 1.34, kept in
// test/fixtures/pod-security/ (origin, version and license in its README; refreshed
// by `npm run refresh-pod-security-fixtures`).
//
// Upstream names each fixture after the check it exercises (`<check id><n>.yaml`,
// lower case). The checker is judged by what the admission controller would say of
// the pod under `restricted:latest`:
// - restricted pass pods: no violation;
// - baseline pass pods (they meet baseline only): no baseline control fires;
// - fail pods (both levels): at least one violation, one of which names the
//   fixture's control as the admission controller does;
// - every pod: the violations are exactly those upstream's own evaluator reports for
//   it (admission-messages.json, one entry per control, in its order), apart from
//   the exclusions listed below with their reasons.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ManifestObject } from '../../lib';
import { podSecurityViolations } from '../../lib/policy/pod-security';

const FIXTURES = join(__dirname, '..', 'fixtures', 'pod-security');
const VERSION = 'v1.34';
const PREFIX = 'violates PodSecurity "restricted:latest": ';

/**
 * How `restricted:latest` names the control a fixture exercises, by upstream check
 * id. At restricted, three baseline checks are replaced by their restricted
 * counterparts (upstream's OverrideCheckIDs), so their fail pods are refused under
 * the restricted control's name.
 */
const CONTROLS: Readonly<Record<string, string>> = {
  allowprivilegeescalation: 'allowPrivilegeEscalation != false',
  apparmorprofile: 'forbidden AppArmor profile',
  capabilities_baseline: 'unrestricted capabilities', // replaced by capabilities_restricted
  capabilities_restricted: 'unrestricted capabilities',
  hostnamespaces: 'host namespaces',
  hostpathvolumes: 'restricted volume types', // replaced by restrictedVolumes
  hostports: 'hostPort',
  hostprobesandhostlifecycle: 'probe or lifecycle host',
  privileged: 'privileged',
  procmount: 'procMount',
  restrictedvolumes: 'restricted volume types',
  runasnonroot: 'runAsNonRoot != true',
  runasuser: 'runAsUser=0',
  seccompprofile_baseline: 'seccompProfile', // replaced by seccompProfile_restricted, same name
  seccompprofile_restricted: 'seccompProfile',
  selinuxoptions: 'seLinuxOptions',
  sysctls: 'forbidden sysctls',
  windowshostprocess: 'hostProcess',
};

/** Controls of the baseline level, none of which may fire on a baseline pass pod. */
const BASELINE_CONTROLS = [
  'forbidden AppArmor profile', 'non-default capabilities', 'host namespaces', 'hostPath volumes', 'hostPort',
  'probe or lifecycle host', 'privileged', 'procMount', 'seLinuxOptions', 'forbidden sysctls', 'hostProcess',
];

/**
 * Pods whose recorded evaluator output is not what the admission controller says.
 * The evaluator read the files as they are; the API server defaults them first.
 */
const EXCLUDED_FROM_MESSAGES: Readonly<Record<string, string>> = {
  // Volume "volume0" has no source. The API server defaults it to emptyDir (upstream's
  // generator marks it "implicit empty dir", and upstream's own test, which creates the
  // pod through the API server, passes it); the evaluator without defaulting reports
  // it as restricted volume type "unknown". The pod must still pass here.
  [`restricted/${VERSION}/pass/restrictedvolumes0.yaml`]: 'source-less volume is defaulted to emptyDir by the API server',
};

interface Fixture {
  /** `<level>/v1.34/<outcome>/<name>.yaml`, as in admission-messages.json. */
  readonly path: string;
  readonly level: string;
  readonly outcome: 'pass' | 'fail';
  /** Upstream's check id, lower case, or `base` for the minimal valid pods. */
  readonly check: string;
  readonly pod: ManifestObject;
}

function fixtures(): Fixture[] {
  const found: Fixture[] = [];
  for (const level of ['baseline', 'restricted']) {
    for (const outcome of ['pass', 'fail'] as const) {
      for (const name of readdirSync(join(FIXTURES, level, VERSION, outcome)).filter((n) => n.endsWith('.yaml')).sort()) {
        const path = `${level}/${VERSION}/${outcome}/${name}`;
        const check = /^(base)(_linux|_windows)?\.yaml$/.test(name) ? 'base' : /^([a-z_]+?)\d+\.yaml$/.exec(name)?.[1] ?? '';
        found.push({ path, level, outcome, check, pod: parse(readFileSync(join(FIXTURES, path), 'utf8')) as ManifestObject });
      }
    }
  }
  return found;
}

const ALL = fixtures();
const RECORDED = JSON.parse(readFileSync(join(FIXTURES, 'admission-messages.json'), 'utf8')) as Record<string, string[]>;

/** The checker's violations of a pod, without the common prefix (which each must carry). */
function violations(f: Fixture): string[] {
  const found = podSecurityViolations(f.pod);
  assert.ok(found !== undefined, `${f.path}: a Pod must be checked`);
  for (const m of found) assert.ok(m.startsWith(PREFIX), `${f.path}: ${m}`);
  return found.map((m) => m.slice(PREFIX.length));
}

/** Whether a violation is of the named control (`<control> (<detail>)`; AppArmor pluralizes). */
function namesControl(violation: string, control: string): boolean {
  return violation.startsWith(`${control} (`) || violation.startsWith(`${control}s (`);
}

describe('podSecurityViolations on upstream pod-security-admission fixtures', () => {
  it('has the fixtures, each named after a known check, each with upstream\'s verdict', () => {
    const counts = (level: string, outcome: string) => ALL.filter((f) => f.level === level && f.outcome === outcome).length;
    assert.deepEqual([counts('baseline', 'pass'), counts('baseline', 'fail'), counts('restricted', 'pass'), counts('restricted', 'fail')], [14, 34, 22, 74]);
    assert.deepEqual(ALL.map((f) => f.path).sort(), Object.keys(RECORDED).sort());
    for (const f of ALL) {
      assert.ok(f.pod.kind === 'Pod', f.path);
      assert.ok(f.check === 'base' || CONTROLS[f.check] !== undefined, `${f.path}: unknown check "${f.check}"`);
      assert.ok(f.outcome === 'pass' || f.check !== 'base', f.path);
    }
    for (const path of Object.keys(EXCLUDED_FROM_MESSAGES)) assert.ok(RECORDED[path] !== undefined, `exclusion of a missing fixture ${path}`);
  });

  for (const f of ALL) {
    const control = f.check === 'base' ? 'minimal valid pod' : CONTROLS[f.check];
    it(`${f.path} (${control})`, () => {
      const found = violations(f);
      if (f.outcome === 'pass' && f.level === 'restricted') {
        assert.deepEqual(found, [], `${f.path} meets restricted`);
      } else if (f.outcome === 'pass') {
        const baseline = found.filter((v) => BASELINE_CONTROLS.some((c) => namesControl(v, c)));
        assert.deepEqual(baseline, [], `${f.path} meets baseline`);
      } else {
        assert.ok(found.length > 0, `${f.path} must be refused`);
        assert.ok(found.some((v) => namesControl(v, control)), `${f.path}: expected a "${control}" violation in:\n${found.join('\n')}`);
      }
      if (EXCLUDED_FROM_MESSAGES[f.path] === undefined) {
        assert.deepEqual(found, RECORDED[f.path], `${f.path}: the admission controller's messages`);
      }
    });
  }
});
