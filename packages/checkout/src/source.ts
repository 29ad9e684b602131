/**
 * Reading content objects the way a checkout needs them, with as few filesystem calls as
 * possible: ostree's `ostree_repo_load_file` answer (type, mode, owner, size) first, then the
 * full header (xattrs, symlink target) and the payload only when a copy needs them.
 *
 * - bare / bare-user-only: one lstat decides a hardlink; xattrs are read only for copies
 *   outside user mode, the target only for symlinks.
 * - archive: one open and one read of up to 128 KiB gives the header and, for most objects,
 *   the whole deflate stream, inflated in one call; larger objects are streamed.
 * - bare-user (and anything else): through the repository's `loadContent`.
 * @module
 */
import {
  HEADER_FRAME_BYTES,
  OstreeError,
  decodeArchiveHeader,
  isSymlinkMode,
  readHeaderFrame,
  type FileHeader,
  type RepoMode,
} from '@ostree-ts/core';
import { createRawInflate, inflateRaw } from '@ostree-ts/compress';
import { hasErrorCode, type Fs, type ReadHandle, type Stat } from '@ostree-ts/io';
import { readDiskXattrs, type ContentObject, type Repo } from '@ostree-ts/repo';

/** What ostree's `ostree_repo_load_file` reports about an object, and how to get the rest. @internal */
export interface SourceInfo {
  readonly checksum: string;
  readonly isSymlink: boolean;
  /** Full st_mode of the object as committed. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Payload size (0 for symlinks). */
  readonly size: number;
  /** The object file (what a hardlink checkout links to in bare-family repos). */
  readonly path: string;
  /** The object file's inode (bare and bare-user-only): a hardlink of it shares them. */
  readonly dev?: bigint;
  readonly ino?: bigint;
  /** The complete header, when already known. */
  readonly header?: FileHeader;
  /** archive: the whole deflate stream, when it was read with the header. */
  readonly compressed?: Uint8Array;
  /** archive: where the deflate stream starts in the object file. */
  readonly payloadOffset?: number;
  /** Objects read through the repository. */
  readonly content?: ContentObject;
}

/** Payloads up to this size are read (or inflated) into one buffer and written in one call. */
export const WHOLE_PAYLOAD_BYTES = 4 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const ARCHIVE_READ_AHEAD = 128 * 1024;
/** Object metadata kept per checksum (hardlinked duplicates); cleared when full. */
const INFO_CACHE_MAX = 8192;
const EMPTY = new Uint8Array(0);

function notFound(checksum: string, cause: unknown): OstreeError {
  return new OstreeError('OBJECT_NOT_FOUND', `No such file object ${checksum}`, { cause });
}

function wrongSize(checksum: string, detail: string): OstreeError {
  return new OstreeError('INVALID_OBJECT', `Corrupted file object ${checksum}: ${detail}`);
}

