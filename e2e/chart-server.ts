// Stands in for the Headlamp chart repository https://kubernetes-sigs.github.io/headlamp/:
// an HTTPS server on 127.0.0.1:443 with a certificate for kubernetes-sigs.github.io signed by a
// test CA. It serves index.yaml (generated from the archives' Chart.yaml) and the archives.
// Only source-controller resolves the name to 127.0.0.1 (flux.ts runs it with a private
// /etc/hosts in its own mount namespace, and SSL_CERT_FILE set to the test CA).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse, stringify } from 'yaml';
import { log } from './log';
import { KeyPair } from './pki';
import { startProcess, waitFor } from './processes';

export const CHART_HOST = 'kubernetes-sigs.github.io';
export const CHART_PATH = '/headlamp/';
export const CHART_VERSIONS = ['0.44.0', '0.45.0'] as const;

/** The first folder that has every archive: <repo>/charts/, <repo>/test/fixtures/charts/, <repo>/../shared/fixtures/charts/. */
export function findChartArchives(projectRoot: string): string[] {
  const folders = [join(projectRoot, 'charts'), join(projectRoot, 'test', 'fixtures', 'charts'), join(projectRoot, '..', 'shared', 'fixtures', 'charts')];
  for (const folder of folders) {
    const files = CHART_VERSIONS.map((v) => join(folder, `headlamp-${v}.tgz`));
    if (files.every((f) => existsSync(f))) return files;
  }
  throw new Error(`headlamp-${CHART_VERSIONS.join('.tgz and headlamp-')}.tgz are in none of: ${folders.join(', ')}`);
}

/** One file out of a .tgz (ustar; names up to 255 characters). */
export function readFromTgz(archive: Buffer, wanted: (name: string) => boolean): string | undefined {
  const tar = gunzipSync(archive);
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if ((type === '0' || type === '') && wanted(name)) return tar.subarray(off + 512, off + 512 + size).toString('utf8');
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

/** index.yaml for the archives, as `helm repo index --url` would write it. */
export function chartIndex(archives: string[], baseUrl: string): string {
  const entries: Record<string, unknown[]> = {};
  for (const file of archives) {
    const data = readFileSync(file);
    const chartYaml = readFromTgz(data, (n) => /^[^/]+\/Chart\.yaml$/.test(n));
    if (!chartYaml) throw new Error(`${file}: no Chart.yaml`);
    const meta = parse(chartYaml) as Record<string, unknown> & { name: string };
    (entries[meta.name] ??= []).push({
      ...meta,
      created: new Date().toISOString(),
      digest: createHash('sha256').update(data).digest('hex'),
      urls: [`${baseUrl}${basename(file)}`],
    });
  }
  return stringify({ apiVersion: 'v1', entries, generated: new Date().toISOString() });
}

/** Serves the archives and their index on 127.0.0.1:443 (in this process). */
export async function serveCharts(archives: string[], cert: KeyPair): Promise<void> {
  const base = `https://${CHART_HOST}${CHART_PATH}`;
  const files = new Map<string, Buffer>([[`${CHART_PATH}index.yaml`, Buffer.from(chartIndex(archives, base))]]);
  for (const file of archives) files.set(`${CHART_PATH}${basename(file)}`, readFileSync(file));
  const server = createServer({ cert: readFileSync(cert.cert), key: readFileSync(cert.key) }, (req, res) => {
    const body = files.get(new URL(req.url ?? '/', base).pathname);
    log(`${req.method} ${req.url} ${body ? 200 : 404}`);
    if (!body) { res.writeHead(404); res.end('not found\n'); return; }
    res.writeHead(200, { 'Content-Type': req.url?.endsWith('.yaml') ? 'text/yaml' : 'application/gzip', 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.on('error', (e) => reject(new Error(`chart server: cannot listen on 127.0.0.1:443 (${e.message}); the e2e runs as root for this port`)));
    server.listen(443, '127.0.0.1', () => resolve());
  });
}

/** Starts the chart server as its own process (see git-server.ts for why). */
export async function startChartServer(archives: string[], cert: KeyPair, ca: string, logDir: string): Promise<void> {
  startProcess('chart-server', process.execPath, ['--import', 'tsx', __filename, cert.cert, cert.key, ...archives], { logDir, cwd: join(__dirname, '..') });
  const up = await waitFor(() => new Promise<true | undefined>((resolve) => {
    const req = request({ host: '127.0.0.1', port: 443, path: `${CHART_PATH}index.yaml`, servername: CHART_HOST, ca: readFileSync(ca) }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? true : undefined);
    });
    req.on('error', () => resolve(undefined));
    req.end();
  }), 30_000, 200);
  if (!up) throw new Error('chart server did not answer on https://127.0.0.1:443 (see chart-server.log)');
  log(`chart server: https://${CHART_HOST}${CHART_PATH} on 127.0.0.1:443 (${archives.map((a) => basename(a)).join(', ')})`);
}

if (require.main === module) {
  const [cert, key, ...archives] = process.argv.slice(2);
  serveCharts(archives, { cert, key }).then(() => log('serving on 127.0.0.1:443'), (e: Error) => { console.error(e.message); process.exit(1); });
  process.on('SIGTERM', () => process.exit(0));
}
