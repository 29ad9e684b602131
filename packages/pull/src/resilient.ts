/**
 * Transport robustness as an HttpClient decorator: retries with exponential backoff on
 * connection failures and 5xx (or 408/429) answers, transparent resumption of a body that
 * breaks mid-stream (the request is made again and the bytes already delivered are skipped,
 * so no server Range support is needed), and a stall timeout so a dead link ends in an
 * error instead of a hang (in the spirit of libcurl's low-speed limit that ostree sets).
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import type { HttpClient, HttpRequestOptions, HttpResponse } from './http.js';

/** Options for {@link resilientHttpClient}. */
export interface ResilienceOptions {
  /** Extra attempts after a failure (ostree's `n-network-retries` default: 5). */
  readonly retries?: number;
  /** First backoff delay; doubles each retry (default 100 ms). */
  readonly backoffMs?: number;
  /** Fail when no response or no body data arrives for this long (default 30 s). */
  readonly stallTimeoutMs?: number;
}

const RETRYABLE_STATUS = (s: number) => s >= 500 || s === 408 || s === 429;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

class Stall extends Error {}

// One listener per caller signal, however many requests are in flight on it (a listener per
// request would pile up on a pull's signal): it aborts every live attempt's controller.
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

/** Aborts `controller` when `signal` aborts, until the returned release function is called. */
function followAbort(signal: AbortSignal, controller: AbortController): () => void {
  let live = followers.get(signal);
  if (live === undefined) {
    const set = new Set<AbortController>();
    live = set;
    followers.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        for (const c of set) c.abort(signal.reason);
        set.clear();
      },
      { once: true },
    );
  }
  live.add(controller);
  const set = live;
  return () => void set.delete(controller);
}

// Races `p` against the stall timer; aborts the attempt's controller when it fires.
async function withinStall<T>(p: Promise<T>, ms: number, controller: AbortController, url: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new Stall(`no data from ${url} for ${ms / 1000} s`);
      controller.abort(e);
      reject(e);
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Wraps `inner` with retries, mid-body resumption and a stall timeout. */
export function resilientHttpClient(inner: HttpClient, options: ResilienceOptions = {}): HttpClient {
  const retries = options.retries ?? 5;
  const backoff = options.backoffMs ?? 100;
  const stallMs = options.stallTimeoutMs ?? 30_000;

  // One attempt: a response whose body is guarded by the stall timer.
  // `release` unhooks the attempt from the caller's signal once its body is done with (a pull
  // makes thousands of requests on one signal).
  const attempt = async (url: string, init: HttpRequestOptions): Promise<Attempt> => {
    const controller = new AbortController();
    const outer = init.signal;
    if (outer?.aborted) throw outer.reason;
    const release = outer === undefined ? () => undefined : followAbort(outer, controller);
    try {
      const res = await withinStall(inner.request(url, { ...init, signal: controller.signal }), stallMs, controller, url);
      return { res, controller, release };
    } catch (e) {
      release();
      throw e;
    }
  };

  const retryable = (e: unknown, outer?: AbortSignal) => !outer?.aborted && !(e instanceof OstreeError && e.code !== 'NETWORK_ERROR');

  return {
    async request(url, init = {}) {
      const outer = init.signal;
      let lastError: unknown;
      for (let i = 0; i <= retries; i++) {
        if (i > 0) await sleep(backoff * 2 ** (i - 1), outer);
        let first: Attempt;
        try {
          first = await attempt(url, init);
        } catch (e) {
          if (!retryable(e, outer)) throw e;
          lastError = e;
          continue;
        }
        if (RETRYABLE_STATUS(first.res.status) && i < retries) {
          lastError = new OstreeError('NETWORK_ERROR', `Server returned HTTP ${first.res.status} for ${url}`);
          try {
            for await (const _ of first.res.body) void _; // drain so the connection can be reused
          } catch {
            /* the next attempt will tell */
          } finally {
            first.release();
          }
          continue;
        }
        const triesLeft = retries - i;
        return { status: first.res.status, headers: first.res.headers, body: resumingBody(url, init, first, triesLeft) };
      }
      if (lastError instanceof Stall) throw new OstreeError('NETWORK_ERROR', `Timeout: ${lastError.message}`, { cause: lastError });
      throw lastError;
    },
  };

  // The body of `first`; if it breaks (or stalls) mid-way, the request is made again (up to
  // `triesLeft` times) and the bytes already delivered are skipped in the new body. The live
  // attempt is released when the body ends, fails, or is closed before it was read.
  function resumingBody(url: string, init: HttpRequestOptions, first: Attempt, triesLeft: number): AsyncIterable<Uint8Array> {
    let current = first;
    let it: AsyncIterator<Uint8Array> | undefined;
    async function* read(): AsyncGenerator<Uint8Array> {
      try {
        yield* readResuming();
      } finally {
        // Also when the consumer stops early: the response must be closed.
        await it?.return?.().catch(() => undefined);
      }
    }
    async function* readResuming(): AsyncGenerator<Uint8Array> {
      let delivered = 0;
      for (let attemptNo = 0; ; attemptNo++) {
        let skip = delivered;
        it = current.res.body[Symbol.asyncIterator]();
        try {
          for (;;) {
            const r = await withinStall(it.next(), stallMs, current.controller, url);
            if (r.done) return;
            let chunk = r.value;
            if (skip > 0) {
              if (chunk.length <= skip) {
                skip -= chunk.length;
                continue;
              }
              chunk = chunk.subarray(skip);
              skip = 0;
            }
            delivered += chunk.length;
            yield chunk;
          }
        } catch (e) {
          await it.return?.().catch(() => undefined);
          it = undefined;
          if (attemptNo >= triesLeft || init.signal?.aborted) {
            if (e instanceof Stall) throw new OstreeError('NETWORK_ERROR', `Timeout: ${e.message}`, { cause: e });
            throw e;
          }
          await sleep(backoff * 2 ** attemptNo, init.signal);
          current.release();
          current = await attempt(url, init);
          if (current.res.status < 200 || current.res.status >= 300) {
            throw new OstreeError('NETWORK_ERROR', `Server returned HTTP ${current.res.status} for ${url} while resuming`);
          }
        }
      }
    }
    return {
      [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
        const gen = read();
        let started = false;
        return {
          async next() {
            started = true;
            try {
              const r = await gen.next();
              if (r.done) current.release();
              return r;
            } catch (e) {
              current.release();
              throw e;
            }
          },
          async return(value?: unknown) {
            // A generator closed before its first next() never runs its body: close the response here.
            if (!started) await current.res.body[Symbol.asyncIterator]().return?.().catch(() => undefined);
            current.release();
            return gen.return(value as undefined);
          },
        };
      },
    };
  }
}

interface Attempt {
  readonly res: HttpResponse;
  readonly controller: AbortController;
  readonly release: () => void;
}
