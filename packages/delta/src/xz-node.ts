/// <reference types="node" />
/**
 * xz through node-liblzma (native liblzma). With Debian's liblzma, compressing at preset 8 with
 * a CRC64 check gives exactly the bytes ostree 2022.7 writes into delta parts.
 * @module
 */
import * as lzma from 'node-liblzma';
import { isOstreeError } from '@ostree-ts/core';
import { invalidDelta } from './errors.js';
import { capOutput, limitXzInput, type XzCodec, type XzDecodeLimits } from './xz.js';

/**
 * Output chunk size. 256 KiB: far fewer thread-pool round trips than node-liblzma's 8 KiB
 * default (measured ~2x faster on a 200 MiB part).
 */
const OUTPUT_CHUNK = 256 * 1024;

/** The native coder inside node-liblzma's streams (4.x; not in its public typings). */
interface NativeCoder {
  code(flush: number, input: Buffer, inOffset: number, inAvailable: number, output: Buffer, outOffset: number, done: (status: number, inLeft: number, outLeft: number) => boolean): void;
}

/**
 * node-liblzma's decoder driven directly, into one output buffer the caller reuses. Its
 * stream interface allocates a fresh buffer for every output chunk; V8 frees those only when
 * a collection happens to run, so ~32 MiB of dead chunks stayed in the process while a part
 * decompressed (peak RSS, measured with process.memoryUsage().arrayBuffers).
 */
class DirectUnxz {
  // The stream's own output buffer is never used: keep it small.
  private readonly stream = lzma.createUnxz({ chunkSize: 1024 });
  private readonly native: NativeCoder;

  constructor() {
    const native = (this.stream as unknown as { lzma?: Partial<NativeCoder> }).lzma;
    if (typeof native?.code !== 'function') {
      this.stream.destroy();
      throw new Error('node-liblzma: no native coder on the stream');
    }
    this.native = native as NativeCoder;
  }

  /** One liblzma call (on the thread pool): returns [status, input left, output space left]. */
  step(finish: boolean, input: Buffer, inOffset: number, inAvailable: number, output: Buffer, outOffset: number): Promise<[number, number, number]> {
    return new Promise((resolve) => {
      this.native.code(finish ? lzma.LZMA_FINISH : lzma.LZMA_RUN, input, inOffset, inAvailable, output, outOffset, (status, inLeft, outLeft) => {
        resolve([status, inLeft, outLeft]);
        return false;
      });
    });
  }

  close(): void {
    this.stream.close();
  }
}

function liblzmaFailure(status: number): Error {
  return invalidDelta(`delta part: xz decoding failed (liblzma status ${status})`);
}

/**
 * Decodes `input` into `output`, yielding views of it: each view is only valid until the next
 * one is requested.
 */
async function* decodeInto(decoder: DirectUnxz, input: AsyncIterable<Uint8Array>, output: Buffer): AsyncIterable<Uint8Array> {
  const empty = Buffer.alloc(0);
  let ended = false;
  const run = async function* (chunk: Buffer, finish: boolean): AsyncIterable<Uint8Array> {
    let offset = 0;
    let available = chunk.length;
    for (;;) {
      const [status, inLeft, outLeft] = await decoder.step(finish, chunk, offset, available, output, 0);
      if (status !== lzma.LZMA_OK && status !== lzma.LZMA_STREAM_END) throw liblzmaFailure(status);
      const produced = output.length - outLeft;
      const consumed = available - inLeft;
      offset += consumed;
      available = inLeft;
      if (produced > 0) yield output.subarray(0, produced);
      if (status === lzma.LZMA_STREAM_END) ended = true;
      // More to come while the output filled up or input is left; stop when nothing moved.
      if ((outLeft > 0 && inLeft === 0) || (produced === 0 && consumed === 0)) {
        if (inLeft > 0) throw invalidDelta('delta part: data after the end of the xz stream');
        return;
      }
    }
  };
  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    yield* run(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length), false);
  }
  yield* run(empty, true);
  if (!ended) throw invalidDelta('delta part: truncated xz stream');
}

async function* decompress(input: AsyncIterable<Uint8Array>, limits: XzDecodeLimits): AsyncIterable<Uint8Array> {
  const decoder = new DirectUnxz();
  try {
    yield* capOutput(decodeInto(decoder, limitXzInput(input, limits.memlimit), Buffer.allocUnsafe(OUTPUT_CHUNK)), limits.maxOutputBytes);
  } catch (e) {
    if (!isOstreeError(e)) {
      throw invalidDelta(`delta part: xz decoding failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    throw e;
  } finally {
    decoder.close();
  }
}

/** The node-liblzma backend. Decoded chunks are views of one buffer, overwritten by the next. */
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
