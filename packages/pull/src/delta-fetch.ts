/**
 * Fetching a static delta's parts for `applyStaticDelta`: each part is streamed from the
 * server (never more bytes than its header declares; the delta package verifies its checksum
 * before decompressing), and the next part needed is downloaded while the current one is
 * applied, so the network and the disk work at the same time.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { deltaPartPath, inlinePart, type DeltaPartHeader, type DeltaSuperblock, type PartInput } from '@ostree-ts/delta';
import type { Repo } from '@ostree-ts/repo';
import type { Fetcher } from './fetcher.js';
import { readBody, remoteUrl, transportError } from './http.js';

/** Parts larger than this are streamed while applied rather than downloaded ahead. */
const PREFETCH_MAX_BYTES = 64 * 1024 * 1024;

async function haveAll(repo: Repo, header: DeltaPartHeader): Promise<boolean> {
  for (const o of header.objects) if (!(await repo.hasObject(o.checksum, o.type))) return false;
  return true;
}

/** The `readPart` callback for one delta, with one part of read-ahead. */
export function deltaPartReader(
  repo: Repo,
  fetcher: Fetcher,
  contentUrl: string,
  sb: DeltaSuperblock,
  onBytes: (n: number) => void,
): (index: number, header: DeltaPartHeader) => Promise<PartInput> {
  const urlOf = (i: number) => remoteUrl(contentUrl, deltaPartPath(sb.from, sb.to, i));
  const ahead = new Map<number, Promise<Uint8Array>>();

  const download = async (i: number, header: DeltaPartHeader): Promise<Uint8Array> => {
    const url = urlOf(i);
    const res = await fetcher.get(url);
    if (res === undefined) throw new OstreeError('OBJECT_NOT_FOUND', `Server returned HTTP 404 for ${url}: no delta part ${i}`);
    const bytes = await readBody(url, res.body, Number(header.size), fetcher.signal);
    onBytes(bytes.length);
    return bytes;
  };

  // A part as a stream of chunks, cut off past its declared size.
  const stream = async (i: number, header: DeltaPartHeader): Promise<AsyncIterable<Uint8Array>> => {
    const url = urlOf(i);
    const res = await fetcher.get(url);
    if (res === undefined) throw new OstreeError('OBJECT_NOT_FOUND', `Server returned HTTP 404 for ${url}: no delta part ${i}`);
    const max = Number(header.size);
    return (async function* () {
      let total = 0;
      const it = res.body[Symbol.asyncIterator]();
      try {
        for (;;) {
          let r: IteratorResult<Uint8Array>;
          try {
            r = await it.next();
          } catch (e) {
            throw transportError(url, e, fetcher.signal);
          }
          if (r.done) return;
          total += r.value.length;
          if (total > max) throw new OstreeError('NETWORK_ERROR', `URI ${url} exceeded maximum size of ${max} bytes`);
          onBytes(r.value.length);
          yield r.value;
        }
      } finally {
        await it.return?.().catch(() => undefined);
      }
    })();
  };

  // Starts downloading the next part that will be needed (not inline, not already applied).
  const prefetchAfter = async (index: number): Promise<void> => {
    for (let j = index + 1; j < sb.parts.length; j++) {
      const header = sb.parts[j]!;
      if (inlinePart(sb, j) !== undefined || (await haveAll(repo, header))) continue;
      if (header.size <= BigInt(PREFETCH_MAX_BYTES) && !ahead.has(j)) {
        const p = download(j, header);
        p.catch(() => undefined); // surfaced when the part is read
        ahead.set(j, p);
      }
      return;
    }
  };

  return async (index, header) => {
    const pending = ahead.get(index);
    ahead.delete(index);
    let input: PartInput;
    if (pending !== undefined) input = await pending;
    else if (header.size <= BigInt(PREFETCH_MAX_BYTES)) input = await download(index, header);
    else input = await stream(index, header);
    await prefetchAfter(index);
    return input;
  };
}
