// A Git server speaking the smart HTTP protocol (Flux's Git library does not speak the dumb
// one): `git http-backend` run as a CGI program behind a small Node HTTP server on 127.0.0.1.
// Pushes are allowed (http.receivepack) without authentication: the server is loopback-only
// and lives for one run. After each successful push it calls the Flux Receiver's webhook, as a
// Git host would.
import { spawn } from 'node:child_process';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './log';
import { freePort, startProcess, waitFor } from './processes';

export interface GitServer {
  url: string;
  port: number;
}

function handle(root: string, req: IncomingMessage, res: ServerResponse, onPush: (repo: string) => void): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    REMOTE_USER: 'e2e',
    SERVER_PROTOCOL: 'HTTP/1.1',
    GATEWAY_INTERFACE: 'CGI/1.1',
  };
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
  if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);
  if (req.headers['content-length']) env.CONTENT_LENGTH = String(req.headers['content-length']);
  const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  let stderr = '';
  cgi.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) { res.write(chunk); return; }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
    if (end < 0) return;
    const sepLength = head[end] === 0x0d ? 4 : 2;
    const headerText = head.subarray(0, end).toString();
    let status = 200;
    for (const line of headerText.split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    headersDone = true;
    const rest = head.subarray(end + sepLength);
    if (rest.length) res.write(rest);
  });
  cgi.on('close', (code) => {
    if (!headersDone) res.writeHead(500);
    res.end();
    if (code !== 0) log(`git server: http-backend ${req.method} ${url.pathname} exited ${code}: ${stderr.trim()}`);
    else if (req.method === 'POST' && url.pathname.endsWith('/git-receive-pack')) onPush(url.pathname.replace(/\/git-receive-pack$/, ''));
  });
}

/** Serves every bare repository under `root` at http://127.0.0.1:<port>/<name>.git (in this process). */
export function serveGit(root: string, port: number, onPush: (repo: string) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => handle(root, req, res, onPush));
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Starts the Git server as its own process (the e2e's own git commands run synchronously
 * and would block a server in the same event loop). After each push it POSTs the URL in
 * `webhookFile`, once that file exists (the Flux Receiver, known after bootstrap).
 */
export async function startGitServer(root: string, logDir: string, webhookFile: string): Promise<GitServer> {
  const port = await freePort();
  startProcess('git-server', process.execPath, ['--import', 'tsx', __filename, root, String(port), webhookFile], { logDir, cwd: join(__dirname, '..') });
  const url = `http://127.0.0.1:${port}`;
  const up = await waitFor(async () => ((await fetch(`${url}/`).catch(() => undefined)) ? true : undefined), 30_000, 200);
  if (!up) throw new Error(`git server did not start on ${url} (see git-server.log)`);
  log(`git server: ${url}/ (git http-backend, root ${root})`);
  return { url, port };
}

if (require.main === module) {
  const [root, port, webhookFile] = process.argv.slice(2);
  void serveGit(root, Number(port), (repo) => {
    if (!existsSync(webhookFile)) return;
    const hook = readFileSync(webhookFile, 'utf8').trim();
    fetch(hook, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ repository: repo }) })
      .then((r) => log(`push to ${repo}: webhook ${r.status}`), (e: Error) => log(`push to ${repo}: webhook failed: ${e.message}`));
  }).then(() => log(`serving ${root} on 127.0.0.1:${port}`));
  process.on('SIGTERM', () => process.exit(0));
}
