/**
 * commit objects `(a{sv}aya(say)sstayay)` (spec §2.4). The timestamp is big-endian; the
 * metadata values are stored as their producer wrote them.
 * @module
 */
import { codec, type Variant } from '@ostree-ts/gvariant';
import { CHECKSUM_BYTES, checksumFromBytes, checksumToBytes, metadataChecksum } from '../checksum.js';
import { bswap64 } from '../endian.js';
import { OstreeError } from '../errors.js';
import { toHex } from '../hex.js';
import { defaultSha256, type Sha256Factory } from '../sha256.js';
import { check, decodeWith, type ObjectDecodeOptions } from './gvariant-object.js';
import type { Metadata } from './metadata.js';

/** GVariant type of a commit object. */
export const COMMIT_TYPE = '(a{sv}aya(say)sstayay)';
const commitCodec = codec(COMMIT_TYPE);

/** A commit. */
export interface Commit {
  /** Commit metadata (`version`, `ostree.ref-binding`, …), in stored order. */
  readonly metadata: Metadata;
  /** Parent commit checksum, or undefined for a root commit. */
  readonly parent: string | undefined;
  /** "Related objects" (name, commit checksum); empty in practice. */
  readonly related: readonly (readonly [string, Uint8Array])[];
  readonly subject: string;
  readonly body: string;
  /** Seconds since the epoch, UTC. */
  readonly timestamp: bigint;
  /** Checksum of the root dirtree. */
  readonly rootTree: string;
  /** Checksum of the root dirmeta. */
  readonly rootMeta: string;
}

const EMPTY = new Uint8Array(0);

/**
 * Serializes a commit.
 * @throws {OstreeError} INVALID_CHECKSUM or INVALID_OBJECT on malformed fields
 */
export function encodeCommit(commit: Commit): Uint8Array {
  for (const [key] of commit.metadata) {
    if (key.length === 0) throw new OstreeError('INVALID_OBJECT', 'invalid commit: empty metadata key');
  }
  return commitCodec.encode([
    commit.metadata as [string, Variant][],
    commit.parent === undefined ? EMPTY : checksumToBytes(commit.parent),
    commit.related as [string, Uint8Array][],
    commit.subject,
    commit.body,
    bswap64(commit.timestamp),
    checksumToBytes(commit.rootTree),
    checksumToBytes(commit.rootMeta),
  ]);
}

/**
 * Parses and validates a commit.
 * @throws {OstreeError} INVALID_OBJECT when malformed
 */
export function decodeCommit(bytes: Uint8Array, options: ObjectDecodeOptions = {}): Commit {
  const [metadata, parent, related, subject, body, timestamp, rootTree, rootMeta] = decodeWith(commitCodec, bytes, 'commit', options);
  check(parent.length === 0 || parent.length === CHECKSUM_BYTES, 'commit', `parent checksum of ${parent.length} bytes`);
  check(rootTree.length === CHECKSUM_BYTES, 'commit', 'root tree checksum is not 32 bytes');
  check(rootMeta.length === CHECKSUM_BYTES, 'commit', 'root dirmeta checksum is not 32 bytes');
  for (const [, c] of related) check(c.length === CHECKSUM_BYTES, 'commit', 'related object checksum is not 32 bytes');
  for (const [key] of metadata) check(key.length > 0, 'commit', 'empty metadata key');
  return {
    metadata,
    parent: parent.length === 0 ? undefined : checksumFromBytes(parent),
    related,
    subject,
    body,
    timestamp: bswap64(timestamp),
    rootTree: checksumFromBytes(rootTree),
    rootMeta: checksumFromBytes(rootMeta),
  };
}

/** Checksum of a commit: SHA-256 of its serialized bytes. */
export function commitChecksum(commit: Commit, hash: Sha256Factory = defaultSha256): string {
  return metadataChecksum(encodeCommit(commit), hash);
}

/**
 * The commit's "content checksum" that `ostree log` and `ostree show` print:
 * SHA-256 of the root dirtree checksum bytes followed by the root dirmeta checksum bytes.
 */
export function commitContentChecksum(commit: Pick<Commit, 'rootTree' | 'rootMeta'>, hash: Sha256Factory = defaultSha256): string {
  return toHex(hash().update(checksumToBytes(commit.rootTree)).update(checksumToBytes(commit.rootMeta)).digest());
}
