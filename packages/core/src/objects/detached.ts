/**
 * Objects that are named after a commit rather than hashed: detached metadata (`.commitmeta`,
 * signatures live here) and tombstones of deleted commits (spec §2.7, §2.8).
 * @module
 */
import { assertChecksum } from '../checksum.js';
import { OstreeError } from '../errors.js';
import { decodeMetadata, encodeMetadata, lookupMetadata, type Metadata } from './metadata.js';
import { variant } from '@ostree-ts/gvariant';
import type { ObjectDecodeOptions } from './gvariant-object.js';

/** Serializes detached commit metadata (`a{sv}`). */
export function encodeCommitMeta(meta: Metadata): Uint8Array {
  return encodeMetadata(meta);
}

/** Parses detached commit metadata. @throws {OstreeError} INVALID_OBJECT */
export function decodeCommitMeta(bytes: Uint8Array, options: ObjectDecodeOptions = {}): Metadata {
  return decodeMetadata(bytes, options, 'commitmeta');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Serializes the tombstone left for deleted commit `checksum`: `{'commit': <ay>}` whose
 * value is the hex checksum as a C string, trailing NUL included.
 */
export function encodeTombstone(checksum: string): Uint8Array {
  assertChecksum(checksum);
  return encodeMetadata([['commit', variant('ay', encoder.encode(checksum + '\0'))]]);
}

/**
 * Parses a tombstone and returns the checksum of the deleted commit it names.
 * @throws {OstreeError} INVALID_OBJECT when malformed
 */
export function decodeTombstone(bytes: Uint8Array, options: ObjectDecodeOptions = {}): string {
  const v = lookupMetadata(decodeMetadata(bytes, options, 'tombstone-commit'), 'commit');
  if (v === undefined || v.type !== 'ay') throw new OstreeError('INVALID_OBJECT', 'invalid tombstone-commit: no commit key');
  const value = v.value as Uint8Array;
  if (value.length !== 65 || value[64] !== 0) throw new OstreeError('INVALID_OBJECT', 'invalid tombstone-commit: bad commit value');
  const checksum = decoder.decode(value.subarray(0, 64));
  try {
    assertChecksum(checksum);
  } catch (cause) {
    throw new OstreeError('INVALID_OBJECT', 'invalid tombstone-commit: bad commit checksum', { cause });
  }
  return checksum;
}
