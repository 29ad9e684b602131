/**
 * Reading content objects back in each repository mode: the header ostree would hash, the
 * payload size, and the payload as a lazy stream.
 * @module
 */
import {
  HEADER_FRAME_BYTES,
  OstreeError,
  S_IFMT,
  canonicalXattrs,
  decodeArchiveHeader,
  decodeBareUserMeta,
  isSymlinkMode,
  readHeaderFrame,
  xattr,
  type FileHeader,
  type Xattr,
} from '@ostree-ts/core';
import { createRawInflate } from '@ostree-ts/compress';
import { hasErrorCode, type Fs, type ReadHandle } from '@ostree-ts/io';
import { objectPath } from './paths.js';
import type { StoreContext } from './store-context.js';

/** A content object as stored: metadata now, payload on demand. */
export interface ContentObject {
  readonly checksum: string;
  readonly header: FileHeader;
  /** Uncompressed payload length (0 for symlinks). */
  readonly size: number;
  /** The payload in chunks; each call starts a new read. */
  chunks(): AsyncIterable<Uint8Array>;
  /** The whole payload in memory. */
  readAll(): Promise<Uint8Array>;
  /** Path of the stored object file (what hardlink checkouts link to). */
  readonly path: string;
}

const CHUNK = 64 * 1024;

async function readExactly(handle: ReadHandle, length: number, position: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = await handle.read(buf, done, length - done, position + done);
    if (n === 0) throw new OstreeError('INVALID_OBJECT', 'truncated content object');
    done += n;
  }
  return buf;
}

// Reads the file from `start` in chunks; with a known `size`, buffers are no larger than what
// is left to read (small objects do not pay for a 64 KiB allocation each).
async function* handleChunks(fs: Fs, path: string, start: number, size?: number): AsyncIterable<Uint8Array> {
  const handle = await fs.openRead(path);
  try {
    for (let pos = start; ; ) {
      const want = size === undefined ? CHUNK : Math.min(CHUNK, Math.max(size - pos, 1));
      const buf = new Uint8Array(want);
      const n = await handle.read(buf, 0, want, pos);
      if (n === 0) return;
      pos += n;
      yield n === want ? buf : buf.subarray(0, n);
    }
  } finally {
    await handle.close();
  }
}

async function collect(chunks: AsyncIterable<Uint8Array>, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let pos = 0;
  for await (const c of chunks) {
    if (pos + c.length > size) throw new OstreeError('INVALID_OBJECT', 'content object payload longer than declared');
    out.set(c, pos);
    pos += c.length;
  }
  if (pos !== size) throw new OstreeError('INVALID_OBJECT', 'content object payload shorter than declared');
  return out;
}

function makeObject(checksum: string, path: string, header: FileHeader, size: number, chunks: () => AsyncIterable<Uint8Array>): ContentObject {
  return { checksum, path, header, size, chunks, readAll: () => collect(chunks(), size) };
}

/** Extended attributes as ostree reads them from disk: sorted, empty values dropped. */
export async function readDiskXattrs(fs: Fs, path: string): Promise<Xattr[]> {
  const raw = await fs.getXattrs(path);
  return canonicalXattrs(raw.filter(([, v]) => v.length > 0).map(([n, v]) => xattr(n, v)));
}

/** How much of an archive object the first read takes: the header and, usually, the whole payload. */
const ARCHIVE_READ_AHEAD = 128 * 1024;

