/**
 * Object checksums: validation of checksum strings and bytes, and metadata checksums.
 * Content checksums live in `content.ts` because they hash a synthesized stream.
 * @module
 */
import { OstreeError } from './errors.js';
import { fromHex, toHex } from './hex.js';
import { defaultSha256, type Sha256Factory } from './sha256.js';

/** Length of a raw checksum in bytes. */
export const CHECKSUM_BYTES = 32;
/** Length of a checksum string (lowercase hex). */
export const CHECKSUM_HEX_LENGTH = 64;

const CHECKSUM_RE = /^[0-9a-f]{64}$/;

/** True if `s` is 64 lowercase hex digits, as ostree requires of object names. */
export function isChecksum(s: string): boolean {
  return CHECKSUM_RE.test(s);
}

/**
 * Asserts `s` is a valid checksum string.
 * @throws {OstreeError} INVALID_CHECKSUM otherwise
 */
export function assertChecksum(s: string): void {
  if (!isChecksum(s)) throw new OstreeError('INVALID_CHECKSUM', `invalid checksum: ${JSON.stringify(s)}`);
}

/**
 * The 32 raw bytes of a checksum string.
 * @throws {OstreeError} INVALID_CHECKSUM when `hex` is not a valid checksum string
 */
export function checksumToBytes(hex: string): Uint8Array {
  assertChecksum(hex);
  return fromHex(hex);
}

/**
 * The checksum string of 32 raw bytes (as stored inside commits and dirtrees).
 * @throws {OstreeError} INVALID_CHECKSUM when `bytes` is not 32 bytes long
 */
export function checksumFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== CHECKSUM_BYTES) {
    throw new OstreeError('INVALID_CHECKSUM', `checksum must be ${CHECKSUM_BYTES} bytes, got ${bytes.length}`);
  }
  return toHex(bytes);
}

/**
 * Checksum of a metadata object (commit, dirtree, dirmeta): SHA-256 of its exact bytes.
 * @param bytes - the serialized object
 * @param hash - SHA-256 implementation to use
 * @returns the hex checksum, which is the object's name
 */
export function metadataChecksum(bytes: Uint8Array, hash: Sha256Factory = defaultSha256): string {
  return toHex(hash().update(bytes).digest());
}

/**
 * Asserts that `actual` equals `expected`.
 * @throws {OstreeError} CHECKSUM_MISMATCH naming both checksums and `what`
 */
export function assertChecksumMatches(expected: string, actual: string, what: string): void {
  if (expected !== actual) {
    throw new OstreeError('CHECKSUM_MISMATCH', `corrupted ${what}: expected ${expected}, got ${actual}`);
  }
}
