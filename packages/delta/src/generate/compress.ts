/**
 * xz compression of part payloads. ostree writes an xz container, preset 8, CRC64 check;
 * node-liblzma built against the system liblzma reproduces its bytes exactly. Loaded lazily
 * so the rest of the generator has no native dependency.
 * @module
 */

/** Compresses a part payload into an xz container. */
export type PartCompressor = (payload: Uint8Array) => Promise<Uint8Array>;

type XzModule = {
  xzAsync(buffer: Uint8Array, opts: { preset: number; check: number }): Promise<Uint8Array>;
  check: { CRC64: number };
};

let loaded: Promise<XzModule> | undefined;

/** xz with ostree's settings (preset 8, CRC64), through node-liblzma. */
export const xzCompressPart: PartCompressor = async (payload) => {
  loaded ??= import('node-liblzma') as unknown as Promise<XzModule>;
  const nl = await loaded;
  const out = await nl.xzAsync(payload, { preset: 8, check: nl.check.CRC64 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};
