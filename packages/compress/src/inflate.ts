/**
 * Raw inflate with an output cap: node:zlib where present (2–4× faster), pako elsewhere.
 * @module
 */
import { ZStream, zlibInflate, zlibInflateInit2 } from 'pako';
import { CompressError } from './errors.js';
import { type InflateInfo, type NodeZlib, isNodeDataError, isNodeTooLarge, nodeInflater, toPlain } from './node-zlib.js';
import { type ByteTransform, type Engine, guardTransform } from './transform.js';
import { checkBytes, checkOptions, concat } from './util.js';

/** Options of {@link inflateRaw} and {@link createRawInflate}. */
export interface InflateOptions {
  /**
   * Largest total output accepted, in bytes (a non-negative safe integer; default: no limit).
   * Inflating stops with `COMPRESS_TOO_LARGE` as soon as the output would exceed it, without
   * producing the rest, so a small deflate bomb cannot exhaust memory. For a `.filez` object,
   * pass the size from its header.
   */
  maxOutputBytes?: number;
}

const Z_NO_FLUSH = 0;
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const OUT_CHUNK = 64 * 1024;
/**
 * Streaming inflate on Node keeps compressed input back while it is small and, if the stream
 * ends within it, inflates it with node:zlib in one call; past it, it switches to pako's
 * incremental inflater (node:zlib has no synchronous incremental API). Without a cap, or with a
 * cap above {@link SMALL_CAP}, the limit is 64 KiB of input (≈ the expansion of one push).
 */
const NODE_BUFFER_LIMIT = 64 * 1024;
/**
 * With `maxOutputBytes` at most this, the whole output is bounded by the cap anyway, so the
 * whole compressed stream (normally ≤ cap + 1/8) is held back and inflated by node:zlib.
 */
const SMALL_CAP = 8 * 1024 * 1024;
/** Below this, the cap is handed to node:zlib (its own limit is at least 2^31 − 1 everywhere). */
const NODE_CAP_LIMIT = 2 ** 31 - 1;

function tooLarge(cap: number, cause?: unknown): CompressError {
  const limit = Number.isFinite(cap) ? `maxOutputBytes (${cap})` : 'the largest array this runtime can allocate';
  return new CompressError('COMPRESS_TOO_LARGE', `inflated data exceeds ${limit}`, { cause });
}

function corrupt(detail: string, cause?: unknown): CompressError {
  return new CompressError('COMPRESS_CORRUPT', `invalid raw deflate stream: ${detail}`, { cause });
}

function readCap(options: InflateOptions | undefined): number {
  checkOptions(options);
  const cap = options?.maxOutputBytes;
  if (cap === undefined) return Infinity;
  if (typeof cap !== 'number' || !Number.isSafeInteger(cap) || cap < 0) {
    throw new CompressError(
      'COMPRESS_INVALID_ARGUMENT',
      `maxOutputBytes must be a non-negative safe integer, got ${String(cap)}`,
    );
  }
  return cap;
}

/** One-shot node:zlib inflate of a complete stream, with all checks. */
function nodeInflateAll(z: NodeZlib, data: Uint8Array, cap: number): Uint8Array {
  const opts: Record<string, unknown> = { info: true, chunkSize: OUT_CHUNK };
  if (cap < NODE_CAP_LIMIT) opts['maxOutputLength'] = Math.max(1, cap);
  let r: InflateInfo;
  try {
    r = z.inflateRawSync(data, opts) as InflateInfo;
  } catch (e) {
    if (isNodeTooLarge(e)) throw tooLarge(cap, e);
    if (isNodeDataError(e)) throw corrupt((e as Error).message, e);
    throw e;
  }
  if (r.engine.bytesWritten !== data.length) {
    throw corrupt(`${data.length - r.engine.bytesWritten} bytes after the end of the stream`);
  }
  if (r.buffer.length > cap) throw tooLarge(cap);
  return toPlain(r.buffer);
}

/** Streaming zlib inflate in pako; output in ≤64 KiB views, cap checked per step. */
class PakoInflate {
  private readonly strm = new ZStream();
  private out = new Uint8Array(OUT_CHUNK);
  private outStart = 0;
  private total = 0;
  private done = false;

  constructor(private readonly cap: number) {
    const status = zlibInflateInit2(this.strm, -15);
    if (status !== Z_OK) throw new Error(`pako inflateInit2 failed (${status})`);
    this.strm.output = this.out;
    this.strm.next_out = 0;
    this.strm.avail_out = OUT_CHUNK;
  }

  run(chunk: Uint8Array, final: boolean): Uint8Array[] {
    const res: Uint8Array[] = [];
    if (chunk.length > 0) {
      if (this.done) throw corrupt('bytes after the end of the stream');
      this.feed(chunk, res);
    }
    if (final && !this.done) throw corrupt('truncated (unexpected end of input)');
    return res;
  }

