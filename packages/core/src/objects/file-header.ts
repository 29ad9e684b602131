/**
 * Content-object headers (spec §2.5, §2.10): the `(uuuusa(ayay))` header hashed into every
 * content checksum, the archive `(tuuuusa(ayay))` header at the front of `.filez` files, and
 * the bare-user `user.ostreemeta` xattr `(uuua(ayay))`. All their integers are big-endian.
 * @module
 */
import { codec } from '@ostree-ts/gvariant';
import { OstreeError } from '../errors.js';
import { assertFileMode, isSymlinkMode } from '../mode.js';
import { assertCanonicalXattrs, type Xattr } from '../xattrs.js';
import { decodeWith } from './gvariant-object.js';

/** The metadata of a content object (regular file or symlink). */
export interface FileHeader {
  readonly uid: number;
  readonly gid: number;
  /** Full st_mode: S_IFREG or S_IFLNK plus permission bits. */
  readonly mode: number;
  /** Always 0 for valid objects; kept so hostile values can be reported. */
  readonly rdev: number;
  /** Symlink target; empty for regular files. */
  readonly symlinkTarget: string;
  /** Canonical (sorted) extended attributes. */
  readonly xattrs: readonly Xattr[];
}

/** GVariant type of the header hashed into content checksums. */
export const FILE_HEADER_TYPE = '(uuuusa(ayay))';
/** GVariant type of the header at the front of an archive `.filez` object. */
export const ARCHIVE_HEADER_TYPE = '(tuuuusa(ayay))';
/** GVariant type of the `user.ostreemeta` xattr in bare-user repos. */
export const BARE_USER_META_TYPE = '(uuua(ayay))';

const fileHeaderCodec = codec(FILE_HEADER_TYPE);
const archiveHeaderCodec = codec(ARCHIVE_HEADER_TYPE);
const bareUserMetaCodec = codec(BARE_USER_META_TYPE);

/**
 * A hostile header could declare an enormous length; real headers are a few KiB at most
 * (xattrs included), so anything past this is refused before it is read.
 */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;

function headerProblem(h: FileHeader): string | undefined {
  if (h.rdev !== 0) return `rdev ${h.rdev} is not 0`;
  if (isSymlinkMode(h.mode) ? h.symlinkTarget.length === 0 : h.symlinkTarget.length !== 0) {
    return isSymlinkMode(h.mode) ? 'symlink without a target' : 'regular file with a symlink target';
  }
  return undefined;
}

function validate(h: FileHeader, what: string, asInput: boolean): void {
  try {
    assertFileMode(h.mode);
    assertCanonicalXattrs(h.xattrs);
  } catch (cause) {
    if (asInput) throw cause;
    throw new OstreeError('INVALID_OBJECT', `invalid ${what}: ${(cause as Error).message}`, { cause });
  }
  const problem = headerProblem(h);
  if (problem !== undefined) throw new OstreeError(asInput ? 'INVALID_ARGUMENT' : 'INVALID_OBJECT', `invalid ${what}: ${problem}`);
}

/** Serializes the `(uuuusa(ayay))` header. @throws {OstreeError} on an invalid header */
export function encodeFileHeader(h: FileHeader): Uint8Array {
  validate(h, 'file header', true);
  return fileHeaderCodec.encode([h.uid, h.gid, h.mode, h.rdev, h.symlinkTarget, h.xattrs as [Uint8Array, Uint8Array][]], { byteswap: true });
}

/** Parses and validates a `(uuuusa(ayay))` header. @throws {OstreeError} INVALID_OBJECT */
export function decodeFileHeader(bytes: Uint8Array): FileHeader {
  const [uid, gid, mode, rdev, symlinkTarget, xattrs] = decodeWith(fileHeaderCodec, bytes, 'file header', { byteswap: true });
  const h = { uid, gid, mode, rdev, symlinkTarget, xattrs };
  validate(h, 'file header', false);
  return h;
}

/**
 * Serializes the archive header `(tuuuusa(ayay))`.
 * @param size - uncompressed payload length; 0 for symlinks
 */
