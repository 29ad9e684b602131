import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasOstree } from '../../../test-vectors/trees/ostree.js';
import { decodeSuperblock, decodePartPayload, deltaPartPath, deltaSuperblockPath } from '../src/index.js';
import { checkXzHead, lzma2DictionarySize, DEFAULT_XZ_MEMLIMIT, type XzCodec } from '../src/xz.js';
import { nodeXz } from '../src/xz-node.js';
import { wasmXz } from '../src/xz-wasm.js';
import { makeRealDeltaFixture, noise, readRepoFile, type RealDeltaFixture } from './helpers/real-deltas.js';

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of it) chunks.push(Uint8Array.from(c));
  return new Uint8Array(Buffer.concat(chunks));
}
async function* chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const limits = { memlimit: DEFAULT_XZ_MEMLIMIT, maxOutputBytes: 1 << 30 };
const backends: XzCodec[] = [nodeXz(), wasmXz()];

describe.skipIf(!hasOstree)('xz on real ostree parts', () => {
  let fx: RealDeltaFixture;
  let part: Uint8Array;
  beforeAll(() => {
    fx = makeRealDeltaFixture();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`);
    const sb = decodeSuperblock(readRepoFile(fx.repo, deltaSuperblockPath(fx.v1, fx.v2)));
    expect(sb.parts).toHaveLength(1);
    part = readRepoFile(fx.repo, deltaPartPath(fx.v1, fx.v2, 0));
  });
  afterAll(() => fx?.cleanup());

  it.each(backends)('$name decodes the part in small chunks to a valid payload', async (xz) => {
    const payload = await collect(xz.decompress(chunked(part.subarray(1), 1000), limits));
    const p = decodePartPayload(payload);
    expect(p.operations.length).toBeGreaterThan(0);
    const other = await collect((xz === backends[0] ? backends[1]! : backends[0]!).decompress(chunked(part.subarray(1), 7777), limits));
    expect(Buffer.from(other).equals(Buffer.from(payload))).toBe(true);
  });

  it('node-liblzma re-compresses the payload to exactly the bytes ostree wrote', async () => {
    const payload = await collect(nodeXz().decompress(chunked(part.subarray(1), 65536), limits));
    const again = await nodeXz().compress!(payload);
    expect(Buffer.from(again).equals(Buffer.from(part.subarray(1)))).toBe(true);
  });
});

describe('xz limits', () => {
  it.each(backends)('$name enforces the output cap', async (xz) => {
    const big = await nodeXz().compress!(new Uint8Array(1_000_000));
    await expect(collect(xz.decompress(chunked(big, 4096), { ...limits, maxOutputBytes: 100_000 }))).rejects.toMatchObject({ code: 'INVALID_DELTA' });
    expect((await collect(xz.decompress(chunked(big, 4096), { ...limits, maxOutputBytes: 1_000_000 }))).length).toBe(1_000_000);
  });

  it.each(backends)('$name refuses dictionaries above the memory limit (preset 8 = 32 MiB)', async (xz) => {
    const data = await nodeXz().compress!(noise(1000, 5));
    await expect(collect(xz.decompress(chunked(data, 3), { ...limits, memlimit: 16 << 20 }))).rejects.toMatchObject({ code: 'INVALID_DELTA' });
    expect((await collect(xz.decompress(chunked(data, 3), { ...limits, memlimit: 32 << 20 }))).length).toBe(1000);
  });

  it.each(backends)('$name turns corrupt and truncated streams into INVALID_DELTA', async (xz) => {
    const data = await nodeXz().compress!(noise(100_000, 9));
    const corrupt = Uint8Array.from(data);
    const mid = Math.floor(data.length / 2);
    corrupt[mid] = corrupt[mid]! ^ 0xff;
    await expect(collect(xz.decompress(chunked(corrupt, 5000), limits))).rejects.toMatchObject({ code: 'INVALID_DELTA' });
    await expect(collect(xz.decompress(chunked(data.subarray(0, data.length - 20), 5000), limits))).rejects.toMatchObject({ code: 'INVALID_DELTA' });
    await expect(collect(xz.decompress(chunked(new Uint8Array([1, 2, 3]), 5000), limits))).rejects.toMatchObject({ code: 'INVALID_DELTA' });
  });

  it.each(backends)('$name verifies the CRC64 check ostree writes', async (xz) => {
    const data = await nodeXz().compress!(new Uint8Array(1000).fill(7));
    const buf = Buffer.from(data);
    const indexStart = buf.length - 12 - (buf.readUInt32LE(buf.length - 8) + 1) * 4;
    const bad = Uint8Array.from(data);
    bad[indexStart - 1] = bad[indexStart - 1]! ^ 1; // last byte of the block's CRC64
    await expect(collect(xz.decompress(chunked(bad, 100), limits))).rejects.toMatchObject({ code: 'INVALID_DELTA' });
    expect((await collect(xz.decompress(chunked(data, 100), limits))).length).toBe(1000);
  });

  it('decodes LZMA2 dictionary sizes', () => {
    expect(lzma2DictionarySize(0)).toBe(4096);
    expect(lzma2DictionarySize(1)).toBe(6144);
    expect(lzma2DictionarySize(22)).toBe(8 << 20);
    expect(lzma2DictionarySize(40)).toBe(0xffffffff);
    expect(() => lzma2DictionarySize(41)).toThrow();
    expect(checkXzHead(new Uint8Array(5), 1)).toBe(13);
  });
});
