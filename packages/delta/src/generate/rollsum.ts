/**
 * Content-defined chunking with the bup rolling checksum, as ostree's rollsum delta mode uses
 * it: a 64-byte window, a split where the low 13 bits of the second sum are all ones, the sum
 * restarted at every chunk, chunks capped at 32 KiB, and fixed 32 KiB chunks once a scan finds
 * no split. Works on a stream, so neither file has to be in memory.
 * @module
 */

const WINDOW = 64;
const CHAR_OFFSET = 31;
const SPLIT_MASK = (1 << 13) - 1;
/** Largest chunk (ostree's ROLLSUM_BLOB_MAX). */
export const ROLLSUM_MAX_CHUNK = 32 * 1024;

/** One chunk of a file: where it starts, how long it is, and a digest of its bytes. */
export interface RollsumChunk {
  readonly start: number;
  readonly length: number;
  readonly digest: string;
}

/** Incremental digest used to identify chunks (a strong hash: no byte comparison needed later). */
export interface ChunkDigest {
  update(bytes: Uint8Array): ChunkDigest;
  digest(): Uint8Array;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 16 && i < bytes.length; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}

/**
 * Splits a byte stream into rollsum chunks.
 *
 * The split rule is evaluated on a rolling sum that restarts at each chunk start. ostree
 * switches to fixed 32 KiB chunks once one scan finds no split before the end of the data;
 * this keeps scanning after each forced cut instead, so chunk boundaries can differ from
 * ostree's in that tail (both sides of a delta use the same rule, which is all that matters).
 */
export async function rollsumChunks(stream: AsyncIterable<Uint8Array>, newDigest: () => ChunkDigest): Promise<RollsumChunk[]> {
  const chunks: RollsumChunk[] = [];
  const window = new Uint8Array(WINDOW);
  let s1 = 0;
  let s2 = 0;
  let wofs = 0;
  let chunkStart = 0;
  let chunkLength = 0;
  let digest = newDigest();
  const reset = (): void => {
    s1 = WINDOW * CHAR_OFFSET;
    s2 = WINDOW * (WINDOW - 1) * CHAR_OFFSET;
    wofs = 0;
    window.fill(0);
  };
  reset();
  const cut = (): void => {
    chunks.push({ start: chunkStart, length: chunkLength, digest: hex(digest.digest()) });
    chunkStart += chunkLength;
    chunkLength = 0;
    digest = newDigest();
    reset();
  };
  for await (const buf of stream) {
    let segmentStart = 0;
    for (let i = 0; i < buf.length; i++) {
      const ch = buf[i]!;
      const drop = window[wofs]!;
      // Unsigned 32-bit arithmetic, as in bup's C.
      s1 = (s1 + ch - drop) >>> 0;
      s2 = (s2 + s1 - WINDOW * (drop + CHAR_OFFSET)) >>> 0;
      window[wofs] = ch;
      wofs = (wofs + 1) % WINDOW;
      chunkLength++;
      if ((s2 & SPLIT_MASK) === SPLIT_MASK || chunkLength === ROLLSUM_MAX_CHUNK) {
        digest.update(buf.subarray(segmentStart, i + 1));
        segmentStart = i + 1;
        cut();
      }
    }
    if (segmentStart < buf.length) digest.update(buf.subarray(segmentStart));
  }
  if (chunkLength > 0) cut();
  return chunks;
}

/** A chunk of the target found in the source. */
export interface RollsumMatch {
  readonly toStart: number;
  readonly fromStart: number;
  readonly length: number;
}

/** The result of matching a target's chunks against a source's. */
export interface RollsumMatches {
  /** Matches sorted by target offset. */
  readonly matches: readonly RollsumMatch[];
  /** Number of target chunks. */
  readonly total: number;
  /** Bytes of the target covered by matches. */
  readonly matchedBytes: number;
}

/** Matches every target chunk against the source chunks with the same digest. */
export function matchRollsumChunks(from: readonly RollsumChunk[], to: readonly RollsumChunk[]): RollsumMatches {
  const index = new Map<string, number>();
  for (const c of from) if (!index.has(c.digest)) index.set(c.digest, c.start);
  const matches: RollsumMatch[] = [];
  let matchedBytes = 0;
  for (const c of to) {
    const fromStart = index.get(c.digest);
    if (fromStart === undefined) continue;
    matches.push({ toStart: c.start, fromStart, length: c.length });
    matchedBytes += c.length;
  }
  return { matches, total: to.length, matchedBytes };
}

/** A piece of a rollsum-encoded file: a copy of a source range, or literal bytes. */
export type RollsumPiece = { readonly fromStart: number; readonly length: number } | { readonly data: Uint8Array };

/**
 * The pieces of the target in order: matched chunks become copies (adjacent copies of
 * contiguous source ranges merged), the rest literal bytes read from `stream` (merged).
 * @param toChunks - the target's chunks, from {@link rollsumChunks}
 * @param stream - the target's bytes again
 */
export async function rollsumPieces(toChunks: readonly RollsumChunk[], matches: RollsumMatches, stream: AsyncIterable<Uint8Array>): Promise<RollsumPiece[]> {
  const copyAt = new Map(matches.matches.map((m) => [m.toStart, m.fromStart]));
  const pieces: RollsumPiece[] = [];
  let literal: Uint8Array[] = [];
  let literalLength = 0;
  const flushLiteral = (): void => {
    if (literalLength === 0) return;
    const data = new Uint8Array(literalLength);
    let p = 0;
    for (const l of literal) {
      data.set(l, p);
      p += l.length;
    }
    pieces.push({ data });
    literal = [];
    literalLength = 0;
  };
  let chunkIndex = 0;
  let pos = 0;
  for await (const buf of stream) {
    let at = 0;
    while (at < buf.length && chunkIndex < toChunks.length) {
      const chunk = toChunks[chunkIndex]!;
      const end = chunk.start + chunk.length;
      const take = Math.min(buf.length - at, end - pos);
      const fromStart = copyAt.get(chunk.start);
      if (fromStart === undefined) {
        literal.push(buf.slice(at, at + take));
        literalLength += take;
      }
      at += take;
      pos += take;
      if (pos === end) {
        if (fromStart !== undefined) {
          flushLiteral();
          const prev = pieces[pieces.length - 1];
          if (prev !== undefined && !('data' in prev) && prev.fromStart + prev.length === fromStart) {
            pieces[pieces.length - 1] = { fromStart: prev.fromStart, length: prev.length + chunk.length };
          } else pieces.push({ fromStart, length: chunk.length });
        }
        chunkIndex++;
      }
    }
  }
  flushLiteral();
  return pieces;
}
