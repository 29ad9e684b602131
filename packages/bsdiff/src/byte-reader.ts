/**
 * Exact-length reads from a patch given as bytes or as a (sync or async) sequence of chunks.
 * @module
 */

import { BsdiffError } from './errors.js';

/** A patch: all its bytes, or its bytes as chunks of any sizes. */
export type PatchSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Pulls chunks on demand and hands out exact byte counts; holds at most one chunk. */
export class PatchReader {
  private readonly chunks: Iterator<Uint8Array> | AsyncIterator<Uint8Array>;
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  /** Patch bytes consumed so far (for error messages). */
  consumed = 0;

  constructor(source: PatchSource) {
    if (source instanceof Uint8Array) this.chunks = [source][Symbol.iterator]();
    else if (typeof source === 'object' && source !== null && Symbol.asyncIterator in source) this.chunks = source[Symbol.asyncIterator]();
    else if (typeof source === 'object' && source !== null && Symbol.iterator in source) this.chunks = source[Symbol.iterator]();
    else throw new BsdiffError('INVALID_ARGUMENT', 'patch must be a Uint8Array or an iterable of Uint8Arrays');
  }

  /** Bytes buffered and not yet handed out. */
  get buffered(): number {
    return this.chunk.length - this.at;
  }

  /** Makes at least one byte available; `false` at the end of the patch. */
  async fill(): Promise<boolean> {
    while (this.at >= this.chunk.length) {
      const next = await this.chunks.next();
      if (next.done) return false;
      if (!(next.value instanceof Uint8Array)) throw new BsdiffError('INVALID_ARGUMENT', 'patch chunks must be Uint8Arrays');
      this.chunk = next.value;
      this.at = 0;
    }
    return true;
  }

  /** Takes up to `max` buffered bytes (call {@link fill} first); the view is valid until the next call. */
  take(max: number): Uint8Array {
    const n = Math.min(max, this.chunk.length - this.at);
    const view = this.chunk.subarray(this.at, this.at + n);
    this.at += n;
    this.consumed += n;
    return view;
  }

  /** Copies exactly `length` bytes into `target` at `offset`, or throws `TRUNCATED_PATCH`. */
  async readExactly(target: Uint8Array, offset: number, length: number): Promise<void> {
    let done = 0;
    while (done < length) {
      if (!(await this.fill())) {
        throw new BsdiffError('TRUNCATED_PATCH', `patch ends after ${this.consumed} bytes, ${length - done} more expected`);
      }
      const part = this.take(length - done);
      target.set(part, offset + done);
      done += part.length;
    }
  }

  /** Stops the underlying iterator early (lets a generator source clean up). */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}
