// Shared test helpers: deterministic data, chunking, a system-zlib oracle (python3's zlib is the
// same libz 1.2.13 ostree links against), .filez parsing and a hand-made deflate bomb.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import type { ByteTransform } from '../src/index.js';

export const PYTHON = '/usr/bin/python3';
export const HAVE_PYTHON = existsSync(PYTHON);

export function haveCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Byte equality with a useful message (vitest's deep equality is far too slow for MiBs). */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  if (actual.length === expected.length && Buffer.compare(actual, expected) === 0) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  expect.fail(`${what} differ: lengths ${actual.length} vs ${expected.length}, first difference at byte ${i}`);
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/** mulberry32: small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 256) | 0;
  return out;
}

const WORDS = (
  'the of and to in is was that for it as with be on not by this are from or have an they which ' +
  'one you were all we her she there would their will when who him been has more if no out so ' +
  'ostree repository commit checksum object deployment sysroot bootloader kernel initramfs ' +
  'static delta summary remote refspec archive filez dirtree dirmeta content payload header'
).split(' ');

/** Pseudo-English text with punctuation, numbers and line breaks (compresses ~3:1). */
export function textBytes(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const parts: string[] = [];
  let len = 0;
  let col = 0;
  while (len < n) {
    let w = WORDS[(r() * WORDS.length) | 0] as string;
    if (r() < 0.05) w = String((r() * 100000) | 0);
    if (r() < 0.08) w += r() < 0.5 ? ',' : '.';
    col += w.length + 1;
    const sep = col > 72 ? '\n' : ' ';
    if (sep === '\n') col = 0;
    parts.push(w + sep);
    len += w.length + 1;
  }
  return new TextEncoder().encode(parts.join('')).subarray(0, n);
}

/** Binary-ish data: runs, small integers, repeated records and random stretches. */
export function binaryBytes(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const kind = r();
    const len = Math.min(n - i, 1 + ((r() * 512) | 0));
    if (kind < 0.25) out.fill((r() * 4) | 0, i, i + len);
    else if (kind < 0.5) for (let j = 0; j < len; j++) out[i + j] = r() < 0.7 ? 0 : (r() * 256) | 0;
    else if (kind < 0.75 && i >= 4096) out.copyWithin(i, i - 1 - ((r() * 4095) | 0), i - 1 - ((r() * 4095) | 0) + len);
    else for (let j = 0; j < len; j++) out[i + j] = (r() * 256) | 0;
    i += len;
  }
  return out;
}

/** Splits `data` at the given chunk sizes (cycled); size 0 means an empty push. */
export function chunked(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let off = 0;
  let k = 0;
  if (sizes.length === 0) return [data];
  while (off < data.length) {
    const s = sizes[k++ % sizes.length] as number;
    out.push(data.subarray(off, off + s));
    off += s;
    if (k > 10 * data.length + 10) break;
  }
  if (off < data.length) out.push(data.subarray(off));
  return out;
}

/** Pushes every chunk and ends; returns the concatenated output. */
export function runTransform(t: ByteTransform, chunks: readonly Uint8Array[]): Uint8Array {
  const out: Uint8Array[] = [];
  for (const c of chunks) out.push(...t.push(c));
  out.push(...t.end());
  return concatBytes(out);
}

/**
 * Raw deflate by the system zlib (python3 `zlib.compressobj(level, DEFLATED, -15, 8, 0)`), i.e.
 * what ostree's GZlibCompressor writes. One python process for all levels.
 */
export function systemZlibDeflate(data: Uint8Array, levels: readonly number[]): Map<number, Uint8Array> {
  const script = `
import sys, zlib, struct
data = sys.stdin.buffer.read()
out = sys.stdout.buffer
for lv in map(int, sys.argv[1:]):
    c = zlib.compressobj(lv, zlib.DEFLATED, -15, 8, 0)
    z = c.compress(data) + c.flush()
    out.write(struct.pack('>I', len(z)) + z)
`;
  const r = spawnSync(PYTHON, ['-c', script, ...levels.map(String)], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`python failed: ${String(r.stderr)}`);
  const buf = r.stdout;
  const res = new Map<number, Uint8Array>();
  let off = 0;
  for (const lv of levels) {
    const n = buf.readUInt32BE(off);
    res.set(lv, new Uint8Array(buf.subarray(off + 4, off + 4 + n)));
    off += 4 + n;
  }
  return res;
}

export type ZlibVerdict = { ok: true; out: string } | { ok: false; why: 'truncated' | 'trailing' | 'error' };

