/**
 * Storing an archive-mode content object (`.filez`) as it streams in: the framed header, then
 * the raw-deflate payload inflated (capped at the size the header declares) into the
 * repository, which re-hashes it and installs it only if the checksum matches.
 * @module
 */
import {
  OstreeError,
  HEADER_FRAME_BYTES,
  assertChecksumMatches,
  createContentHasher,
  isSymlinkMode,
  parseArchiveObject,
  readHeaderFrame,
} from '@ostree-ts/core';
import { createRawInflate, isCompressError } from '@ostree-ts/compress';
import { hasErrorCode } from '@ostree-ts/io';
import { joinPath, type Repo } from '@ostree-ts/repo';

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
  // A compressed payload far larger than its content (e.g. endless empty deflate blocks) is
  // refused rather than read forever: no honest encoder expands data by more than this.
  const maxCompressed = Number(archive.size) * 1.25 + 65536;
  let received = prefix.length - archive.payloadOffset;
  const inner = next;
  next = async () => {
    const c = await inner();
    if (c !== undefined) {
      received += c.length;
      if (received > maxCompressed) throw invalid(`compressed payload larger than ${Math.floor(maxCompressed)} bytes for ${archive.size} bytes of content`);
    }
    return c;
  };
  if (repo.mode === 'archive') return storeVerbatim(repo, checksum, prefix, archive, next, invalid);
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

/** Object directories known to exist, per repository (a failing mkdir per object is costly). */
const createdDirs = new WeakMap<Repo, Set<string>>();

/**
 * Into an archive repository the `.filez` is stored as received: its payload is inflated only
 * to hash it (no re-compression), and the file is renamed into place once the checksum over
 * header and inflated payload matches. Same guarantees as the repository's own writer: nothing
 * unverified becomes visible, an existing object is never replaced.
 */
async function storeVerbatim(
  repo: Repo,
  checksum: string,
  prefix: Uint8Array,
  archive: ReturnType<typeof parseArchiveObject>,
  next: () => Promise<Uint8Array | undefined>,
  invalid: (detail: string, cause?: unknown) => OstreeError,
): Promise<number> {
  const size = Number(archive.size);
  const hasher = createContentHasher(archive.header, repo.hash);
  const symlink = isSymlinkMode(archive.header.mode);
  const tmp = joinPath(repo.tmpDir, `ostree-ts-filez-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`);
  const fs = repo.fs;
  const handle = await fs.openWrite(tmp, { mode: 0o644 });
  let installed = false;
  try {
    try {
      await handle.write(prefix);
      const inflate = symlink ? undefined : createRawInflate({ maxOutputBytes: size });
      let inflated = 0;
      const feed = (chunk: Uint8Array) => {
        if (inflate === undefined) {
          if (chunk.length > 0) throw invalid('bytes after a symlink header');
          return;
        }
        for (const out of inflate.push(chunk)) {
          inflated += out.length;
          hasher.update(out);
        }
      };
      try {
        feed(prefix.subarray(archive.payloadOffset));
        for (let c = await next(); c !== undefined; c = await next()) {
          await handle.write(c);
          feed(c);
        }
        if (inflate !== undefined) {
          for (const out of inflate.end()) {
            inflated += out.length;
            hasher.update(out);
          }
        }
      } catch (e) {
        if (isCompressError(e)) throw invalid(e.message, e);
        throw e;
      }
      if (inflated !== size) throw invalid(`payload is ${inflated} bytes, its header declares ${size}`);
    } finally {
      await handle.close();
    }
    assertChecksumMatches(checksum, hasher.digest(), 'file object');
    await fs.chmod(tmp, 0o644);
    const dir = joinPath(repo.path, 'objects', checksum.slice(0, 2));
    let made = createdDirs.get(repo);
    if (made === undefined) createdDirs.set(repo, (made = new Set()));
    if (!made.has(dir)) {
      try {
        await fs.mkdir(dir, { mode: 0o775 });
      } catch (e) {
        if (!hasErrorCode(e, 'EEXIST')) throw e;
      }
      made.add(dir);
    }
    try {
      await fs.rename(tmp, joinPath(dir, `${checksum.slice(2)}.filez`), { noReplace: true });
      installed = true;
    } catch (e) {
      if (!hasErrorCode(e, 'EEXIST')) throw e;
    }
    return size;
  } finally {
    if (!installed) await fs.unlink(tmp).catch(() => undefined);
  }
}
