/**
 * Storing an archive-mode content object (`.filez`) as it streams in: the framed header, then
 * the raw-deflate payload inflated (capped at the size the header declares) into the
 * repository, which re-hashes it and installs it only if the checksum matches.
 * @module
 */
import { OstreeError, HEADER_FRAME_BYTES, isSymlinkMode, parseArchiveObject, readHeaderFrame } from '@ostree-ts/core';
import { createRawInflate, isCompressError } from '@ostree-ts/compress';
import type { Repo } from '@ostree-ts/repo';

/**
 * Reads a `.filez` from `next` (which returns undefined at the end of the body) and stores it
 * as `checksum` in the repository's own mode.
 * @returns the uncompressed content size
 * @throws {OstreeError} INVALID_OBJECT for a malformed or short object, CHECKSUM_MISMATCH for
 *   the wrong bytes (nothing is stored in either case)
 */
export async function storeFilez(
  repo: Repo,
  checksum: string,
  source: string,
  next: () => Promise<Uint8Array | undefined>,
): Promise<number> {
  const invalid = (detail: string, cause?: unknown) =>
    new OstreeError('INVALID_OBJECT', `Corrupted content object ${checksum} from ${source}: ${detail}`, { cause });
  // The framed header: 8 bytes of frame, then its length.
  let prefix = new Uint8Array(0);
  let need = HEADER_FRAME_BYTES;
  let headerKnown = false;
  for (;;) {
    if (!headerKnown && prefix.length >= HEADER_FRAME_BYTES) {
      need = HEADER_FRAME_BYTES + readHeaderFrame(prefix);
      headerKnown = true;
    }
    if (headerKnown && prefix.length >= need) break;
    const chunk = await next();
    if (chunk === undefined) throw invalid('truncated header');
    const grown = new Uint8Array(prefix.length + chunk.length);
    grown.set(prefix);
    grown.set(chunk, prefix.length);
    prefix = grown;
  }
  const archive = parseArchiveObject(prefix);
  if (archive.size > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`declared size ${archive.size} too large`);
  const size = Number(archive.size);
  const header = archive.header;
  const rest = prefix.subarray(archive.payloadOffset);
  const symlink = isSymlinkMode(header.mode);
  if (symlink && size !== 0) throw invalid('symlink with a payload size');
  async function* payload(): AsyncGenerator<Uint8Array> {
    if (symlink) {
      if (rest.length > 0) throw invalid('bytes after a symlink header');
      for (let c = await next(); c !== undefined; c = await next()) if (c.length > 0) throw invalid('bytes after a symlink header');
      return;
    }
    const inflate = createRawInflate({ maxOutputBytes: size });
    try {
      if (rest.length > 0) yield* inflate.push(rest);
      for (let c = await next(); c !== undefined; c = await next()) yield* inflate.push(c);
      yield* inflate.end();
    } catch (e) {
      if (isCompressError(e)) throw invalid(e.message, e);
      throw e;
    }
  }
  try {
    await repo.writeContent({ header, size, payload: payload() }, { expectedChecksum: checksum });
  } catch (e) {
    // A payload shorter than its declared size.
    if (e instanceof OstreeError && e.code === 'INVALID_ARGUMENT') throw invalid(e.message, e);
    throw e;
  }
  return size;
}
