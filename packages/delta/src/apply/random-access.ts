/**
 * Random-access byte sources for the apply engine: bytes in memory, or a file read by
 * position (a spooled part, a decompressed payload, an inflated read source). Memory stays
 * bounded because large data lives in files under the repo's `tmp/`.
 * @module
 */
import type { Fs, ReadHandle } from '@ostree-ts/io';
import { invalidDelta } from '../errors.js';

/** Bytes read by position. */
export interface RandomAccess {
  readonly size: number;
  /** Reads up to `length` bytes at `position` into `buffer` at `offset`; 0 at the end. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Zero-copy view when the bytes are in memory, else undefined. */
  readonly bytes?: Uint8Array;
  /** Releases the handle and deletes a temporary file. */
  close(): Promise<void>;
}

/** Chunk size for streaming reads. */
export const READ_CHUNK = 256 * 1024;

/** A source over bytes in memory. */
export function memorySource(bytes: Uint8Array): RandomAccess {
  return {
    size: bytes.length,
    bytes,
    read: async (buffer, offset, length, position) => {
      const part = bytes.subarray(position, position + length);
      buffer.set(part, offset);
      return part.length;
    },
    close: async () => undefined,
  };
}

/** A source over an open file; `onClose` runs after the handle is closed (e.g. to unlink it). */
export function fileSource(handle: ReadHandle, size: number, onClose?: () => Promise<void>): RandomAccess {
  return {
    size,
    read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
    close: async () => {
      await handle.close();
      await onClose?.();
    },
  };
}

/** A window `[start, start+size)` of another source (not owning it). */
export function windowOf(source: RandomAccess, start: number, size: number): RandomAccess {
  return {
    size,
    ...(source.bytes ? { bytes: source.bytes.subarray(start, start + size) } : {}),
    read: (buffer, offset, length, position) => source.read(buffer, offset, Math.max(0, Math.min(length, size - position)), start + position),
    close: async () => undefined,
  };
}

/**
 * Reads exactly `[start, end)`.
 * @throws {OstreeError} INVALID_DELTA when the source ends early
 */
export async function readRange(source: RandomAccess, start: number, end: number): Promise<Uint8Array> {
  if (source.bytes) return source.bytes.subarray(start, end);
  const out = new Uint8Array(end - start);
  let done = 0;
  while (done < out.length) {
    const n = await source.read(out, done, out.length - done, start + done);
    if (n <= 0) throw invalidDelta(`unexpected end of data at ${start + done}`);
    done += n;
  }
  return out;
}

/**
 * Streams `[start, end)` in chunks (views when in memory; fresh arrays otherwise, or with
 * `reuse` one array refilled for every chunk, for consumers done with a chunk before they ask
 * for the next: no garbage for V8 to collect late).
 */
export async function* streamRange(source: RandomAccess, start: number, end: number, chunk = READ_CHUNK, reuse = false): AsyncIterable<Uint8Array> {
  if (source.bytes) {
    for (let pos = start; pos < end; pos += chunk) yield source.bytes.subarray(pos, Math.min(end, pos + chunk));
    return;
  }
  const shared = reuse ? new Uint8Array(Math.min(chunk, end - start)) : undefined;
  for (let pos = start; pos < end; ) {
    const length = Math.min(chunk, end - pos);
    const buf = shared ? shared.subarray(0, length) : new Uint8Array(length);
    let done = 0;
    while (done < buf.length) {
      const n = await source.read(buf, done, buf.length - done, pos + done);
      if (n <= 0) throw invalidDelta(`unexpected end of data at ${pos + done}`);
      done += n;
    }
    pos += buf.length;
    yield buf;
  }
}

let counter = 0;

/** A fresh temporary file name in `dir`. */
export function tempName(dir: string, what: string): string {
  const rand = new Uint8Array(6);
  globalThis.crypto.getRandomValues(rand);
  return `${dir}/delta-${what}-${Array.from(rand, (b) => b.toString(16).padStart(2, '0')).join('')}-${counter++}`;
}

/**
 * Collects a stream: in memory up to `memoryBytes`, then in a temporary file in `tmpDir`
 * (deleted when the resulting source is closed).
 */
export class Spool {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private total = 0;
  private file: { path: string; handle: Awaited<ReturnType<Fs['openWrite']>> } | undefined;

  constructor(
    private readonly fs: Fs,
    private readonly tmpDir: string,
    private readonly memoryBytes: number,
  ) {}

  /** Bytes written so far. */
  get size(): number {
    return this.total;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.total += chunk.length;
    if (this.file) {
      await this.file.handle.write(chunk);
      return;
    }
    // Copy: callers may reuse their buffers.
    this.chunks.push(Uint8Array.from(chunk));
    this.buffered += chunk.length;
    if (this.buffered > this.memoryBytes) {
      const path = tempName(this.tmpDir, 'spool');
      const handle = await this.fs.openWrite(path, { mode: 0o600 });
      this.file = { path, handle };
      for (const c of this.chunks) await handle.write(c);
      this.chunks = [];
      this.buffered = 0;
    }
  }

  /** Finishes writing and returns the collected bytes as a source. */
  async finish(): Promise<RandomAccess> {
    if (!this.file) {
      const out = new Uint8Array(this.buffered);
      let pos = 0;
      for (const c of this.chunks) {
        out.set(c, pos);
        pos += c.length;
      }
      this.chunks = [];
      return memorySource(out);
    }
    const { path, handle } = this.file;
    await handle.close();
    const read = await this.fs.openRead(path);
    return fileSource(read, this.total, () => this.fs.unlink(path).catch(() => undefined));
  }

  /** Discards everything written (after a failure). */
  async discard(): Promise<void> {
    this.chunks = [];
    if (this.file) {
      await this.file.handle.close().catch(() => undefined);
      await this.fs.unlink(this.file.path).catch(() => undefined);
      this.file = undefined;
    }
  }
}
