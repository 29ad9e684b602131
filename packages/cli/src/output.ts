/**
 * Where the command writes: buffered text and bytes with back-pressure, so `ostree-ts cat` of a
 * large file or `ls -R` of a large tree streams without holding everything in memory, and a
 * closed pipe (`ostree-ts log | head`) ends output quietly instead of crashing.
 * @module
 */

/** A destination for bytes, such as `process.stdout` or an in-memory capture. */
export interface Sink {
  /** Writes a chunk; resolves when the sink can take more. */
  write(chunk: Uint8Array): Promise<void>;
}

const encoder = new TextEncoder();
const FLUSH_BYTES = 64 * 1024;

/** Buffers small writes and hands them to a {@link Sink} in large chunks. */
export class Output {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(private readonly sink: Sink) {}

  /** Queues text (UTF-8 encoded). */
  async text(s: string): Promise<void> {
    await this.bytes(encoder.encode(s));
  }

  /** Queues bytes; flushes once enough has accumulated. */
  async bytes(b: Uint8Array): Promise<void> {
    if (b.length === 0) return;
    this.pending.push(b);
    this.pendingBytes += b.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  /** Writes everything queued. */
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const chunks = this.pending;
    const total = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (chunks.length === 1) {
      await this.sink.write(chunks[0]!);
      return;
    }
    const joined = new Uint8Array(total);
    let pos = 0;
    for (const c of chunks) {
      joined.set(c, pos);
      pos += c.length;
    }
    await this.sink.write(joined);
  }
}

/** The subset of a Node writable stream that {@link streamSink} needs. */
export interface WritableLike {
  write(chunk: Uint8Array): boolean;
  once(event: 'drain' | 'error' | 'close', listener: (...args: unknown[]) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
}

/**
 * A sink over a Node stream. After EPIPE (the reader went away) further writes are dropped, as
 * a C program killed by SIGPIPE would have produced no more output either.
 */
export function streamSink(stream: WritableLike): Sink {
  let broken = false;
  stream.on('error', (err) => {
    if ((err as { code?: string }).code === 'EPIPE') broken = true;
  });
  return {
    async write(chunk) {
      if (broken) return;
      if (stream.write(chunk)) return;
      await new Promise<void>((resolve) => {
        stream.once('drain', () => resolve());
        stream.once('error', () => resolve());
        stream.once('close', () => resolve());
      });
    },
  };
}

/** A sink that keeps everything written (tests, embedding). */
export class CaptureSink implements Sink {
  private readonly chunks: Uint8Array[] = [];

  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(chunk.slice());
  }

  /** Everything written so far. */
  bytes(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let pos = 0;
    for (const c of this.chunks) {
      out.set(c, pos);
      pos += c.length;
    }
    return out;
  }

  /** Everything written so far, decoded as UTF-8. */
  text(): string {
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(this.bytes());
  }
}