// Reads up to `length` bytes at `position` (fewer only at end of file).
async function readUpTo(handle: ReadHandle, length: number, position: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = await handle.read(buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

async function loadArchive(ctx: StoreContext, checksum: string, path: string): Promise<ContentObject> {
  // One open, one read: the header and, for most objects, the whole deflate stream.
  const handle = await ctx.fs.openRead(path);
  let header: FileHeader;
  let size: bigint;
  let payloadOffset: number;
  let whole: Uint8Array | undefined;
  try {
    let head = await readUpTo(handle, ARCHIVE_READ_AHEAD, 0);
    const atEnd = head.length < ARCHIVE_READ_AHEAD;
    const length = readHeaderFrame(head);
    payloadOffset = HEADER_FRAME_BYTES + length;
    if (head.length < payloadOffset) {
      if (atEnd) throw new OstreeError('INVALID_OBJECT', 'truncated content object');
      head = await readExactly(handle, payloadOffset, 0);
    }
    ({ header, size } = decodeArchiveHeader(head.subarray(HEADER_FRAME_BYTES, payloadOffset)));
    if (atEnd) whole = head.subarray(payloadOffset);
  } finally {
    await handle.close();
  }
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new OstreeError('INVALID_OBJECT', `archive object ${checksum} declares an absurd size`);
  const n = Number(size);
  if (isSymlinkMode(header.mode)) return makeObject(checksum, path, header, 0, async function* () {});
  const compressed = whole;
  const chunks = async function* (): AsyncIterable<Uint8Array> {
    const inflate = createRawInflate({ maxOutputBytes: n });
    if (compressed !== undefined) yield* inflate.push(compressed);
    else for await (const c of handleChunks(ctx.fs, path, payloadOffset)) yield* inflate.push(c);
    yield* inflate.end();
  };
  return makeObject(checksum, path, header, n, chunks);
}

async function loadBare(ctx: StoreContext, checksum: string, path: string): Promise<ContentObject> {
  const { fs } = ctx;
  const st = await fs.lstat(path);
  const userOnly = ctx.mode === 'bare-user-only';
  const xattrs = userOnly || ctx.disableXattrs ? [] : await readDiskXattrs(fs, path);
  const base = { uid: userOnly ? 0 : st.uid, gid: userOnly ? 0 : st.gid, mode: st.mode, rdev: 0, xattrs };
  if (st.type === 'symlink') {
    return makeObject(checksum, path, { ...base, symlinkTarget: await fs.readlink(path) }, 0, async function* () {});
  }
  if (st.type !== 'file') throw new OstreeError('INVALID_OBJECT', `object ${checksum} is not a regular file or symlink`);
  return makeObject(checksum, path, { ...base, symlinkTarget: '' }, st.size, () => handleChunks(fs, path, 0, st.size));
}

async function loadBareUser(ctx: StoreContext, checksum: string, path: string): Promise<ContentObject> {
  const { fs } = ctx;
  const meta = await fs.getXattr(path, 'user.ostreemeta');
  if (meta === undefined) {
    throw new OstreeError('INVALID_OBJECT', `Opening content object ${checksum}: fgetxattr(user.ostreemeta): No data available`);
  }
  const m = decodeBareUserMeta(meta);
  const st = await fs.lstat(path);
  if (st.type !== 'file') throw new OstreeError('INVALID_OBJECT', `object ${checksum} is not a regular file`);
  if ((m.mode & S_IFMT) === 0o120000) {
    const bytes = await fs.readFile(path);
    if (bytes.length < 2 || bytes[bytes.length - 1] !== 0) throw new OstreeError('INVALID_OBJECT', `symlink object ${checksum} is malformed`);
    const target = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, -1));
    return makeObject(checksum, path, { ...m, rdev: 0, symlinkTarget: target }, 0, async function* () {});
  }
  return makeObject(checksum, path, { ...m, rdev: 0, symlinkTarget: '' }, st.size, () => handleChunks(fs, path, 0, st.size));
}

/**
 * Opens a content object.
 * @throws {OstreeError} OBJECT_NOT_FOUND when absent; INVALID_OBJECT when malformed
 */
export async function loadContentObject(ctx: StoreContext, checksum: string): Promise<ContentObject> {
  const path = objectPath(ctx.repoPath, ctx.mode, checksum, 'file');
  try {
    switch (ctx.mode) {
      case 'archive':
        return await loadArchive(ctx, checksum, path);
      case 'bare-user':
        return await loadBareUser(ctx, checksum, path);
      default:
        return await loadBare(ctx, checksum, path);
    }
  } catch (e) {
    if (hasErrorCode(e, 'ENOENT')) throw new OstreeError('OBJECT_NOT_FOUND', `No such file object ${checksum}`, { cause: e });
    throw e;
  }
}

