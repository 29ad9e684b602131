/**
 * The delta superblock `(a{sv}tayay(a{sv}aya(say)sstayay)aya(uayttay)a(yaytt))` (spec §5.2,
 * §5.3, §5.5): metadata, timestamp, endpoints, the whole to-commit, part headers and fallback
 * objects, with the `ostree.endianness` marker read in both byte orders.
 * @module
 */
import { codec, variant, type Variant } from '@ostree-ts/gvariant';
import {
  CHECKSUM_BYTES,
  COMMIT_TYPE,
  OstreeError,
  bswap32,
  bswap64,
  checksumFromBytes,
  checksumToBytes,
  decodeCommit,
  isMetadataObjectType,
  lookupMetadata,
  metadataChecksum,
  type Commit,
  type Metadata,
  type ObjectType,
} from '@ostree-ts/core';
import { checkDelta, decodingDelta, invalidDelta } from './errors.js';
import { objectTypeByte, objectTypeFromByte } from './object-types.js';
import { deltaCommitMetaKey, deltaPartPath } from './paths.js';

/** GVariant type of a superblock. */
export const SUPERBLOCK_TYPE = `(a{sv}tayay${COMMIT_TYPE}aya(uayttay)a(yaytt))`;
/** GVariant type of one part header. */
export const PART_HEADER_TYPE = '(uayttay)';
/** GVariant type of one fallback entry. */
export const FALLBACK_TYPE = '(yaytt)';
/** The only part format version ostree 2022.7 knows (`OSTREE_DELTAPART_VERSION`). */
export const DELTA_PART_VERSION = 0;
/** Superblock metadata key declaring the byte order of part-header and fallback integers. */
export const ENDIANNESS_KEY = 'ostree.endianness';
/** Bytes per entry of a part header's object list: type byte and 32-byte checksum. */
export const OBJECT_ENTRY_BYTES = 33;

const superblockCodec = codec(SUPERBLOCK_TYPE);
const commitCodec = codec(COMMIT_TYPE);

/**
 * Byte order of the integers in part headers and fallback entries: ostree writes the
 * generator's host order (or what `--set-endianness`/`--swap-endianness` asked for).
 */
export type DeltaEndianness = 'little' | 'big';

/** One object a part creates, in the order its operations create them. */
export interface DeltaObjectRef {
  readonly type: ObjectType;
  readonly checksum: string;
}

/** A part header `(uayttay)`. */
export interface DeltaPartHeader {
  /** Part format version; 0. */
  readonly version: number;
  /** SHA-256 of the part file (compression byte included). */
  readonly checksum: string;
  /** Length of the part file in bytes. */
  readonly size: bigint;
  /** ostree's "uncompressed size" estimate (used for progress and space checks only). */
  readonly uncompressedSize: bigint;
  /** The objects the part creates, in operation order. */
  readonly objects: readonly DeltaObjectRef[];
}

/** A fallback entry `(yaytt)`: a content object the client fetches as a plain `.filez`. */
export interface DeltaFallback {
  readonly type: ObjectType;
  readonly checksum: string;
  /** Length of the `.filez` object. */
  readonly compressedSize: bigint;
  /** Length of the file's payload. */
  readonly uncompressedSize: bigint;
}

/** A decoded superblock. */
export interface DeltaSuperblock {
  /** Superblock metadata in stored order (endianness, inline parts, detached metadata, caller keys). */
  readonly metadata: Metadata;
  /** Generation time, seconds since the epoch (stored big-endian). */
  readonly timestamp: bigint;
  /** Source commit, or undefined for a scratch delta. */
  readonly from: string | undefined;
  /** Target commit. */
  readonly to: string;
  /** The to-commit object, byte for byte (its SHA-256 is `to`). */
  readonly commitBytes: Uint8Array;
  /** The to-commit, decoded. */
  readonly commit: Commit;
  /** "Dependencies": concatenated (from, to) checksum pairs; empty in practice. */
  readonly dependencies: Uint8Array;
  readonly parts: readonly DeltaPartHeader[];
  readonly fallbacks: readonly DeltaFallback[];
  /** Byte order of part-header and fallback integers (declared, or guessed like ostree when absent). */
  readonly endianness: DeltaEndianness;
  /** True when `ostree.endianness` was absent and the order was guessed from the sizes. */
  readonly endiannessGuessed: boolean;
}

/** What {@link encodeSuperblock} needs. `metadata` is written as given (see {@link superblockMetadata}). */
export interface SuperblockInput {
  readonly metadata: Metadata;
  readonly timestamp: bigint;
  readonly from: string | undefined;
  readonly to: string;
  /** The to-commit object bytes. */
  readonly commitBytes: Uint8Array;
  readonly parts: readonly DeltaPartHeader[];
  readonly fallbacks: readonly DeltaFallback[];
  /** Byte order for part-header and fallback integers; must match the metadata's `ostree.endianness`. */
  readonly endianness: DeltaEndianness;
  readonly dependencies?: Uint8Array;
}