async function readFully(handle: ReadHandle, buf: Uint8Array, position: number): Promise<number> {
  let filled = 0;
  while (filled < buf.length) {
    const n = await handle.read(buf, filled, buf.length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled;
}

/** @internal */
export class SourceReader {
  readonly #repo: Repo;
  readonly #fs: Fs;
  readonly #mode: RepoMode;
  readonly #objectsDir: string;
  /** Decide hardlinks from an lstat alone (bare / bare-user-only in their hardlink mode). */
  readonly #lstatOnly: boolean;
  readonly #wantXattrs: boolean;
  #cache = new Map<string, Promise<SourceInfo>>();
  readonly #buffers: Uint8Array[] = [];

  constructor(repo: Repo, options: { readonly hardlinkable: boolean; readonly forceCopy: boolean; readonly userMode: boolean }) {
    this.#repo = repo;
    this.#fs = repo.fs;
    this.#mode = repo.mode;
    this.#objectsDir = `${repo.path}/objects`;
    this.#lstatOnly = options.hardlinkable && !options.forceCopy;
    // User-mode copies never set xattrs, and bare-user-only / disable-xattrs repos have none.
    this.#wantXattrs = !options.userMode && this.#mode === 'bare' && !repo.settings.disableXattrs;
  }

  /** Path of a content object in bare form (`objects/ab/cdef….file`). */
  objectFile(checksum: string): string {
    return `${this.#objectsDir}/${checksum.slice(0, 2)}/${checksum.slice(2)}.file`;
  }

  /** ostree_repo_load_file's file info. Cached per checksum, except archive objects (which carry their payload). */
  info(checksum: string): Promise<SourceInfo> {
    if (this.#mode === 'archive') return this.#loadArchive(checksum);
    let p = this.#cache.get(checksum);
    if (p === undefined) {
      p = this.#load(checksum);
      if (this.#cache.size >= INFO_CACHE_MAX) this.#cache = new Map();
      this.#cache.set(checksum, p);
      p.catch(() => this.#cache.delete(checksum));
    }
    return p;
  }

  async #load(checksum: string): Promise<SourceInfo> {
    const mode = this.#mode;
    if (mode === 'bare' || mode === 'bare-user-only') {
      const path = this.objectFile(checksum);
      let st: Stat;
      try {
        st = await this.#fs.lstat(path);
      } catch (e) {
        if (hasErrorCode(e, 'ENOENT')) throw notFound(checksum, e);
        throw e;
      }
      if (st.type !== 'file' && st.type !== 'symlink') throw new OstreeError('INVALID_OBJECT', `object ${checksum} is not a regular file or symlink`);
      const userOnly = mode === 'bare-user-only';
      const isSymlink = st.type === 'symlink';
      const base = {
        checksum,
        isSymlink,
        mode: st.mode,
        uid: userOnly ? 0 : st.uid,
        gid: userOnly ? 0 : st.gid,
        size: isSymlink ? 0 : st.size,
        path,
        dev: st.dev,
        ino: st.ino,
      };
      // A hardlink needs nothing more; bare-user-only symlinks are copied even then.
      if (this.#lstatOnly && !(isSymlink && userOnly)) return base;
      return { ...base, header: await this.#bareHeader(base) };
    }
    const content = await this.#repo.loadContent(checksum);
    const h = content.header;
    return { checksum, isSymlink: isSymlinkMode(h.mode), mode: h.mode, uid: h.uid, gid: h.gid, size: content.size, path: content.path, header: h, content };
  }

  async #bareHeader(info: Omit<SourceInfo, 'header'>): Promise<FileHeader> {
    const xattrs = this.#wantXattrs ? await readDiskXattrs(this.#fs, info.path) : [];
    const symlinkTarget = info.isSymlink ? await this.#fs.readlink(info.path) : '';
    return { uid: info.uid, gid: info.gid, mode: info.mode, rdev: 0, symlinkTarget, xattrs };
  }

  /** The complete header (xattrs, symlink target) of an object whose info was taken from an lstat. */
  async header(info: SourceInfo): Promise<FileHeader> {
    if (info.header !== undefined) return info.header;
    return this.#bareHeader(info);
  }

  async #loadArchive(checksum: string): Promise<SourceInfo> {
    const path = `${this.#objectsDir}/${checksum.slice(0, 2)}/${checksum.slice(2)}.filez`;
    let handle: ReadHandle;
    try {
      handle = await this.#fs.openRead(path);
    } catch (e) {
      if (hasErrorCode(e, 'ENOENT')) throw notFound(checksum, e);
      throw e;
    }
    const buf = this.#buffers.pop() ?? new Uint8Array(ARCHIVE_READ_AHEAD);
    try {
      const n = await readFully(handle, buf, 0);
      if (n < HEADER_FRAME_BYTES) throw new OstreeError('INVALID_OBJECT', `truncated content object ${checksum}`);
      const length = readHeaderFrame(buf.subarray(0, HEADER_FRAME_BYTES));
      const payloadOffset = HEADER_FRAME_BYTES + length;
      let headerBytes: Uint8Array;
      // A copy: the decoded header keeps views into these bytes, and the buffer is reused.
      if (payloadOffset <= n) headerBytes = buf.slice(HEADER_FRAME_BYTES, payloadOffset);
      else {
        headerBytes = new Uint8Array(length);
        if ((await readFully(handle, headerBytes, HEADER_FRAME_BYTES)) !== length) {
          throw new OstreeError('INVALID_OBJECT', `truncated content object ${checksum}`);
        }
      }
      const { header, size } = decodeArchiveHeader(headerBytes);
      if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new OstreeError('INVALID_OBJECT', `archive object ${checksum} declares an absurd size`);
      const symlink = isSymlinkMode(header.mode);
      const info = {
        checksum,
        isSymlink: symlink,
        mode: header.mode,
        uid: header.uid,
        gid: header.gid,
        size: symlink ? 0 : Number(size),
        path,
        header,
        payloadOffset,
      };
      // Read to the end within the read-ahead: keep the deflate stream (a copy, the buffer is reused).
      if (!symlink && n < buf.length && payloadOffset <= n) return { ...info, compressed: buf.slice(payloadOffset, n) };
      return info;
    } finally {
      this.#buffers.push(buf);
      await handle.close();
    }
  }

  /** The whole payload in one buffer, or undefined when it is larger than {@link WHOLE_PAYLOAD_BYTES} (use {@link chunks}). */
  async whole(info: SourceInfo): Promise<Uint8Array | undefined> {
    if (info.isSymlink || info.size === 0) return EMPTY;
    if (info.size > WHOLE_PAYLOAD_BYTES) return undefined;
    if (info.compressed !== undefined) {
      let out: Uint8Array;
      try {
        out = inflateRaw(info.compressed, { maxOutputBytes: info.size });
      } catch (cause) {
        throw new OstreeError('INVALID_OBJECT', `Corrupted file object ${info.checksum}: ${(cause as Error).message}`, { cause });
      }
      if (out.length !== info.size) throw wrongSize(info.checksum, `inflated to ${out.length} bytes, header says ${info.size}`);
      return out;
    }
    if (this.#mode === 'archive' || (info.content !== undefined && this.#mode !== 'bare-user')) return undefined;
    const handle = await this.#fs.openRead(info.path);
    try {
      const out = new Uint8Array(info.size);
      if ((await readFully(handle, out, 0)) !== info.size) throw wrongSize(info.checksum, 'shorter than its size');
      return out;
    } finally {
      await handle.close();
    }
  }

  /** The payload in chunks of at most 1 MiB (inflated for archive objects); the total is checked against the size. */
  async *chunks(info: SourceInfo): AsyncIterable<Uint8Array> {
    if (info.isSymlink || info.size === 0) return;
    if (this.#mode === 'archive') {
      const inflate = createRawInflate({ maxOutputBytes: info.size });
      let total = 0;
      const handle = await this.#fs.openRead(info.path);
      try {
        for (let pos = info.payloadOffset!; ; ) {
          const buf = new Uint8Array(CHUNK_BYTES);
          const n = await readFully(handle, buf, pos);
          pos += n;
          const out = n === 0 ? inflate.end() : inflate.push(buf.subarray(0, n));
          for (const c of out) {
            total += c.length;
            yield c;
          }
          if (n === 0) break;
        }
      } catch (cause) {
        if (cause instanceof OstreeError) throw cause;
        throw new OstreeError('INVALID_OBJECT', `Corrupted file object ${info.checksum}: ${(cause as Error).message}`, { cause });
      } finally {
        await handle.close();
      }
      if (total !== info.size) throw wrongSize(info.checksum, `inflated to ${total} bytes, header says ${info.size}`);
      return;
    }
    if (info.content !== undefined && this.#mode !== 'bare-user') {
      yield* info.content.chunks();
      return;
    }
    const handle = await this.#fs.openRead(info.path);
    try {
      for (let pos = 0; pos < info.size; ) {
        const buf = new Uint8Array(Math.min(CHUNK_BYTES, info.size - pos));
        const n = await readFully(handle, buf, pos);
        if (n !== buf.length) throw wrongSize(info.checksum, 'shorter than its size');
        pos += n;
        yield buf;
      }
    } finally {
      await handle.close();
    }
  }
}
