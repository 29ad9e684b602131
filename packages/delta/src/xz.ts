/**
 * The xz interface the pure layers use (spec §5.6: parts are `.xz` containers), and a
 * memory-limit check on the container's headers that works for any backend.
 *
 * Backends: `xz-node.ts` (node-liblzma, native liblzma: byte-identical to ostree's parts at
 * preset 8 with a CRC64 check) and `xz-wasm.ts` (xz-decompress, pure WebAssembly, decode only).
 * Neither is imported statically here, so this module runs where native addons cannot.
 * @module
 */
import { concatBytes } from '@ostree-ts/core';
import { invalidDelta } from './errors.js';

/** Limits for decompressing untrusted data. */
export interface XzDecodeLimits {
  /** Largest LZMA2 dictionary accepted (the decoder's memory is about this). */
  readonly memlimit: number;
  /** Largest total output accepted; more is an INVALID_DELTA error. */
  readonly maxOutputBytes: number;
}

/** An xz implementation. */
export interface XzCodec {
  /** Short name for diagnostics (`node-liblzma`, `xz-decompress`). */
  readonly name: string;
  /**
   * Decompresses one or more concatenated .xz streams as they arrive. Implementations enforce
   * `maxOutputBytes`; {@link limitXzInput} enforces `memlimit` on the headers first.
   * A yielded chunk may be overwritten once the next one is requested (node-liblzma reuses one
   * buffer): copy what you keep. Likewise an input chunk may be overwritten by the producer
   * once the next one is requested.
   */
  decompress(input: AsyncIterable<Uint8Array>, limits: XzDecodeLimits): AsyncIterable<Uint8Array>;
  /** Compresses as ostree does (preset 8, CRC64), if the backend can. */
  compress?(data: Uint8Array): Promise<Uint8Array>;
}

/** Default decoder memory limit: 64 MiB of dictionary (ostree's preset 8 uses 32 MiB). */
export const DEFAULT_XZ_MEMLIMIT = 64 * 1024 * 1024;

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const FILTER_LZMA2 = 0x21;
const FILTER_DELTA = 0x03;
// BCJ filters: x86, PowerPC, IA-64, ARM, ARM-Thumb, SPARC, ARM64, RISC-V.
const BCJ_FILTERS = new Set([0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b]);

/** Dictionary size encoded by an LZMA2 properties byte. */
export function lzma2DictionarySize(props: number): number {
  const bits = props & 0x3f;
  if (bits > 40) throw invalidDelta(`invalid LZMA2 dictionary size byte ${props}`);
  if (bits === 40) return 0xffffffff;
  return (2 | (bits & 1)) * 2 ** (Math.floor(bits / 2) + 11);
}

function readVli(bytes: Uint8Array, pos: number, end: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    if (pos + i >= end) throw invalidDelta('xz block header: truncated integer');
    const b = bytes[pos + i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  throw invalidDelta('xz block header: integer too long');
}

/**
 * Checks an .xz stream header and the first block header: magic, and a filter chain of
 * optional delta/BCJ filters ending in LZMA2 with a dictionary no larger than `memlimit`.
 * @param head - at least the first 12 bytes; the block header needs up to 1024 more
 * @returns bytes needed before the check can finish, or 0 when done
 * @throws {OstreeError} INVALID_DELTA when the stream is not acceptable
 */
export function checkXzHead(head: Uint8Array, memlimit: number): number {
  if (head.length < 13) return 13;
  if (!MAGIC.every((b, i) => head[i] === b)) throw invalidDelta('delta part is not an xz stream');
  const headerByte = head[12]!;
  if (headerByte === 0) return 0; // no blocks: index right away
  const size = (headerByte + 1) * 4;
  if (head.length < 12 + size) return 12 + size;
  const flags = head[13]!;
  if ((flags & 0x3c) !== 0) throw invalidDelta('xz block header: reserved flags set');
  const end = 12 + size - 4; // CRC32 last
  let pos = 14;
  if (flags & 0x40) pos = readVli(head, pos, end).next;
  if (flags & 0x80) pos = readVli(head, pos, end).next;
  const filters = (flags & 3) + 1;
  for (let f = 0; f < filters; f++) {
    const id = readVli(head, pos, end);
    const propSize = readVli(head, id.next, end);
    pos = propSize.next;
    const last = f === filters - 1;
    if (last) {
      if (id.value !== FILTER_LZMA2 || propSize.value !== 1 || pos >= end) throw invalidDelta('xz block header: the last filter is not LZMA2');
      const dict = lzma2DictionarySize(head[pos]!);
      if (dict > memlimit) throw invalidDelta(`xz dictionary of ${dict} bytes exceeds the memory limit of ${memlimit}`);
    } else if (id.value !== FILTER_DELTA && !BCJ_FILTERS.has(id.value)) {
      throw invalidDelta(`xz block header: unsupported filter ${id.value}`);
    }
    pos += propSize.value;
  }
  return 0;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * True if `tail` (the last 12 bytes of the input) is an xz stream footer: `YZ` magic and a
 * matching CRC32. Decoders that stop quietly at the end of their input would otherwise accept
 * a truncated stream.
 */
export function isXzFooter(tail: Uint8Array): boolean {
  if (tail.length !== 12 || tail[10] !== 0x59 || tail[11] !== 0x5a) return false;
  const stored = (tail[0]! | (tail[1]! << 8) | (tail[2]! << 16) | (tail[3]! << 24)) >>> 0;
  return crc32(tail.subarray(4, 10)) === stored;
}

/**
 * Passes `input` through unchanged once {@link checkXzHead} accepted its beginning, and checks
 * at the end that it finished with a stream footer.
 * @throws {OstreeError} INVALID_DELTA when the headers are unacceptable or the input is truncated
 */
export async function* limitXzInput(input: AsyncIterable<Uint8Array>, memlimit: number): AsyncIterable<Uint8Array> {
  let pending: Uint8Array[] = [];
  let checked = false;
  const tail = new Uint8Array(12);
  let seen = 0;
  const remember = (chunk: Uint8Array): void => {
    if (chunk.length >= 12) tail.set(chunk.subarray(chunk.length - 12));
    else {
      tail.copyWithin(0, chunk.length);
      tail.set(chunk, 12 - chunk.length);
    }
    seen += chunk.length;
  };
  for await (const chunk of input) {
    if (checked) {
      remember(chunk);
      yield chunk;
      continue;
    }
    pending.push(chunk.slice()); // kept across chunks: the producer may reuse its buffer
    const head = concatBytes(pending);
    pending = [head];
    if (checkXzHead(head, memlimit) === 0) {
      checked = true;
      pending = [];
      remember(head);
      yield head;
    }
  }
  if (!checked || seen < 24 || !isXzFooter(tail)) throw invalidDelta('delta part: truncated xz stream');
}

/** Counts output and fails once it passes `maxOutputBytes`. */
export async function* capOutput(output: AsyncIterable<Uint8Array>, maxOutputBytes: number): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const chunk of output) {
    total += chunk.length;
    if (total > maxOutputBytes) throw invalidDelta(`decompressed delta part exceeds ${maxOutputBytes} bytes`);
    yield chunk;
  }
}


let defaultCodec: Promise<XzCodec> | undefined;

/**
 * The best available backend: node-liblzma where it loads, else the pure-WASM decoder.
 * Loaded lazily, so importing this package never pulls in a native addon.
 */
export function defaultXz(): Promise<XzCodec> {
  defaultCodec ??= import('./xz-node.js').then(
    (m) => m.nodeXz(),
    () => import('./xz-wasm.js').then((m) => m.wasmXz()),
  );
  return defaultCodec;
}