/** What goes into superblock metadata, in the order ostree writes it. */
export interface SuperblockMetadataInput {
  readonly from: string | undefined;
  readonly to: string;
  /** Caller keys, written first (Flatpak puts MIME data here). */
  readonly extra?: Metadata;
  readonly endianness: DeltaEndianness;
  /** Inline parts: the whole part file of each part, in part order. */
  readonly inlineParts?: readonly Uint8Array[];
  /** The to-commit's detached metadata, if it has any. */
  readonly commitMeta?: Metadata;
}

const u64 = (n: bigint, swap: boolean): bigint => (swap ? bswap64(n) : n);
const u32 = (n: number, swap: boolean): number => (swap ? bswap32(n) : n);

/**
 * Builds superblock metadata in ostree's order: caller keys, `ostree.endianness`, inline parts
 * (`deltas/…/<i>` → `(yay)`), then `deltas/…/commitmeta`.
 */
export function superblockMetadata(input: SuperblockMetadataInput): Metadata {
  const out: (readonly [string, Variant])[] = [...(input.extra ?? [])];
  out.push([ENDIANNESS_KEY, variant('y', input.endianness === 'big' ? 0x42 : 0x6c)]);
  (input.inlineParts ?? []).forEach((part, i) => {
    checkDelta(part.length >= 1, `inline part ${i} is empty`);
    out.push([deltaPartPath(input.from, input.to, i), variant('(yay)', [part[0]!, part.subarray(1)])]);
  });
  if (input.commitMeta !== undefined) out.push([deltaCommitMetaKey(input.from, input.to), variant('a{sv}', input.commitMeta as [string, Variant][])]);
  return out;
}

function encodeObjectList(objects: readonly DeltaObjectRef[]): Uint8Array {
  const out = new Uint8Array(objects.length * OBJECT_ENTRY_BYTES);
  objects.forEach((o, i) => {
    out[i * OBJECT_ENTRY_BYTES] = objectTypeByte(o.type);
    out.set(checksumToBytes(o.checksum), i * OBJECT_ENTRY_BYTES + 1);
  });
  return out;
}

/**
 * Decodes a part header's object list (33-byte entries).
 * @throws {OstreeError} INVALID_DELTA when its length is not a multiple of 33 or a type is unknown
 */
export function decodeObjectList(bytes: Uint8Array): DeltaObjectRef[] {
  checkDelta(bytes.length % OBJECT_ENTRY_BYTES === 0, `object list of ${bytes.length} bytes is not a multiple of ${OBJECT_ENTRY_BYTES}`);
  const out: DeltaObjectRef[] = [];
  for (let pos = 0; pos < bytes.length; pos += OBJECT_ENTRY_BYTES) {
    const type = objectTypeFromByte(bytes[pos]!);
    out.push({ type, checksum: checksumFromBytes(bytes.subarray(pos + 1, pos + OBJECT_ENTRY_BYTES)) });
  }
  return out;
}

/**
 * Serializes a superblock. The timestamp is written big-endian; part-header and fallback
 * integers in `endianness`.
 * @throws {OstreeError} INVALID_DELTA when `commitBytes` does not hash to `to`
 */
export function encodeSuperblock(input: SuperblockInput): Uint8Array {
  const swap = input.endianness === 'big';
  const commit = decodingDelta('to-commit', () => commitCodec.decode(input.commitBytes, { strict: true }));
  if (metadataChecksum(input.commitBytes) !== input.to) throw invalidDelta(`commit bytes do not hash to ${input.to}`);
  return superblockCodec.encode([
    input.metadata as [string, Variant][],
    bswap64(input.timestamp),
    input.from === undefined ? new Uint8Array(0) : checksumToBytes(input.from),
    checksumToBytes(input.to),
    commit,
    input.dependencies ?? new Uint8Array(0),
    input.parts.map((p) => [u32(p.version, swap), checksumToBytes(p.checksum), u64(p.size, swap), u64(p.uncompressedSize, swap), encodeObjectList(p.objects)]),
    input.fallbacks.map((f) => [objectTypeByte(f.type), checksumToBytes(f.checksum), u64(f.compressedSize, swap), u64(f.uncompressedSize, swap)]),
  ] as never);
}

type RawPart = readonly [number, Uint8Array, bigint, bigint, Uint8Array];

/**
 * ostree's byte-order rule: the `ostree.endianness` byte (`l` or `B`) if present; otherwise
 * guess "big" when a part is more than 1.2× larger than its uncompressed size or the average
 * object would exceed 4 GiB (values read little-endian).
 */
