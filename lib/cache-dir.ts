import { dirname, join } from 'node:path';

/**
 * `node_modules/.cache/headlamp-homelab/<sub>`: extracted tools, pulled charts
 * and compiled schema validators. Found through the installed cdk8s, so it is
 * the same folder whether the code runs from lib/ or from a bundle.
 */
export function cacheDir(...sub: string[]): string {
  const nodeModules = dirname(dirname(require.resolve('cdk8s/package.json')));
  return join(nodeModules, '.cache', 'headlamp-homelab', ...sub);
}
