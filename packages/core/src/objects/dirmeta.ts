/**
 * dirmeta objects `(uuua(ayay))`: a directory's owner, mode and xattrs, numbers big-endian
 * (spec §2.2).
 * @module
 */
import { codec } from '@ostree-ts/gvariant';
import { assertDirectoryMode } from '../mode.js';
import { assertCanonicalXattrs, type Xattr } from '../xattrs.js';
import { decodeWith, type ObjectDecodeOptions } from './gvariant-object.js';
import { OstreeError } from '../errors.js';

/** GVariant type of a dirmeta object. */
export const DIRMETA_TYPE = '(uuua(ayay))';
const dirmetaCodec = codec(DIRMETA_TYPE);

/** A directory's metadata. */
export interface DirMeta {
  readonly uid: number;
  readonly gid: number;
  /** Full st_mode, including S_IFDIR. */
  readonly mode: number;
  /** Canonical (sorted) extended attributes. */
  readonly xattrs: readonly Xattr[];
}

/**
 * Serializes a dirmeta.
 * @throws {OstreeError} INVALID_MODE or INVALID_XATTRS when the input is not valid for ostree
 */
export function encodeDirMeta(meta: DirMeta): Uint8Array {
  assertDirectoryMode(meta.mode);
  assertCanonicalXattrs(meta.xattrs);
  return dirmetaCodec.encode([meta.uid, meta.gid, meta.mode, meta.xattrs as [Uint8Array, Uint8Array][]], { byteswap: true });
}

/**
 * Parses and validates a dirmeta.
 * @throws {OstreeError} INVALID_OBJECT when the bytes are malformed or the mode/xattrs invalid
 */
export function decodeDirMeta(bytes: Uint8Array, options: ObjectDecodeOptions = {}): DirMeta {
  const [uid, gid, mode, xattrs] = decodeWith(dirmetaCodec, bytes, 'dirmeta', { ...options, byteswap: true });
  try {
    assertDirectoryMode(mode);
    assertCanonicalXattrs(xattrs);
  } catch (cause) {
    throw new OstreeError('INVALID_OBJECT', `invalid dirmeta: ${(cause as Error).message}`, { cause });
  }
  return { uid, gid, mode, xattrs };
}
