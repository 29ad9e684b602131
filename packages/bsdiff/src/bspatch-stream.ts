/**
 * Streaming bspatch with bounded memory: the old file is read by position, the patch is pulled
 * chunk by chunk, and the new file comes out in chunks of at most `chunkSize` bytes.
 * @module
 */

import { PatchReader, type PatchSource } from './byte-reader.js';
import { CONTROL_SIZE, readControl } from './control.js';
import { BsdiffError } from './errors.js';
import { checkSegments, checkSize, seekOld } from './rules.js';

/**
 * Positional reads of the old file. Its `read` has the shape of `ReadHandle.read` in
 * `@ostree-ts/io` (and of Node's `FileHandle.read`), so `{ size, read: (...a) => h.read(...a) }`
 * adapts an open file.
 */
export interface OldFile {
  /** The old file's size in bytes. */
  readonly size: number;
  /** Reads up to `length` bytes at `position` into `buffer` at `offset`; returns the count (0 at end). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
}

/** Options of {@link bspatchStream}. */
export interface BspatchStreamOptions {
  /** Largest output chunk, and the size of the old-file read buffer. Default 64 KiB. */
  readonly chunkSize?: number;
}

/** Default {@link BspatchStreamOptions.chunkSize}. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** An {@link OldFile} over bytes in memory. */
export function oldFileFromBytes(bytes: Uint8Array): OldFile {
  return {
    size: bytes.length,
    read: async (buffer, offset, length, position) => {
      const part = bytes.subarray(position, position + length);
      buffer.set(part, offset);
      return part.length;
    },
  };
}

/**
 * Applies a raw bsdiff stream like {@link bspatch}, with memory bounded by about two times
 * `chunkSize` (one output chunk, one cached window of old) plus one patch chunk, whatever the
 * file sizes. Every chunk yielded is a fresh array the caller may keep; together they are
 * exactly `newSize` bytes. The patch is validated
 * as it is read, so a bad patch throws after some chunks may already have been yielded: treat
 * the output as untrusted until the iteration completes (and, in ostree, until the object's
 * checksum matches).
 *
 * @param old - positional reads of the old file
 * @param patch - the raw bsdiff stream, whole or in chunks (sync or async)
 * @param newSize - the size of the new file
 * @param options - see {@link BspatchStreamOptions}
 * @throws {@link BsdiffError} as {@link bspatch}, plus `OLD_TRUNCATED` when `old.read` returns
 *   fewer bytes than `old.size` promises
 */
export async function* bspatchStream(
  old: OldFile,
  patch: PatchSource,
  newSize: number,
  options: BspatchStreamOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  checkSize('newSize', newSize);
  checkSize('old.size', old?.size);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new BsdiffError('INVALID_ARGUMENT', `chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const reader = new PatchReader(patch);
  try {
    const control = new Uint8Array(CONTROL_SIZE);
    const oldWindow = new OldWindow(old, chunkSize);
    let out = new Uint8Array(Math.min(chunkSize, newSize));
    let filled = 0;
    let newPos = 0;
    let oldPos = 0;

    while (newPos < newSize) {
      await reader.readExactly(control, 0, CONTROL_SIZE);
      const triple = readControl(control, 0);
      checkSegments(triple, newPos, oldPos, newSize, old.size);

      // Diff: patch bytes plus old bytes, one output-buffer-sized piece at a time.
      let diffLeft = triple.diffLength;
      while (diffLeft > 0) {
        const piece = Math.min(diffLeft, out.length - filled, chunkSize);
        await reader.readExactly(out, filled, piece);
        const oldBytes = await oldWindow.view(oldPos, piece);
        for (let i = 0; i < piece; i++) out[filled + i] = out[filled + i]! + oldBytes[i]!;
        filled += piece;
        oldPos += piece;
        newPos += piece;
        diffLeft -= piece;
        if (filled === out.length) {
          yield out;
          out = new Uint8Array(Math.min(chunkSize, newSize - newPos));
          filled = 0;
        }
      }

      // Extra: patch bytes copied verbatim.
      let extraLeft = triple.extraLength;
      while (extraLeft > 0) {
        const piece = Math.min(extraLeft, out.length - filled);
        await reader.readExactly(out, filled, piece);
        filled += piece;
        newPos += piece;
        extraLeft -= piece;
        if (filled === out.length) {
          yield out;
          out = new Uint8Array(Math.min(chunkSize, newSize - newPos));
          filled = 0;
        }
      }
      oldPos = seekOld(oldPos, triple.oldSeek, old.size);
    }
  } finally {
    await reader.close();
  }
}

/**
 * Reads of the old file through one cached window of `windowSize` bytes: bsdiff reads old
 * mostly forward in many short diffs, so most reads are served without calling `old.read`.
 */
class OldWindow {
  private readonly window: Uint8Array;
  private start = 0;
  private length = 0;

  constructor(
    private readonly old: OldFile,
    windowSize: number,
  ) {
    this.window = new Uint8Array(Math.min(windowSize, Math.max(old.size, 1)));
  }

  /** Returns a view of old[position, position + length); `length` must not exceed the window size. */
  async view(position: number, length: number): Promise<Uint8Array> {
    if (position < this.start || position + length > this.start + this.length) {
      const fill = Math.min(this.window.length, this.old.size - position);
      await this.fill(position, fill);
    }
    const at = position - this.start;
    return this.window.subarray(at, at + length);
  }

  private async fill(position: number, length: number): Promise<void> {
    this.start = position;
    this.length = 0;
    while (this.length < length) {
      const n = await this.old.read(this.window, this.length, length - this.length, position + this.length);
      if (!(n > 0)) {
        throw new BsdiffError('OLD_TRUNCATED', `old file read returned ${n} at ${position + this.length}, expected ${length - this.length} more bytes`);
      }
      this.length += n;
    }
  }
}
