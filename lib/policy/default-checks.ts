// The checks every app gets, whatever its chart.
import { plaintextValuesViolations } from '../charts/plaintext-values';
import { chartValuesCheck, chartVersionCheck } from '../charts/release-checks';
import { apiSchemaViolations } from './api-schema';
import { imageViolations } from './image-policy';
import { errorCheck, ManifestCheck } from './manifest-check';
import { exposureViolations, namespaceViolations } from './placement-policy';
import { podSecurityViolations } from './pod-security';
import { rbacCheck } from './rbac-policy';
import { secretViolations } from './secret-policy';

const schemaCheck: ManifestCheck = {
  name: 'schema',
  run: (obj, { options }) => {
    if (options.schema === false) return undefined;
    const violations = apiSchemaViolations(obj);
    return violations === undefined
      ? [{ severity: 'unchecked', message: `no API schema known for ${obj.apiVersion} ${obj.kind}: add its CRD to cdk8s.yaml imports and run npm run import:offline` }]
      : violations.map((message) => ({ severity: 'error', message }));
  },
};

/** Pod Security, RBAC, Secrets, images, namespaces, exposure, API schema, chart pin, chart values and credentials in plain values. */
export const DEFAULT_CHECKS: readonly ManifestCheck[] = [
  errorCheck('pod-security', podSecurityViolations),
  rbacCheck,
  errorCheck('secrets', secretViolations, true),
  errorCheck('images', imageViolations, true),
  errorCheck('namespace', namespaceViolations),
  errorCheck('exposure', exposureViolations, true),
  chartVersionCheck,
  chartValuesCheck,
  errorCheck('plaintext-values', plaintextValuesViolations, true),
  schemaCheck,
];
