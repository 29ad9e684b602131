/**
 * The HTTP client the puller is written against (injected, so the package runs anywhere a
 * client can be supplied), a default one on `fetch`, and the helpers that read bodies with a
 * size cap and map HTTP statuses the way ostree does (spec §6.1).
 * @module
 */
import { OstreeError, concatBytes } from '@ostree-ts/core';

/** Options of one request. */
export interface HttpRequestOptions {
  readonly signal?: AbortSignal;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A response: status, headers (lower-case names) and the body as a byte stream. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body. Consumers either iterate it to the end or call `return()` on its iterator to
   * release the connection; a transport failure while reading rejects the iteration.
   */
  readonly body: AsyncIterable<Uint8Array>;
}

/** Performs HTTP GET requests. Rejects (any error) on transport failures. */
export interface HttpClient {
  request(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
}

/** The minimal part of `fetch` {@link fetchHttpClient} uses. */
export type FetchLike = (url: string, init: { signal?: AbortSignal; headers?: Record<string, string>; redirect?: 'follow' }) => Promise<{
  readonly status: number;
  readonly headers: { forEach(cb: (value: string, key: string) => void): void };
  readonly body: ReadableStream<Uint8Array> | null;
}>;

const USER_AGENT = 'libostree/2022.7 ostree-ts';

function streamBody(stream: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      if (stream === null) return { next: async () => ({ done: true, value: undefined }) };
      const reader = stream.getReader();
      let finished = false;
      return {
        async next() {
          if (finished) return { done: true, value: undefined };
          const r = await reader.read();
          if (r.done) {
            finished = true;
            reader.releaseLock();
            return { done: true, value: undefined };
          }
          return { done: false, value: r.value };
        },
        async return() {
          if (!finished) {
            finished = true;
            await reader.cancel().catch(() => undefined);
          }
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/**
 * An {@link HttpClient} on the WHATWG `fetch` API (Node ≥ 18, browsers, Deno, Bun). Redirects
 * are followed; a `User-Agent` like ostree's is sent unless the caller sets one.
 * @param fetchImpl - the fetch to use (default `globalThis.fetch`)
 */
export function fetchHttpClient(fetchImpl: FetchLike = globalThis.fetch as unknown as FetchLike): HttpClient {
  return {
    async request(url, options = {}) {
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...options.headers };
      const res = await fetchImpl(url, { signal: options.signal, headers, redirect: 'follow' });
      const out: Record<string, string> = {};
      res.headers.forEach((value, key) => {
        out[key.toLowerCase()] = value;
      });
      return { status: res.status, headers: out, body: streamBody(res.body) };
    },
  };
}

/** Releases a body that will not be read. */
export async function discardBody(body: AsyncIterable<Uint8Array>): Promise<void> {
  const it = body[Symbol.asyncIterator]();
  await it.return?.().catch(() => undefined);
}

/** Whether an HTTP status means "not there" for ostree: 403, 404 and 410 (S3 answers 403). */
export function isNotFoundStatus(status: number): boolean {
  return status === 403 || status === 404 || status === 410;
}

/**
 * The error for an aborted operation: the signal's reason when it is already an
 * OstreeError, otherwise ABORTED with the reason as `cause`.
 */
export function abortError(signal: AbortSignal): OstreeError {
  const reason: unknown = signal.reason;
  if (reason instanceof OstreeError) return reason;
  const detail = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return new OstreeError('ABORTED', `Operation was cancelled: ${detail}`, { cause: reason });
}

/** Wraps anything a transport throws as NETWORK_ERROR (an abort becomes {@link abortError}). */
export function transportError(url: string, e: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return abortError(signal);
  if (e instanceof OstreeError) return e;
  return new OstreeError('NETWORK_ERROR', `While fetching ${url}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

/** The error for a non-2xx status other than not-found. */
export function statusError(url: string, status: number): OstreeError {
  return new OstreeError('NETWORK_ERROR', `Server returned HTTP ${status} for ${url}`);
}

/**
 * Reads a whole body, refusing more than `max` bytes (ostree's message on overflow).
 * @throws {OstreeError} NETWORK_ERROR on overflow or transport failure
 */
export async function readBody(url: string, body: AsyncIterable<Uint8Array>, max: number, signal?: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const it = body[Symbol.asyncIterator]();
  for (;;) {
    let r: IteratorResult<Uint8Array>;
    try {
      r = await it.next();
    } catch (e) {
      throw transportError(url, e, signal);
    }
    if (r.done) break;
    total += r.value.length;
    if (total > max) {
      await it.return?.().catch(() => undefined);
      throw new OstreeError('NETWORK_ERROR', `URI ${url} exceeded maximum size of ${max} bytes`);
    }
    chunks.push(r.value);
  }
  return concatBytes(chunks);
}

/**
 * The URL of `path` under a base URL, as ostree builds it: the path is appended to the base
 * path with duplicate slashes collapsed; the base's query string and fragment are kept.
 */
export function remoteUrl(base: string, path: string): string {
  let u: URL;
  try {
    u = new URL(base);
  } catch (cause) {
    throw new OstreeError('INVALID_CONFIG', `Invalid URL '${base}'`, { cause });
  }
  u.pathname = `${u.pathname}/${path}`.replace(/\/{2,}/g, '/');
  return u.toString();
}
