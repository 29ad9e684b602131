/**
 * Delta indexes (`delta-indexes/XX/REST.index`, spec §3.7) and the summary's delta list
 * (spec §3.6): both map delta names (`FROM-TO` or `TO`, hex) to the SHA-256 of the superblock
 * file, under the key `ostree.static-deltas`.
 * @module
 */
import { variant, type Variant } from '@ostree-ts/gvariant';
import {
  CHECKSUM_BYTES,
  checksumFromBytes,
  checksumToBytes,
  decodeMetadata,
  encodeMetadata,
  formatDeltaName,
  lookupMetadata,
  parseDeltaName,
  type DeltaName,
  type Metadata,
} from '@ostree-ts/core';
import { checkDelta, decodingDelta } from './errors.js';

/** The key under which summaries and delta indexes list deltas. */
export const STATIC_DELTAS_KEY = 'ostree.static-deltas';

/** One listed delta: its endpoints and the SHA-256 of its superblock file. */
export interface DeltaDigest extends DeltaName {
  /** SHA-256 (hex) of the superblock file bytes, signed wrapper included. */
  readonly superblockDigest: string;
}

/** The `a{sv}` value of `ostree.static-deltas`: name → `<ay 32>`, in the given order. */
export function encodeDeltaList(deltas: readonly DeltaDigest[]): Metadata {
  return deltas.map((d) => [formatDeltaName(d), variant('ay', checksumToBytes(d.superblockDigest))] as const);
}

/**
 * Reads an `ostree.static-deltas` dictionary. Entries whose name is not a delta name or whose
 * value is not 32 bytes are errors (ostree refuses them too).
 * @throws {OstreeError} INVALID_DELTA when malformed
 */
export function decodeDeltaList(list: Metadata): DeltaDigest[] {
  return list.map(([name, value]) => {
    checkDelta(value.type === 'ay', `delta ${name}: digest of type ${value.type}, expected ay`);
    const bytes = value.value as Uint8Array;
    checkDelta(bytes.length === CHECKSUM_BYTES, `delta ${name}: digest of ${bytes.length} bytes`);
    const parsed = decodingDelta(`delta name ${JSON.stringify(name)}`, () => parseDeltaName(name));
    return { ...parsed, superblockDigest: checksumFromBytes(bytes) };
  });
}

/** Serializes a delta index file: `{"ostree.static-deltas": <a{sv}>}`. */
export function encodeDeltaIndex(deltas: readonly DeltaDigest[]): Uint8Array {
  return encodeMetadata([[STATIC_DELTAS_KEY, variant('a{sv}', encodeDeltaList(deltas) as [string, Variant][])]]);
}

/**
 * Parses a delta index file; an index without the key lists no deltas.
 * @throws {OstreeError} INVALID_DELTA when malformed
 */
export function decodeDeltaIndex(bytes: Uint8Array): DeltaDigest[] {
  const meta = decodingDelta('delta index', () => decodeMetadata(bytes, { strict: false }, 'delta index'));
  return deltasInMetadata(meta);
}

/**
 * The deltas listed in summary metadata (or a delta index's dictionary) under
 * `ostree.static-deltas`; empty when absent.
 * @throws {OstreeError} INVALID_DELTA when the list is malformed
 */
export function deltasInMetadata(meta: Metadata): DeltaDigest[] {
  const v = lookupMetadata(meta, STATIC_DELTAS_KEY);
  if (v === undefined) return [];
  checkDelta(v.type === 'a{sv}', `${STATIC_DELTAS_KEY} of type ${v.type}, expected a{sv}`);
  return decodeDeltaList(v.value as Metadata);
}

/** The digest listed for the delta `from`→`to` (undefined from = scratch), if any. */
export function findDelta(deltas: readonly DeltaDigest[], from: string | undefined, to: string): DeltaDigest | undefined {
  return deltas.find((d) => d.from === from && d.to === to);
}
