/**
 * xz decoding in pure WebAssembly (xz-decompress, built from XZ Embedded): no native code, for
 * browsers and runtimes without addons. Decode only; it cannot verify SHA-256 stream checks
 * (ostree writes CRC64, which it does verify).
 * @module
 */
import xzDecompress from 'xz-decompress';
import { isOstreeError } from '@ostree-ts/core';
import { invalidDelta } from './errors.js';
import { capOutput, limitXzInput, type XzCodec, type XzDecodeLimits } from './xz.js';

type XzReadableStreamCtor = new (input: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;
const { XzReadableStream } = xzDecompress as unknown as { XzReadableStream: XzReadableStreamCtor };

function toReadableStream(input: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = input[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value.slice()); // queued ahead, and the producer may reuse its buffer
    },
    async cancel() {
      await it.return?.();
    },
  });
}

async function* fromReadableStream(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function* decompress(input: AsyncIterable<Uint8Array>, limits: XzDecodeLimits): AsyncIterable<Uint8Array> {
  const out = new XzReadableStream(toReadableStream(limitXzInput(input, limits.memlimit)));
  try {
    yield* capOutput(fromReadableStream(out), limits.maxOutputBytes);
  } catch (e) {
    if (!isOstreeError(e)) {
      throw invalidDelta(`delta part: xz decoding failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    throw e;
  }
}

/** The pure-WASM backend (decode only). */
export function wasmXz(): XzCodec {
  return { name: 'xz-decompress', decompress };
}
