/**
 * Delta parts (spec §5.6, §5.7): the part file `(yay)` (a compression byte, then the body) and
 * the part payload `(a(uuu)aa(ayay)ayay)`: mode table, xattr table, payload blob, operations.
 *
 * The payload's framing offsets sit at its end, so {@link partPayloadLayout} locates the four
 * fields from the total size and the trailing bytes alone: the apply engine reads the tables
 * and operations into memory and the (possibly huge) blob by positional reads.
 * @module
 */
import { codec, offsetWidthForSize } from '@ostree-ts/gvariant';
import { bswap32, type Xattr } from '@ostree-ts/core';
import { checkDelta, decodingDelta } from './errors.js';

/** Part file compression byte: uncompressed payload. */
export const PART_COMPRESSION_NONE = 0x00;
/** Part file compression byte `'x'`: an xz container of the payload. */
export const PART_COMPRESSION_XZ = 0x78;
/** GVariant type of the part payload (`OSTREE_STATIC_DELTA_PART_PAYLOAD_FORMAT_V0`). */
export const PART_PAYLOAD_TYPE = '(a(uuu)aa(ayay)ayay)';

const payloadCodec = codec(PART_PAYLOAD_TYPE);
const modesCodec = codec('a(uuu)');
const xattrsCodec = codec('aa(ayay)');

/** One entry of a part's mode table (stored big-endian inside the little-endian variant). */
export interface DeltaMode {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

/** A part payload, decoded. */
export interface PartPayload {
  readonly modes: readonly DeltaMode[];
  /** Xattr sets; each is sorted canonical xattrs (the empty set is an entry too). */
  readonly xattrs: readonly (readonly Xattr[])[];
  /** The payload blob that operations slice. */
  readonly blob: Uint8Array;
  /** The operations byte stream (spec §5.8). */
  readonly operations: Uint8Array;
}

/** Where each field of a serialized part payload lies: `[start, end)` byte ranges. */
export interface PartPayloadLayout {
  readonly modes: readonly [number, number];
  readonly xattrs: readonly [number, number];
  readonly blob: readonly [number, number];
  readonly operations: readonly [number, number];
}

/** Serializes a part payload. Modes are written big-endian as ostree does. */
export function encodePartPayload(payload: PartPayload): Uint8Array {
  return payloadCodec.encode([
    payload.modes.map((m) => [bswap32(m.uid), bswap32(m.gid), bswap32(m.mode)] as [number, number, number]),
    payload.xattrs as [Uint8Array, Uint8Array][][],
    payload.blob,
    payload.operations,
  ]);
}

/** The part file bytes: the compression byte followed by `body`. */
export function encodePartFile(compression: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out[0] = compression;
  out.set(body, 1);
  return out;
}

/** How many trailing bytes {@link partPayloadLayout} needs for a payload of `size` bytes. */
export function partPayloadTrailerBytes(size: number): number {
  return 3 * offsetWidthForSize(size);
}

/**
 * Locates the fields of a serialized part payload of `size` bytes from its last
 * {@link partPayloadTrailerBytes} bytes.
 * @throws {OstreeError} INVALID_DELTA when the framing offsets are out of order or out of range
 */
export function partPayloadLayout(size: number, trailer: Uint8Array): PartPayloadLayout {
  const width = offsetWidthForSize(size);
  checkDelta(width > 0 && trailer.length === 3 * width, `part payload of ${size} bytes is too short`);
  const read = (k: number): number => {
    // Offsets are stored in reverse order: the first field's end is the last offset.
    const at = (2 - k) * width;
    let v = 0;
    for (let i = width - 1; i >= 0; i--) v = v * 256 + trailer[at + i]!;
    return v;
  };
  const end0 = read(0);
  const end1 = read(1);
  const end2 = read(2);
  const bodyEnd = size - 3 * width;
  checkDelta(end0 <= end1 && end1 <= end2 && end2 <= bodyEnd, 'part payload framing offsets out of order or range');
  checkDelta(end0 % 12 === 0, 'part payload mode table is not a whole number of entries');
  return { modes: [0, end0], xattrs: [end0, end1], blob: [end1, end2], operations: [end2, bodyEnd] };
}

/**
 * Decodes a mode table `a(uuu)` (big-endian values).
 * @throws {OstreeError} INVALID_DELTA when malformed
 */
export function decodeModeTable(bytes: Uint8Array): DeltaMode[] {
  const raw = decodingDelta('part mode table', () => modesCodec.decode(bytes));
  return raw.map(([uid, gid, mode]) => ({ uid: bswap32(uid), gid: bswap32(gid), mode: bswap32(mode) }));
}

/**
 * Decodes an xattr table `aa(ayay)`.
 * @throws {OstreeError} INVALID_DELTA when malformed
 */
export function decodeXattrTable(bytes: Uint8Array): Xattr[][] {
  return decodingDelta('part xattr table', () => xattrsCodec.decode(bytes));
}

/**
 * Decodes a whole in-memory part payload.
 * @throws {OstreeError} INVALID_DELTA when malformed
 */
export function decodePartPayload(bytes: Uint8Array): PartPayload {
  const trailer = bytes.subarray(bytes.length - partPayloadTrailerBytes(bytes.length));
  const layout = partPayloadLayout(bytes.length, trailer);
  const slice = (r: readonly [number, number]): Uint8Array => bytes.subarray(r[0], r[1]);
  return {
    modes: decodeModeTable(slice(layout.modes)),
    xattrs: decodeXattrTable(slice(layout.xattrs)),
    blob: slice(layout.blob),
    operations: slice(layout.operations),
  };
}
