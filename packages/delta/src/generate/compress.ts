/**
 * xz for part payloads (node-liblzma, loaded lazily so the rest of the generator has no native
 * dependency). ostree always writes preset 8 (32 MiB dictionary) with a CRC64 check. Presets
 * 6–9 differ only in dictionary size, and a dictionary larger than the data gains nothing, so
 * parts of up to 8 MiB use preset 6 and up to 16 MiB preset 7: the same compression, but
 * about 90 instead of 370 MB of encoder memory, and a smaller dictionary for the client's
 * decoder. {@link ostreePresetCompressPart} keeps preset 8 (byte-identical to ostree's parts).
 * @module
 */
import { PART_COMPRESSION_NONE, PART_COMPRESSION_XZ } from '../part.js';
import { concatBytes } from '@ostree-ts/core';
import { invalidDelta } from '../errors.js';
import type { XzCodec } from '../xz.js';

/** Compresses a part payload into an xz container. */
export type PartCompressor = (payload: Uint8Array) => Promise<Uint8Array>;

let codec: Promise<XzCodec> | undefined;
const nodeCodec = (): Promise<XzCodec> => (codec ??= import('../xz-node.js').then((m) => m.nodeXz()));

type NodeLzma = {
  xzAsync(buffer: Uint8Array, opts: { preset: number; check: number }): Promise<Uint8Array>;
  check: { CRC64: number };
};
let lzma: Promise<NodeLzma> | undefined;

async function xzWithPreset(payload: Uint8Array, preset: number): Promise<Uint8Array> {
  const nl = await (lzma ??= import('node-liblzma') as unknown as Promise<NodeLzma>);
  const out = await nl.xzAsync(payload, { preset, check: nl.check.CRC64 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** xz preset 6, 7 or 8 (the smallest whose dictionary covers the payload), CRC64. */
export const xzCompressPart: PartCompressor = (payload) => xzWithPreset(payload, payload.length <= 8 << 20 ? 6 : payload.length <= 16 << 20 ? 7 : 8);

/** xz exactly as ostree writes parts: preset 8, CRC64. */
export const ostreePresetCompressPart: PartCompressor = (payload) => xzWithPreset(payload, 8);

/**
 * The payload of a whole part file held in memory (for `static-delta show`): the bytes after
 * a `0` compression byte, or the xz-decompressed bytes after `x`.
 * @throws {OstreeError} INVALID_DELTA on another compression byte or bad xz data
 */
export async function readPartFilePayload(file: Uint8Array, maxOutputBytes = 2 ** 32): Promise<Uint8Array> {
  if (file.length === 0) throw invalidDelta('empty delta part');
  const body = file.subarray(1);
  if (file[0] === PART_COMPRESSION_NONE) return body;
  if (file[0] !== PART_COMPRESSION_XZ) throw invalidDelta(`Invalid compression type '${file[0]}'`);
  const { DEFAULT_XZ_MEMLIMIT } = await import('../xz.js');
  const chunks: Uint8Array[] = [];
  async function* once(): AsyncIterable<Uint8Array> {
    yield body;
  }
  for await (const c of (await nodeCodec()).decompress(once(), { memlimit: DEFAULT_XZ_MEMLIMIT, maxOutputBytes })) {
    chunks.push(Uint8Array.from(c)); // the decoder reuses its buffer
  }
  return concatBytes(chunks);
}
