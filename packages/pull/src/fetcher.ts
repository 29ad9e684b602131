/**
 * The request layer a pull runs on: GETs through the (resilient) HTTP client with the pull's
 * abort signal, ostree's status mapping, byte counting for progress, and conditional
 * requests (ETag / Last-Modified) for the summary cache.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import {
  abortError,
  discardBody,
  isNotFoundStatus,
  readBody,
  statusError,
  transportError,
  type HttpClient,
  type HttpResponse,
} from './http.js';

/** Validators a server sent with a file, for a later conditional request. */
export interface CacheValidators {
  readonly etag?: string;
  /** Seconds since the epoch (HTTP `Last-Modified`). */
  readonly lastModified?: number;
}

/** The outcome of a conditional GET of a small file. */
export type ConditionalResult =
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'ok'; readonly bytes: Uint8Array; readonly validators: CacheValidators };

/** Parses an HTTP date into seconds since the epoch (undefined when absent or malformed). */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : undefined;
}

export class Fetcher {
  /** Bytes received in bodies so far (as transferred, i.e. compressed). */
  bytesTransferred = 0;
  /** Requests made (not counting retries inside the client). */
  requests = 0;

  constructor(
    private readonly http: HttpClient,
    readonly signal: AbortSignal,
  ) {}

  /** Throws the abort error if the pull was cancelled or failed elsewhere. */
  checkAborted(): void {
    if (this.signal.aborted) throw abortError(this.signal);
  }

  private async request(url: string, headers?: Record<string, string>): Promise<HttpResponse> {
    this.checkAborted();
    this.requests++;
    try {
      return await this.http.request(url, { signal: this.signal, ...(headers ? { headers } : {}) });
    } catch (e) {
      throw transportError(url, e, this.signal);
    }
  }

  /** GET; undefined for not-found statuses; NETWORK_ERROR for transport failures and other statuses. */
  async get(url: string): Promise<HttpResponse | undefined> {
    const res = await this.request(url);
    if (res.status >= 200 && res.status < 300) return res;
    await discardBody(res.body);
    if (isNotFoundStatus(res.status)) return undefined;
    throw statusError(url, res.status);
  }

  /** A whole small file; undefined when the server does not have it. */
  async getBytes(url: string, max: number): Promise<Uint8Array | undefined> {
    const res = await this.get(url);
    if (res === undefined) return undefined;
    const bytes = await readBody(url, res.body, max, this.signal);
    this.bytesTransferred += bytes.length;
    return bytes;
  }

  /** A small file fetched with `If-None-Match` / `If-Modified-Since` from `cached`. */
  async getConditional(url: string, max: number, cached: CacheValidators | undefined): Promise<ConditionalResult> {
    const headers: Record<string, string> = {};
    if (cached?.etag !== undefined) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified !== undefined && cached.lastModified > 0) {
      headers['if-modified-since'] = new Date(cached.lastModified * 1000).toUTCString();
    }
    const res = await this.request(url, headers);
    if (res.status === 304) {
      await discardBody(res.body);
      if (cached === undefined) throw new OstreeError('NETWORK_ERROR', `Server returned HTTP 304 for ${url} to an unconditional request`);
      return { kind: 'not-modified' };
    }
    if (res.status < 200 || res.status >= 300) {
      await discardBody(res.body);
      if (isNotFoundStatus(res.status)) return { kind: 'not-found' };
      throw statusError(url, res.status);
    }
    const bytes = await readBody(url, res.body, max, this.signal);
    this.bytesTransferred += bytes.length;
    const etag = res.headers['etag'];
    const lastModified = parseHttpDate(res.headers['last-modified']);
    return {
      kind: 'ok',
      bytes,
      validators: { ...(etag !== undefined ? { etag } : {}), ...(lastModified !== undefined ? { lastModified } : {}) },
    };
  }
}
