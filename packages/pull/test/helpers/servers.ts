// Real HTTP servers on 127.0.0.1 for pull tests: Debian nginx serving a directory (requests
// counted from its access log), and a Node server with fault injection.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, normalize } from 'node:path';

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Nginx {
  readonly url: string;
  readonly port: number;
  /** Request paths logged so far ("GET /path STATUS"). */
  requests(): string[];
  stop(): void;
  /** SIGKILLs the master and its workers: connections die mid-transfer, nothing shuts down cleanly. */
  kill(): void;
}

/** Extra settings for {@link startNginx}. */
export interface NginxOptions {
  /** Listen on this port (e.g. to restart a killed server at the same URL). */
  readonly port?: number;
  /** Directives for the `location /` block (e.g. `limit_rate 100k;`). */
  readonly location?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts nginx (daemonized) serving `root`; all its files live under `prefix`. */
export async function startNginx(root: string, prefix: string, options: NginxOptions = {}): Promise<Nginx> {
  mkdirSync(prefix, { recursive: true });
  const port = options.port ?? (await freePort());
  const log = join(prefix, 'access.log');
  const pidFile = join(prefix, 'nginx.pid');
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `user root;
worker_processes 1;
pid ${pidFile};
error_log ${join(prefix, 'error.log')};
events { worker_connections 256; }
http {
  types { application/octet-stream bin; }
  default_type application/octet-stream;
  client_body_temp_path ${join(prefix, 'body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
  log_format counted '$request_method $uri $status';
  access_log ${log} counted;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { ${options.location ?? ''} }
  }
}
`,
  );
  if (existsSync(pidFile)) rmSync(pidFile);
  execFileSync('nginx', ['-c', conf, '-p', prefix, '-e', join(prefix, 'error.log')], { stdio: 'pipe' });
  for (let i = 0; i < 200 && !existsSync(pidFile); i++) await sleep(10);
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    kill: () => {
      let workers: number[] = [];
      try {
        workers = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
      } catch {
        // no workers
      }
      for (const p of [pid, ...workers]) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    requests: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    stop: () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/**
 * A fault for one request path: what to send instead of the file. With `times`, only the
 * first that many requests get it; later ones are served normally.
 */
export type Fault = (
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'truncate'; readonly bytes: number }
  | { readonly kind: 'replace'; readonly body: Uint8Array }
  | { readonly kind: 'file'; readonly path: string }
  /** Sends the headers and `bytes` bytes, then nothing more (the connection stays open). */
  | { readonly kind: 'stall'; readonly bytes: number }
) & { times?: number };

export interface FaultServer {
  readonly url: string;
  readonly faults: Map<string, Fault>;
  readonly requests: string[];
  close(): Promise<void>;
}

/** A static file server for `root` on 127.0.0.1 whose responses can be broken per path. */
export async function startFaultServer(root: string): Promise<FaultServer> {
  const faults = new Map<string, Fault>();
  const requests: string[] = [];
  const serveFile = (res: ServerResponse, file: string) => {
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const fault = faults.get(path);
    const file = join(root, normalize(path));
    if (fault === undefined) return serveFile(res, file);
    if (fault.times !== undefined && --fault.times <= 0) faults.delete(path);
    switch (fault.kind) {
      case 'status':
        res.writeHead(fault.status).end();
        return;
      case 'replace':
        res.writeHead(200, { 'content-length': fault.body.length }).end(fault.body);
        return;
      case 'file':
        return serveFile(res, fault.path);
      case 'stall': {
        const bytes = readFileSync(file);
        res.writeHead(200, { 'content-length': bytes.length });
        res.write(bytes.subarray(0, fault.bytes));
        return;
      }
      case 'truncate': {
        const bytes = readFileSync(file);
        // Announce the full length, send part, then drop the connection.
        res.writeHead(200, { 'content-length': bytes.length });
        res.write(bytes.subarray(0, fault.bytes), () => res.destroy());
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