  private feed(chunk: Uint8Array, res: Uint8Array[]): void {
    const strm = this.strm;
    strm.input = chunk;
    strm.next_in = 0;
    strm.avail_in = chunk.length;
    try {
      for (;;) {
        const status = zlibInflate(strm, Z_NO_FLUSH);
        if (status !== Z_OK && status !== Z_STREAM_END && status !== Z_BUF_ERROR) {
          throw corrupt(strm.msg || `zlib status ${status}`);
        }
        const produced = strm.next_out - this.outStart;
        if (this.total + produced > this.cap) throw tooLarge(this.cap);
        const full = strm.avail_out === 0;
        if (produced > 0 && (full || status === Z_STREAM_END || strm.avail_in === 0)) {
          res.push(this.out.subarray(this.outStart, strm.next_out));
          this.total += produced;
          this.outStart = strm.next_out;
        }
        if (status === Z_STREAM_END) {
          this.done = true;
          if (strm.avail_in > 0) throw corrupt(`${strm.avail_in} bytes after the end of the stream`);
          return;
        }
        if (full) {
          this.out = new Uint8Array(OUT_CHUNK);
          this.outStart = 0;
          strm.output = this.out;
          strm.next_out = 0;
          strm.avail_out = OUT_CHUNK;
          continue;
        }
        // Output space left and not at the end: zlib consumed all input and wants more.
        if (strm.avail_in !== 0) throw corrupt('inflate made no progress');
        return;
      }
    } finally {
      strm.input = EMPTY;
    }
  }
}

const EMPTY = new Uint8Array(0);

/**
 * Keeps compressed input while it is small; a stream that ends within the limit is inflated by
 * node:zlib in one call, a longer one is handed to {@link PakoInflate} (buffered input first).
 */
class HybridInflate implements Engine {
  private buffered: Uint8Array[] = [];
  private bufferedLen = 0;
  private pako: PakoInflate | undefined;
  private readonly limit: number;

  constructor(
    private readonly z: NodeZlib,
    private readonly cap: number,
  ) {
    this.limit = cap <= SMALL_CAP ? Math.max(NODE_BUFFER_LIMIT, cap + (cap >>> 3) + 1024) : NODE_BUFFER_LIMIT;
  }

  run(chunk: Uint8Array, final: boolean): Uint8Array[] {
    if (this.pako) return this.pako.run(chunk, final);
    if (this.bufferedLen + chunk.length <= this.limit) {
      if (chunk.length > 0) {
        this.buffered.push(chunk.slice());
        this.bufferedLen += chunk.length;
      }
      if (!final) return [];
      const all = concat(this.buffered);
      this.buffered = [];
      const out = nodeInflateAll(this.z, all, this.cap);
      return out.length > 0 ? [out] : [];
    }
    const p = new PakoInflate(this.cap);
    this.pako = p;
    const res: Uint8Array[] = [];
    for (const b of this.buffered) res.push(...p.run(b, false));
    this.buffered = [];
    res.push(...p.run(chunk, final));
    return res;
  }
}

/** @internal Picks the engine. `forcePako` lets tests exercise the fallback on Node. */
export function makeInflateEngine(cap: number, forcePako = false): Engine {
  const z = forcePako ? undefined : nodeInflater();
  return z ? new HybridInflate(z, cap) : new PakoInflate(cap);
}

/** @internal One-shot inflate with a chosen engine. */
export function inflateWith(data: Uint8Array, cap: number, forcePako: boolean): Uint8Array {
  const z = forcePako ? undefined : nodeInflater();
  if (z) return nodeInflateAll(z, data, cap);
  return concat(new PakoInflate(cap).run(data, true));
}

/**
 * Decompresses one complete raw deflate stream (no zlib or gzip wrapper), e.g. the payload of
 * an ostree `.filez` object. Any valid raw deflate stream is accepted, whoever wrote it.
 *
 * @param data - exactly one raw deflate stream; nothing may follow its final block
 * @param options - `maxOutputBytes` cap
 * @returns the uncompressed bytes
 * @throws {@link CompressError} `COMPRESS_CORRUPT` for invalid or truncated data or trailing
 *   bytes, `COMPRESS_TOO_LARGE` past `maxOutputBytes`, `COMPRESS_INVALID_ARGUMENT` for bad
 *   arguments
 */
export function inflateRaw(data: Uint8Array, options?: InflateOptions): Uint8Array {
  checkBytes(data, 'data');
  return inflateWith(data, readCap(options), false);
}

/**
 * Starts a streaming raw inflate. The concatenated output equals {@link inflateRaw} of the
 * concatenated input, and errors carry the same codes: trailing bytes fail at the `push` that
 * brings them (or at `end()`), truncation fails at `end()`.
 *
 * On Node, compressed input is held back while it is small (64 KiB; or the whole stream when
 * `maxOutputBytes` ≤ 8 MiB, e.g. the size from a `.filez` header) and, if the stream ends within
 * it, inflated by node:zlib in one call, ~2.5–3× faster; longer streams are inflated
 * incrementally by pako. Memory is bounded by `maxOutputBytes` plus the held-back input, or,
 * without a cap, by the expansion of one call's input (deflate expands at most ~1032×).
 *
 * @param options - `maxOutputBytes` cap on the total output
 * @returns a {@link ByteTransform}
 * @throws {@link CompressError} `COMPRESS_INVALID_ARGUMENT` for bad options; `push`/`end`
 *   throw as {@link inflateRaw} does, and every call after a failure rethrows it
 */
export function createRawInflate(options?: InflateOptions): ByteTransform {
  return guardTransform(makeInflateEngine(readCap(options)), 'inflate');
}

/** @internal Streaming inflate with a chosen engine (tests). */
export function createRawInflateWith(options: InflateOptions | undefined, forcePako: boolean): ByteTransform {
  return guardTransform(makeInflateEngine(readCap(options), forcePako), 'inflate');
}
