// Test certificates, made with openssl at run time and deleted at exit: the cluster CA
// (API server serving cert, admin client cert), the service-account signing key pair,
// and a separate CA for the chart server that stands in for kubernetes-sigs.github.io.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './processes';

export interface KeyPair { cert: string; key: string }

function openssl(dir: string, args: string[]): void {
  run('openssl', args, { cwd: dir });
}

/** A self-signed CA valid for one day. */
export function makeCa(dir: string, name: string, cn: string): KeyPair {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', pair.key, '-out', pair.cert,
    '-days', '1', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
  return pair;
}

/** A leaf certificate signed by `ca`. `subject` like `/CN=admin/O=system:masters`; `sans` like `IP:127.0.0.1,DNS:localhost`. */
export function makeCert(dir: string, ca: KeyPair, name: string, subject: string, usage: 'server' | 'client', sans?: string): KeyPair {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    ...(sans ? [`subjectAltName=${sans}`] : []),
  ].join('\n'));
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', pair.key, '-out', csr, '-subj', subject]);
  openssl(dir, ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', pair.cert, '-days', '1', '-extfile', ext]);
  return pair;
}

/** RSA key pair for signing service-account tokens. */
export function makeServiceAccountKey(dir: string): { key: string; pub: string } {
  const key = join(dir, 'sa.key');
  const pub = join(dir, 'sa.pub');
  openssl(dir, ['genrsa', '-out', key, '2048']);
  openssl(dir, ['rsa', '-in', key, '-pubout', '-out', pub]);
  return { key, pub };
}
