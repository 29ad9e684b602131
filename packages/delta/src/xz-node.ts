/// <reference types="node" />
/**
 * xz through node-liblzma (native liblzma). With Debian's liblzma, compressing at preset 8 with
 * a CRC64 check gives exactly the bytes ostree 2022.7 writes into delta parts.
 * @module
 */
import { Readable } from 'node:stream';
import * as lzma from 'node-liblzma';
import { isOstreeError } from '@ostree-ts/core';
import { invalidDelta } from './errors.js';
import { capOutput, limitXzInput, type XzCodec, type XzDecodeLimits } from './xz.js';

async function* decompress(input: AsyncIterable<Uint8Array>, limits: XzDecodeLimits): AsyncIterable<Uint8Array> {
  // 256 KiB output chunks: far fewer thread-pool round trips than the 8 KiB default (measured
  // ~2x faster), and buffers this large are mmapped, so freed ones leave the process at once.
  const unxz = lzma.createUnxz({ chunkSize: 256 * 1024 });
  const source = Readable.from(limitXzInput(input, limits.memlimit), { objectMode: false });
  source.on('error', (e) => unxz.destroy(e));
  source.pipe(unxz);
  try {
    for await (const chunk of capOutput(unxz as AsyncIterable<Buffer>, limits.maxOutputBytes)) {
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    }
  } catch (e) {
    if (!isOstreeError(e)) {
      throw invalidDelta(`delta part: xz decoding failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    throw e;
  } finally {
    source.destroy();
    unxz.destroy();
  }
}

/** The node-liblzma backend. */
export function nodeXz(): XzCodec {
  return {
    name: 'node-liblzma',
    decompress,
    async compress(data: Uint8Array): Promise<Uint8Array> {
      const out = await lzma.xzAsync(Buffer.from(data.buffer, data.byteOffset, data.length), { preset: 8, check: lzma.check.CRC64 });
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    },
  };
}
