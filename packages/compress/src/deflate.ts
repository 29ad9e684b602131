/**
 * Raw deflate: exact (ostree's bytes, via pako's classic-zlib hash) or fast (node:zlib).
 * @module
 */
import { ZStream, zlibDeflate, zlibDeflateInit2 } from 'pako';
import { CompressError } from './errors.js';
import { checkLevel } from './level.js';
import { type NodeZlib, nodeDeflater, toPlain } from './node-zlib.js';
import { type ByteTransform, type Engine, guardTransform } from './transform.js';
import { checkBytes, checkOptions, concat } from './util.js';

/** Options of {@link deflateRaw} and {@link createRawDeflate}. */
export interface DeflateOptions {
  /**
   * zlib level, default 6 (ostree's default; `archiveZlibLevel()` gives a repo's configured
   * level). 1–9 in exact mode; 0 (stored, no compression) only with `exact: false`,
   * because zlib's stored-block boundaries depend on buffer sizes and cannot be reproduced.
   */
  level?: number;
  /**
   * `true` (default): produce exactly the bytes ostree (system zlib 1.2.x, windowBits −15,
   * memLevel 8, default strategy) writes into `.filez` objects. `false`: the fastest available
   * encoder (node:zlib where present); the output is a valid raw deflate stream that ostree and
   * every inflater read, but its bytes differ from ostree's.
   */
  exact?: boolean;
}

const Z_NO_FLUSH = 0;
const Z_FINISH = 4;
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const OUT_CHUNK = 64 * 1024;
/** Fast streaming deflate compresses its input in blocks of at least this many bytes. */
const FAST_BLOCK = 256 * 1024;
const WINDOW = 32 * 1024;

/** zlib deflate in pako, classic hash when `legacyHash` (= the bytes of real zlib 1.2.x). */
class PakoDeflate {
  private readonly strm = new ZStream();
  private out = new Uint8Array(OUT_CHUNK);
  private outStart = 0;

  constructor(level: number, legacyHash: boolean) {
    const status = zlibDeflateInit2(this.strm, level, 8, -15, 8, 0, legacyHash);
    if (status !== Z_OK) throw new CompressError('COMPRESS_INVALID_ARGUMENT', `deflateInit2 failed (${status})`);
    this.strm.output = this.out;
    this.strm.next_out = 0;
    this.strm.avail_out = OUT_CHUNK;
  }

  run(chunk: Uint8Array, flush: typeof Z_NO_FLUSH | typeof Z_FINISH): Uint8Array[] {
    const strm = this.strm;
    const res: Uint8Array[] = [];
    strm.input = chunk;
    strm.next_in = 0;
    strm.avail_in = chunk.length;
    for (;;) {
      const status = zlibDeflate(strm, flush);
      if (status !== Z_OK && status !== Z_STREAM_END && status !== Z_BUF_ERROR) {
        throw new Error(`pako deflate failed unexpectedly (${status}: ${strm.msg})`);
      }
      if (strm.avail_out === 0) {
        res.push(this.out.subarray(this.outStart));
        this.out = new Uint8Array(OUT_CHUNK);
        this.outStart = 0;
        strm.output = this.out;
        strm.next_out = 0;
        strm.avail_out = OUT_CHUNK;
        continue;
      }
      // Output space left: all input was consumed (Z_NO_FLUSH) or the stream is finished.
      if (strm.next_out > this.outStart) {
        res.push(this.out.subarray(this.outStart, strm.next_out));
        this.outStart = strm.next_out;
      }
      if (flush === Z_FINISH && status !== Z_STREAM_END) {
        throw new Error(`pako deflate did not finish (${status}: ${strm.msg})`);
      }
      strm.input = EMPTY; // do not keep the caller's chunk alive
      return res;
    }
  }
}

const EMPTY = new Uint8Array(0);

/**
 * node:zlib has no synchronous streaming API, so fast streaming compresses ≥256 KiB blocks one
 * by one with `deflateRawSync`: each block but the last ends with a sync flush (byte-aligned,
 * not final) and is primed with the previous 32 KiB of input as preset dictionary. Back-references
 * into the dictionary are ordinary references into earlier output of the same stream, so the
 * concatenation is one valid raw deflate stream, compressed almost as well as one-shot.
 */
class NodeBlockDeflate {
  private pending: Uint8Array[] = [];
  private pendingLen = 0;
  private dict: Uint8Array | undefined;

