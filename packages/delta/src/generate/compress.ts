/**
 * xz for part payloads, through the package's xz interface (xz.ts) with the node-liblzma
 * backend, loaded lazily so the rest of the generator has no native dependency. ostree writes
 * an xz container at preset 8 with a CRC64 check; node-liblzma reproduces its bytes.
 * @module
 */
import { PART_COMPRESSION_NONE, PART_COMPRESSION_XZ } from '../part.js';
import { invalidDelta } from '../errors.js';
import type { XzCodec } from '../xz.js';

/** Compresses a part payload into an xz container. */
export type PartCompressor = (payload: Uint8Array) => Promise<Uint8Array>;

let codec: Promise<XzCodec> | undefined;
const nodeCodec = (): Promise<XzCodec> => (codec ??= import('../xz-node.js').then((m) => m.nodeXz()));

/** xz with ostree's settings (preset 8, CRC64). */
export const xzCompressPart: PartCompressor = async (payload) => (await nodeCodec()).compress!(payload);

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
  let total = 0;
  async function* once(): AsyncIterable<Uint8Array> {
    yield body;
  }
  for await (const c of (await nodeCodec()).decompress(once(), { memlimit: DEFAULT_XZ_MEMLIMIT, maxOutputBytes })) {
    chunks.push(c);
    total += c.length;
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}
