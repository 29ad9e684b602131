/** @internal Small byte helpers. @module */
import { CompressError } from './errors.js';

/** Joins chunks into one array (no copy for a single chunk). */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** Throws COMPRESS_INVALID_ARGUMENT unless `data` is a Uint8Array (Buffer included). */
export function checkBytes(data: unknown, what: string): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) {
    throw new CompressError('COMPRESS_INVALID_ARGUMENT', `${what} must be a Uint8Array`);
  }
}

/** Throws COMPRESS_INVALID_ARGUMENT unless `options` is undefined or a plain object. */
export function checkOptions(options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new CompressError('COMPRESS_INVALID_ARGUMENT', 'options must be an object');
  }
}
