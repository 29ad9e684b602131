/**
 * The signed-superblock wrapper `(taya{sv})` (spec §5.12): a big-endian magic "OSTSGNDT", the
 * unsigned superblock bytes, and `ostree.sign.<type>` → `aay` signatures over those bytes.
 * Reading lives here; making signatures is `@ostree-ts/sign`'s job.
 * @module
 */
import { codec, variant, type Variant } from '@ostree-ts/gvariant';
import type { Metadata } from '@ostree-ts/core';
import { decodingDelta, invalidDelta } from './errors.js';

/** GVariant type of a signed superblock file. */
export const SIGNED_SUPERBLOCK_TYPE = '(taya{sv})';
/** The magic as ostree stores it: the bytes `OSTSGNDT`, read as a big-endian u64. */
export const SIGNED_SUPERBLOCK_MAGIC = 0x4f535453474e4454n;
/** Prefix of the signature keys in the wrapper's dictionary. */
export const SIGNATURE_KEY_PREFIX = 'ostree.sign.';

const signedCodec = codec(SIGNED_SUPERBLOCK_TYPE);
const MAGIC_BYTES = new Uint8Array([0x4f, 0x53, 0x54, 0x53, 0x47, 0x4e, 0x44, 0x54]);

/** A signed superblock file, unwrapped. */
export interface SignedSuperblock {
  /** The unsigned superblock bytes (what the signatures cover). */
  readonly superblock: Uint8Array;
  /** The wrapper's dictionary in stored order. */
  readonly metadata: Metadata;
  /** Signatures per type (`ed25519`, `dummy`, …): each an array of signature byte strings. */
  readonly signatures: ReadonlyMap<string, readonly Uint8Array[]>;
}

/**
 * True if `bytes` is a signed-superblock wrapper: it starts with the magic and decodes as
 * `(taya{sv})`. ostree detects it the same way (parse as the signed type, compare the magic).
 */
export function isSignedSuperblock(bytes: Uint8Array): boolean {
  if (bytes.length < 8 || !MAGIC_BYTES.every((b, i) => bytes[i] === b)) return false;
  try {
    signedCodec.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Unwraps a signed superblock file.
 * @throws {OstreeError} INVALID_DELTA when it is not one
 */
export function decodeSignedSuperblock(bytes: Uint8Array): SignedSuperblock {
  const [, superblock, metadata] = decodingDelta('signed delta superblock', () => signedCodec.decode(bytes));
  // The magic is stored big-endian in a little-endian `t`: compare the raw bytes.
  if (!MAGIC_BYTES.every((b, i) => bytes[i] === b)) throw invalidDelta('no signatures in static-delta: bad magic');
  const signatures = new Map<string, Uint8Array[]>();
  for (const [key, value] of metadata) {
    if (!key.startsWith(SIGNATURE_KEY_PREFIX) || value.type !== 'aay') continue;
    const type = key.slice(SIGNATURE_KEY_PREFIX.length);
    if (!signatures.has(type)) signatures.set(type, [...(value.value as Uint8Array[])]);
  }
  return { superblock, metadata, signatures };
}

/**
 * If `bytes` is a signed wrapper, the inner superblock and its signatures; otherwise `bytes`
 * itself as an unsigned superblock.
 */
export function unwrapSuperblock(bytes: Uint8Array): { superblock: Uint8Array; signed: SignedSuperblock | undefined } {
  if (!isSignedSuperblock(bytes)) return { superblock: bytes, signed: undefined };
  const signed = decodeSignedSuperblock(bytes);
  return { superblock: signed.superblock, signed };
}

/**
 * Wraps superblock bytes with signatures (`ostree.sign.<type>` → `aay`), as
 * `ostree static-delta generate --sign` writes the superblock file.
 * @param signatures - per signature type, the signatures over `superblock`
 */
export function encodeSignedSuperblock(superblock: Uint8Array, signatures: ReadonlyMap<string, readonly Uint8Array[]>): Uint8Array {
  const meta: [string, Variant][] = [...signatures].map(([type, sigs]) => [SIGNATURE_KEY_PREFIX + type, variant('aay', [...sigs])]);
  // Big-endian magic inside the little-endian tuple.
  return signedCodec.encode([0x54444e475354534fn, superblock, meta]);
}
