/**
 * Fetching a remote's summary as ostree 2022.7 does: `summary.sig` first (conditionally, with
 * the cached copy's validators), the cached summary reused when the signature is unchanged,
 * otherwise `summary` (conditionally too); a summary fetched with a signature is cached.
 * A summary that fails verification after coming from the cache is fetched again in full.
 * @module
 */
import type { CacheValidators, Fetcher } from './fetcher.js';
import { remoteUrl } from './http.js';
import type { SummaryCache } from './summary-cache.js';

/** The summary and its signature as found on the server (or in the cache). */
export interface FetchedSummary {
  readonly summary: Uint8Array | undefined;
  readonly signature: Uint8Array | undefined;
  /** True when the summary bytes came from the cache rather than the network. */
  readonly fromCache: boolean;
}

/**
 * Checks a summary against its signature; throws to refuse it. Called with the cached summary
 * first when there is one, and again with a freshly downloaded one if that fails.
 */
export type SummaryVerifier = (summary: Uint8Array | undefined, signature: Uint8Array | undefined) => Promise<void>;

/** Fetches (or loads from `cache`) the summary of the repository at `baseUrl`. */
export async function fetchSummary(
  fetcher: Fetcher,
  baseUrl: string,
  max: number,
  cache: SummaryCache | undefined,
  verify?: SummaryVerifier,
): Promise<FetchedSummary> {
  let signature: Uint8Array | undefined;
  let sigValidators: CacheValidators = {};
  let summary: Uint8Array | undefined;
  let fromCache = false;

  const sigResult = await fetcher.getConditional(remoteUrl(baseUrl, 'summary.sig'), max, await cache?.validators(true));
  if (sigResult.kind === 'not-modified') {
    signature = await cache!.load(true);
    summary = await cache!.load(false);
    sigValidators = (await cache!.validators(true)) ?? {};
  } else if (sigResult.kind === 'ok') {
    signature = sigResult.bytes;
    sigValidators = sigResult.validators;
    if (cache !== undefined) {
      const old = await cache.load(true);
      if (old !== undefined && sameBytes(old, signature)) {
        summary = await cache.load(false);
        if (summary === undefined) await cache.dropSignature();
      }
    }
  }
  if (summary !== undefined) fromCache = true;

  let summaryValidators: CacheValidators = {};
  const download = async (conditional: boolean): Promise<void> => {
    const validators = conditional ? await cache?.validators(false) : undefined;
    const r = await fetcher.getConditional(remoteUrl(baseUrl, 'summary'), max, validators);
    if (r.kind === 'ok') {
      summary = r.bytes;
      summaryValidators = r.validators;
      fromCache = false;
    } else if (r.kind === 'not-modified') {
      summary = await cache!.load(false);
      fromCache = summary !== undefined;
    } else {
      summary = undefined;
      fromCache = false;
    }
  };
  if (summary === undefined) await download(true);

  if (verify !== undefined) {
    try {
      await verify(summary, signature);
    } catch (e) {
      if (!fromCache) throw e;
      // The cached summary does not match the signature: fetch a fresh one, no cache headers.
      await download(false);
      await verify(summary, signature);
    }
  }

  if (cache !== undefined && !fromCache && summary !== undefined && signature !== undefined) {
    await cache.save(summary, summaryValidators, signature, sigValidators);
  }
  return { summary, signature, fromCache };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
