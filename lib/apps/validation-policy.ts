// The policy `npm run validate` checks a tree on disk with: the generic checks
// and every app's own, as synth runs them for the apps it builds.
import { CheckOptions } from '../policy/manifest-check';
import { DEFAULT_CHECKS } from '../policy/default-checks';
import { Policy } from '../policy/policy';
import { CROSSVIEW_CHECKS } from './crossview/crossview-checks';
import { HEADLAMP_CHECKS } from './headlamp/headlamp-checks';

/** A policy with the checks of every app this project knows. */
export function validationPolicy(options: CheckOptions = {}): Policy {
  const policy = new Policy([...DEFAULT_CHECKS, ...HEADLAMP_CHECKS, ...CROSSVIEW_CHECKS]);
  policy.configure(options);
  return policy;
}
