/// <reference types="node" />
/**
 * An {@link HttpClient} on Node's `http`/`https` modules with keep-alive agents: less work per
 * request than `fetch` (no WHATWG Request/Response/stream objects), which matters when a pull
 * makes thousands of small requests. Node only; import from `@ostree-ts/pull/node`.
 * @module
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { HttpClient, HttpResponse } from './http.js';

const USER_AGENT = 'libostree/2022.7 ostree-ts';

/** Options of {@link nodeHttpClient}. */
export interface NodeHttpOptions {
  /** Sockets kept per host (default 16: enough for the pull's parallelism). */
  readonly maxSockets?: number;
}

/** A keep-alive HTTP(S) client for pulls on Node. Redirects (301/302/303/307/308) are followed. */
export function nodeHttpClient(options: NodeHttpOptions = {}): HttpClient {
  const maxSockets = options.maxSockets ?? 16;
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };
  const request = (url: string, init: { signal?: AbortSignal; headers?: Readonly<Record<string, string>> }, redirects: number): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const mod = u.protocol === 'https:' ? https : u.protocol === 'http:' ? http : undefined;
      if (mod === undefined) {
        reject(new Error(`unsupported URL scheme ${u.protocol}`));
        return;
      }
      const req = mod.get(
        u,
        { agent: agents[u.protocol as 'http:' | 'https:'], headers: { 'user-agent': USER_AGENT, ...init.headers }, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const status = res.statusCode ?? 0;
          const location = res.headers.location;
          if ([301, 302, 303, 307, 308].includes(status) && location !== undefined && redirects < 10) {
            res.resume();
            request(new URL(location, u).toString(), init, redirects + 1).then(resolve, reject);
            return;
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status, headers, body: bodyOf(res) });
        },
      );
      req.on('error', reject);
    });
  return { request: (url, init = {}) => request(url, init, 0) };
}

function bodyOf(res: http.IncomingMessage): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const it = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      return {
        next: () => it.next(),
        async return() {
          // Stop reading: the socket is destroyed rather than drained (the rest is unwanted).
          res.destroy();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
