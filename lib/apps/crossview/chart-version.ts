// Crossview's releases are tagged `v3.4.0`, its chart is version `3.4.0`:
// users paste the tag, Flux and Helm want the version.

/** A version as given, and the chart version it stands for, with a note when they differ. */
export interface NormalizedVersion {
  readonly version: string;
  /**
   * What was changed and why.
   * @default - nothing changed
   */
  readonly note?: string;
}

/** Drops a leading `v` from a release tag (`v3.4.0` → `3.4.0`, `v3.8.0-rc.3` → `3.8.0-rc.3`); other versions are left as they are. */
export function normalizeChartVersion(given: string): NormalizedVersion {
  const m = /^[vV](\d+\.\d+\.\d+(?:[-+].*)?)$/.exec(given.trim());
  if (m === null) return { version: given };
  return { version: m[1], note: `chart version "${given}" is a release tag: using chart version "${m[1]}" (the chart's OCI tag has no "v")` };
}