function deltaEndianness(metadata: Metadata, parts: readonly RawPart[]): { endianness: DeltaEndianness; guessed: boolean } {
  const marker = lookupMetadata(metadata, ENDIANNESS_KEY);
  if (marker !== undefined && marker.type === 'y') {
    if (marker.value === 0x6c) return { endianness: 'little', guessed: false };
    if (marker.value === 0x42) return { endianness: 'big', guessed: false };
    throw invalidDelta(`invalid ${ENDIANNESS_KEY} byte 0x${(marker.value as number).toString(16)}`);
  }
  let totalSize = 0n;
  let totalObjects = 0n;
  for (const [, , size, usize, objects] of parts) {
    totalSize += size;
    totalObjects += BigInt(Math.floor(objects.length / OBJECT_ENTRY_BYTES));
    // size/usize > 1.2, in integers
    if (size > usize && size * 10n > usize * 12n) return { endianness: 'big', guessed: true };
  }
  if (totalObjects > 0n && totalSize / totalObjects > 0xffffffffn) return { endianness: 'big', guessed: true };
  return { endianness: 'little', guessed: true };
}

function decodeChecksumField(bytes: Uint8Array, what: string): string {
  checkDelta(bytes.length === CHECKSUM_BYTES, `${what} checksum is ${bytes.length} bytes, not ${CHECKSUM_BYTES}`);
  return checksumFromBytes(bytes);
}

/**
 * Parses and checks a superblock: normal form, 32-byte checksums, part versions, object lists,
 * content-only fallbacks, and the to-commit hashing to `to`.
 * @throws {OstreeError} INVALID_DELTA when malformed; CHECKSUM_MISMATCH when the commit does not match `to`
 */
export function decodeSuperblock(bytes: Uint8Array): DeltaSuperblock {
  const [metadata, timestamp, fromBytes, toBytes, commitValue, dependencies, rawParts, rawFallbacks] = decodingDelta('delta superblock', () =>
    superblockCodec.decode(bytes, { strict: true }),
  );
  const from = fromBytes.length === 0 ? undefined : decodeChecksumField(fromBytes, 'from');
  const to = decodeChecksumField(toBytes, 'to');
  const commitBytes = commitCodec.encode(commitValue);
  const commit = decodingDelta('to-commit', () => decodeCommit(commitBytes));
  const actual = metadataChecksum(commitBytes);
  if (actual !== to) throw new OstreeError('CHECKSUM_MISMATCH', `delta superblock: commit object hashes to ${actual}, expected ${to}`);
  checkDelta(dependencies.length % (2 * CHECKSUM_BYTES) === 0, 'dependencies are not checksum pairs');
  const { endianness, guessed } = deltaEndianness(metadata, rawParts);
  const swap = endianness === 'big';
  const parts = rawParts.map(([version, csum, size, usize, objects], i): DeltaPartHeader => {
    const v = u32(version, swap);
    checkDelta(v <= DELTA_PART_VERSION, `Delta part ${i} has too new version ${v}`);
    return {
      version: v,
      checksum: decodeChecksumField(csum, `part ${i}`),
      size: u64(size, swap),
      uncompressedSize: u64(usize, swap),
      objects: decodeObjectList(objects),
    };
  });
  const fallbacks = rawFallbacks.map(([typeByte, csum, csize, usize]): DeltaFallback => {
    const type = objectTypeFromByte(typeByte);
    checkDelta(!isMetadataObjectType(type) && type === 'file', `fallback object of type ${type}: only content objects may be fallbacks`);
    return { type, checksum: decodeChecksumField(csum, 'fallback'), compressedSize: u64(csize, swap), uncompressedSize: u64(usize, swap) };
  });
  return {
    metadata,
    timestamp: bswap64(timestamp),
    from,
    to,
    commitBytes,
    commit,
    dependencies,
    parts,
    fallbacks,
    endianness,
    endiannessGuessed: guessed,
  };
}

/**
 * The inline part `index` stored in superblock metadata, as its compression byte and body,
 * or undefined when the part is a separate file.
 */
export function inlinePart(superblock: Pick<DeltaSuperblock, 'metadata' | 'from' | 'to'>, index: number): { compression: number; body: Uint8Array } | undefined {
  const v = lookupMetadata(superblock.metadata, deltaPartPath(superblock.from, superblock.to, index));
  if (v === undefined || v.type !== '(yay)') return undefined;
  const [compression, body] = v.value as [number, Uint8Array];
  return { compression, body };
}

/** The to-commit's detached metadata carried in the superblock, if any. */
export function superblockCommitMeta(superblock: Pick<DeltaSuperblock, 'metadata' | 'from' | 'to'>): Metadata | undefined {
  const v = lookupMetadata(superblock.metadata, deltaCommitMetaKey(superblock.from, superblock.to));
  return v !== undefined && v.type === 'a{sv}' ? (v.value as Metadata) : undefined;
}