/**
 * System zlib's verdict on each input as a single raw deflate stream: decoded output (hex) or
 * the failure kind (python3 `zlib.decompressobj(-15)`).
 */
export function systemZlibInflate(inputs: readonly Uint8Array[]): ZlibVerdict[] {
  const script = `
import sys, zlib, json
res = []
for h in json.load(sys.stdin):
    d = zlib.decompressobj(-15)
    try:
        out = d.decompress(bytes.fromhex(h))
        if not d.eof:
            res.append({'ok': False, 'why': 'truncated'})
        elif d.unused_data:
            res.append({'ok': False, 'why': 'trailing'})
        else:
            res.append({'ok': True, 'out': out.hex()})
    except zlib.error:
        res.append({'ok': False, 'why': 'error'})
json.dump(res, sys.stdout)
`;
  const input = JSON.stringify(inputs.map((b) => Buffer.from(b).toString('hex')));
  const r = spawnSync(PYTHON, ['-c', script], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`python failed: ${String(r.stderr)}`);
  return JSON.parse(String(r.stdout)) as ZlibVerdict[];
}

/** An archive-mode object split into its frame: `BE32 len ‖ 0000 ‖ header ‖ raw deflate`. */
export interface FilezParts {
  header: Uint8Array;
  compressed: Uint8Array;
}

export function parseFilez(file: Uint8Array): FilezParts {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const len = dv.getUint32(0, false);
  expect(dv.getUint32(4, false), 'padding after the header length').toBe(0);
  expect(8 + len).toBeLessThanOrEqual(file.length);
  return { header: file.subarray(8, 8 + len), compressed: file.subarray(8 + len) };
}

/**
 * A raw deflate bomb built directly (no need to compress hundreds of MiB first): one dynamic
 * Huffman block whose literal/length code gives length 258 (symbol 285) a 1-bit code and whose
 * single distance code (distance 1) has 1 bit, so each 258-byte repeat costs 2 bits. It holds a
 * literal 0, `matches` such repeats and end-of-block, and inflates to `1 + 258 * matches` zero
 * bytes: ≈1030× its size, the maximum deflate allows.
 */
export function deflateBomb(matches: number): { data: Uint8Array; inflatedSize: number } {
  const bytes = new Uint8Array(Math.ceil((200 + 2 * matches) / 8) + 1);
  let bitPos = 0;
  const putBits = (value: number, n: number): void => {
    // header fields and extra bits: least significant bit first
    for (let i = 0; i < n; i++) {
      if ((value >>> i) & 1) bytes[bitPos >> 3]! |= 1 << (bitPos & 7);
      bitPos++;
    }
  };
  const putCode = (code: number, n: number): void => {
    // Huffman codes: most significant bit first
    for (let i = n - 1; i >= 0; i--) putBits((code >>> i) & 1, 1);
  };
  putBits(1, 1); // BFINAL
  putBits(2, 2); // BTYPE = 10, dynamic Huffman
  putBits(286 - 257, 5); // HLIT: 286 literal/length codes
  putBits(1 - 1, 5); // HDIST: 1 distance code
  putBits(18 - 4, 4); // HCLEN: 18 code-length code lengths follow
  // Code-length alphabet: 18 (zero run) -> '0', 1 -> '10', 2 -> '11'.
  const clLen: Record<number, number> = { 18: 1, 1: 2, 2: 2 };
  for (const sym of [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1]) putBits(clLen[sym] ?? 0, 3);
  const cl = (sym: 1 | 2): void => putCode(sym === 1 ? 0b10 : 0b11, 2);
  const zeros = (n: number): void => {
    putCode(0, 1); // symbol 18: repeat zero 11..138 times
    putBits(n - 11, 7);
  };
  // Literal/length lengths: 0 -> 2, 1..255 -> 0, 256 -> 2, 257..284 -> 0, 285 -> 1; distance 0 -> 1.
  cl(2);
  zeros(138);
  zeros(117);
  cl(2);
  zeros(28);
  cl(1);
  cl(1);
  // Canonical codes: 285 -> '0', 0 -> '10', 256 -> '11'; distance 0 -> '0'.
  putCode(0b10, 2); // literal 0
  for (let i = 0; i < matches; i++) putCode(0b00, 2); // length 258, distance 1
  putCode(0b11, 2); // end of block
  return { data: bytes.subarray(0, Math.ceil(bitPos / 8)), inflatedSize: 1 + 258 * matches };
}

/** Runs `f` and returns what it threw (or fails the test if it did not throw). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return expect.fail('expected an exception');
}
