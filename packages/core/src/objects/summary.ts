/**
 * The repository summary `(a(s(taya{sv}))a{sv})` (spec §3.6): every ref with its commit's
 * size and checksum, sorted by name so clients can binary-search it, plus repo metadata.
 * @module
 */
import { codec, type Variant } from '@ostree-ts/gvariant';
import { CHECKSUM_BYTES, checksumFromBytes, checksumToBytes } from '../checksum.js';
import { OstreeError } from '../errors.js';
import { compareUtf8 } from '../utf8-order.js';
import { check, decodeWith, type ObjectDecodeOptions } from './gvariant-object.js';
import type { Metadata } from './metadata.js';

/** GVariant type of a summary file. */
export const SUMMARY_TYPE = '(a(s(taya{sv}))a{sv})';
const summaryCodec = codec(SUMMARY_TYPE);

/** One ref listed in a summary. */
export interface SummaryRef {
  readonly name: string;
  /**
   * Byte length of the commit object, in the generator's host byte order (little-endian in
   * practice); clients use it as the maximum size to fetch.
   */
  readonly commitSize: bigint;
  readonly checksum: string;
  /** Per-ref metadata: `ostree.commit.timestamp` (big-endian `t`), `ostree.commit.version`. */
  readonly metadata: Metadata;
}

/** A parsed summary. */
export interface Summary {
  readonly refs: readonly SummaryRef[];
  readonly metadata: Metadata;
}

/**
 * Serializes a summary. Refs must be sorted by name (bytewise) and unique.
 * @throws {OstreeError} INVALID_OBJECT when they are not
 */
export function encodeSummary(summary: Summary): Uint8Array {
  for (let i = 1; i < summary.refs.length; i++) {
    if (compareUtf8(summary.refs[i - 1]!.name, summary.refs[i]!.name) >= 0) {
      throw new OstreeError('INVALID_OBJECT', 'invalid summary: refs not sorted or duplicated');
    }
  }
  return summaryCodec.encode([
    summary.refs.map((r) => [r.name, [r.commitSize, checksumToBytes(r.checksum), r.metadata as [string, Variant][]]] as const) as never,
    summary.metadata as [string, Variant][],
  ]);
}

/**
 * Parses and validates a summary (normal form, 32-byte checksums, sorted unique refs).
 * @throws {OstreeError} INVALID_OBJECT when malformed
 */
export function decodeSummary(bytes: Uint8Array, options: ObjectDecodeOptions = {}): Summary {
  const [refs, metadata] = decodeWith(summaryCodec, bytes, 'summary', options);
  const out: SummaryRef[] = [];
  for (const [name, [commitSize, csum, meta]] of refs) {
    check(csum.length === CHECKSUM_BYTES, 'summary', `checksum of ref ${JSON.stringify(name)} is not 32 bytes`);
    if (out.length > 0) check(compareUtf8(out[out.length - 1]!.name, name) < 0, 'summary', 'refs not sorted or duplicated');
    out.push({ name, commitSize, checksum: checksumFromBytes(csum), metadata: meta });
  }
  return { refs: out, metadata };
}
