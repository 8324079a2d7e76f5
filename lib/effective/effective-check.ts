// The policy, run on what each cluster will get (see cluster-build.ts): every
// object each cluster's Flux Kustomizations apply, and what each HelmRelease
// among them renders; plus what could not be built, and objects defined twice.
import { describeObject } from '../policy/finding';
import { duplicateObjectProblems } from '../policy/duplicate-objects';
import { Policy } from '../policy/policy';
import { ObjectReport } from '../policy/report';
import { BuildSource, buildClusters } from './cluster-build';

/** Reports of every cluster's effective objects, labelled `<object> (cluster <c>, <what applies it>)`. */
export function checkEffective(policy: Policy, source: BuildSource): ObjectReport[] {
  const reports: ObjectReport[] = [];
  for (const build of buildClusters(source)) {
    const label = (what: string) => `${what} (cluster ${build.cluster})`;
    reports.push(...policy.checkObjects(build.objects.map((o) => o.obj), build.objects.map((o) => label(`${describeObject(o.obj)} via ${o.via}`))));
    for (const p of build.problems) {
      const object = label(p.where);
      reports.push({ object, checks: ['build'], findings: [{ object, check: 'build', severity: p.severity, message: p.message }] });
    }
    const duplicates = duplicateObjectProblems(build.objects.map((o) => ({ path: o.via, obj: o.obj })));
    if (duplicates.length > 0) {
      const object = label('(all objects)');
      reports.push({ object, checks: ['duplicates'], findings: duplicates.map((message) => ({ object, check: 'duplicates', severity: 'error' as const, message })) });
    }
  }
  return reports;
}