  constructor(
    private readonly z: NodeZlib,
    private readonly level: number,
  ) {}

  run(chunk: Uint8Array, final: boolean): Uint8Array[] {
    if (chunk.length > 0) {
      this.pending.push(chunk.slice()); // copy: the caller may reuse its buffer
      this.pendingLen += chunk.length;
    }
    if (!final && this.pendingLen < FAST_BLOCK) return [];
    const input = concat(this.pending);
    this.pending = [];
    this.pendingLen = 0;
    const opts: Record<string, unknown> = {
      level: this.level,
      windowBits: 15,
      memLevel: 8,
      strategy: 0,
      finishFlush: final ? this.z.constants.Z_FINISH : this.z.constants.Z_SYNC_FLUSH,
    };
    if (this.dict) opts['dictionary'] = this.dict;
    const out = this.z.deflateRawSync(input, opts);
    if (!final) this.dict = nextWindow(this.dict, input);
    return out.length > 0 ? [toPlain(out)] : [];
  }
}

/** The last 32 KiB of `prev ‖ input`, copied. */
function nextWindow(prev: Uint8Array | undefined, input: Uint8Array): Uint8Array {
  if (input.length >= WINDOW || !prev) return input.slice(Math.max(0, input.length - WINDOW));
  const keep = Math.min(prev.length, WINDOW - input.length);
  const w = new Uint8Array(keep + input.length);
  w.set(prev.subarray(prev.length - keep));
  w.set(input, keep);
  return w;
}

/** @internal Picks the engine. `forcePako` lets tests exercise the fallback on Node. */
export function makeDeflateEngine(level: number, exact: boolean, forcePako = false): Engine {
  const z = exact || forcePako ? undefined : nodeDeflater();
  if (z) return new NodeBlockDeflate(z, level);
  const p = new PakoDeflate(level, exact);
  return { run: (chunk, final) => p.run(chunk, final ? Z_FINISH : Z_NO_FLUSH) };
}

function readDeflateOptions(options: DeflateOptions | undefined): { level: number; exact: boolean } {
  checkOptions(options);
  const exact = options?.exact ?? true;
  if (typeof exact !== 'boolean') {
    throw new CompressError('COMPRESS_INVALID_ARGUMENT', 'exact must be a boolean');
  }
  return { level: checkLevel(options?.level, exact), exact };
}

/**
 * Compresses `data` into a raw deflate stream (no zlib or gzip wrapper), as stored after the
 * header of an ostree archive-mode `.filez` object.
 *
 * With `exact` (the default) the bytes equal what ostree writes at the same level. With
 * `exact: false` node:zlib is used where available (about 2.7–2.9× faster, different bytes).
 *
 * @param data - the uncompressed bytes
 * @param options - level (default 6) and exactness (default `true`)
 * @returns the compressed bytes
 * @throws {@link CompressError} `COMPRESS_INVALID_ARGUMENT` for a bad level or input
 */
export function deflateRaw(data: Uint8Array, options?: DeflateOptions): Uint8Array {
  checkBytes(data, 'data');
  const { level, exact } = readDeflateOptions(options);
  const z = exact ? undefined : nodeDeflater();
  if (z) return toPlain(z.deflateRawSync(data, { level, windowBits: 15, memLevel: 8, strategy: 0 }));
  return concat(makeDeflateEngine(level, exact).run(data, true));
}

/**
 * Starts a streaming raw deflate. Memory stays bounded whatever the input size (zlib state plus
 * at most one 64 KiB output chunk, or one 256 KiB input block in fast mode on Node).
 *
 * In exact mode the concatenated output equals {@link deflateRaw} of the concatenated input,
 * for every way of splitting it. In fast mode on Node it is a valid stream of the same data
 * but not byte-equal to the one-shot output (input is compressed in 256 KiB blocks).
 *
 * @param options - as for {@link deflateRaw}
 * @returns a {@link ByteTransform}; `push` may return nothing until enough input has arrived
 * @throws {@link CompressError} `COMPRESS_INVALID_ARGUMENT` for a bad level; `push` and `end`
 *   throw it for a non-`Uint8Array` chunk or use after `end()`
 */
export function createRawDeflate(options?: DeflateOptions): ByteTransform {
  const { level, exact } = readDeflateOptions(options);
  return guardTransform(makeDeflateEngine(level, exact), 'deflate');
}