export function encodeArchiveHeader(h: FileHeader, size: bigint): Uint8Array {
  validate(h, 'archive header', true);
  return archiveHeaderCodec.encode([size, h.uid, h.gid, h.mode, h.rdev, h.symlinkTarget, h.xattrs as [Uint8Array, Uint8Array][]], {
    byteswap: true,
  });
}

/** A parsed archive header and the payload size it declares. */
export interface ArchiveHeader {
  readonly header: FileHeader;
  readonly size: bigint;
}

/** Parses and validates an archive header. @throws {OstreeError} INVALID_OBJECT */
export function decodeArchiveHeader(bytes: Uint8Array): ArchiveHeader {
  const [size, uid, gid, mode, rdev, symlinkTarget, xattrs] = decodeWith(archiveHeaderCodec, bytes, 'archive header', { byteswap: true });
  const header = { uid, gid, mode, rdev, symlinkTarget, xattrs };
  validate(header, 'archive header', false);
  return { header, size };
}

/** Metadata kept in `user.ostreemeta` for a bare-user object. */
export type BareUserMeta = Pick<FileHeader, 'uid' | 'gid' | 'mode' | 'xattrs'>;

/** Serializes the bare-user `user.ostreemeta` value. */
export function encodeBareUserMeta(m: BareUserMeta): Uint8Array {
  assertFileMode(m.mode);
  assertCanonicalXattrs(m.xattrs);
  return bareUserMetaCodec.encode([m.uid, m.gid, m.mode, m.xattrs as [Uint8Array, Uint8Array][]], { byteswap: true });
}

/** Parses a `user.ostreemeta` value. @throws {OstreeError} INVALID_OBJECT */
export function decodeBareUserMeta(bytes: Uint8Array): BareUserMeta {
  const [uid, gid, mode, xattrs] = decodeWith(bareUserMetaCodec, bytes, 'user.ostreemeta', { byteswap: true });
  try {
    assertFileMode(mode);
    assertCanonicalXattrs(xattrs);
  } catch (cause) {
    throw new OstreeError('INVALID_OBJECT', `invalid user.ostreemeta: ${(cause as Error).message}`, { cause });
  }
  return { uid, gid, mode, xattrs };
}

/** Length of the frame in front of a serialized header: BE32 length, then 4 zero bytes. */
export const HEADER_FRAME_BYTES = 8;

/** Prefixes a serialized header with its frame: `BE32(len) ‖ 00000000 ‖ header`. */
export function frameHeader(header: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_FRAME_BYTES + header.length);
  new DataView(out.buffer).setUint32(0, header.length, false);
  out.set(header, HEADER_FRAME_BYTES);
  return out;
}

/**
 * Reads the header length from the first 8 bytes of a framed stream (`.filez` or a content
 * stream).
 * @throws {OstreeError} INVALID_OBJECT when truncated, the padding is not zero, or the length is absurd
 */
export function readHeaderFrame(first8: Uint8Array): number {
  if (first8.length < HEADER_FRAME_BYTES) throw new OstreeError('INVALID_OBJECT', 'truncated content object header');
  const view = new DataView(first8.buffer, first8.byteOffset, HEADER_FRAME_BYTES);
  const length = view.getUint32(0, false);
  if (view.getUint32(4, false) !== 0) throw new OstreeError('INVALID_OBJECT', 'content object header padding is not zero');
  if (length > MAX_HEADER_BYTES) throw new OstreeError('INVALID_OBJECT', `content object header too large (${length} bytes)`);
  return length;
}

/** A `.filez` prefix split into its header and where the compressed payload begins. */
export interface ArchiveObjectPrefix extends ArchiveHeader {
  /** Offset of the raw-deflate payload within the object bytes. */
  readonly payloadOffset: number;
}

/**
 * Parses the start of an archive `.filez` object.
 * @param bytes - at least the framed header (the whole object is fine)
 * @throws {OstreeError} INVALID_OBJECT when the header is truncated or invalid
 */
export function parseArchiveObject(bytes: Uint8Array): ArchiveObjectPrefix {
  const length = readHeaderFrame(bytes);
  const end = HEADER_FRAME_BYTES + length;
  if (bytes.length < end) throw new OstreeError('INVALID_OBJECT', 'truncated archive header');
  return { ...decodeArchiveHeader(bytes.subarray(HEADER_FRAME_BYTES, end)), payloadOffset: end };
}
