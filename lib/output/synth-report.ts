// How the tools learn where an app really publishes: they run the user's
// entry point with $HEADLAMP_DIST_DIR pointing at a scratch folder, and with
// $FLUX_HELM_APPS_SYNTH_REPORT naming a file each FluxApp adds a line to.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** The variable naming the report file. */
export const SYNTH_REPORT_ENV = 'FLUX_HELM_APPS_SYNTH_REPORT';

/** Where one FluxApp publishes when no tool redirects it. */
export interface AppPlacement {
  /** The folder it writes (absolute). */
  readonly distDir: string;
  /** That folder from the Git root, as Flux paths name it. */
  readonly distPath: string;
  /** The Git root (absolute). */
  readonly repoRoot: string;
}

/** Appends one app's placement to the report file, when one is named. */
export function reportTo(file: string | undefined, placement: AppPlacement): void {
  if (file) appendFileSync(file, `${JSON.stringify(placement)}\n`);
}

/** The placements a run reported, in construction order. */
export function readReport(file: string): AppPlacement[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as AppPlacement);
}
