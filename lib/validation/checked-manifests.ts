// `cdk8s synth` runs the app, then the validation plugin over the manifests the
// app wrote: the same checks on the same objects, twice. So the app writes its
// verdicts beside the manifests, each with the SHA-256 of the manifest's bytes,
// and the plugin's loader (plugins/headlamp-policy) replays a verdict when the
// file and the check options are unchanged; it checks every other file itself.
import { createHash } from 'node:crypto';
import { ManifestVerdict } from './cdk8s-plugin';
import { ObjectCheckOptions } from './object-checks';

/** Name of the record in the cdk8s-cli output folder (not `*.k8s.yaml`, so cdk8s-cli does not read it as a manifest). */
export const CHECKED_MANIFESTS_FILE = 'headlamp-checked-manifests.json';

/** The record: the options the app checked with, and per manifest file name its hash and verdict. */
export interface CheckedManifests {
  readonly options: ObjectCheckOptions;
  readonly files: Readonly<Record<string, ManifestVerdict & { readonly sha256: string }>>;
}

/** SHA-256 of a manifest's text as written (UTF-8), in hex. */
export function manifestDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
