/**
 * bsdiff for files too large to diff whole: the new file is cut into windows, each window is
 * diffed against the region of the old file it most likely came from (located with the
 * rollsum matches), and the window patches are stitched into one patch for the whole file.
 * The stitch is a control triple `(0, 0, seek)` that moves the old position to the next
 * window's region; bspatch (mendsley's, as ostree vendors it) accepts it like any other.
 * Memory: one old window and one new window at a time; the old file is read from a
 * temporary copy by position, the new one as a stream.
 * @module
 */
import { CONTROL_SIZE, encodeControl, readControl } from '@ostree-ts/bsdiff';
import { OstreeError, concatBytes } from '@ostree-ts/core';
import type { ReadHandle } from '@ostree-ts/io';
import type { BsdiffFunction } from './options.js';
import type { RollsumMatch } from './rollsum.js';

/** Window sizes for a given bsdiff input limit: old window = new window × 1.5. */
export function windowSizes(maxBsdiffSize: number): { window: number; margin: number } {
  // 4 MiB keeps each run of the wasm bsdiff small enough (about 8.5 × window) that its module
  // instance is reused rather than re-created per window.
  const window = Math.max(64 * 1024, Math.min(4 * 1024 * 1024, Math.floor(maxBsdiffSize / 2.5)));
  return { window, margin: Math.floor(window / 4) };
}

/** Where the old file's region for new bytes `[start, start+length)` begins (before margins). */
function alignedOldStart(matches: readonly RollsumMatch[], start: number, length: number): number {
  if (matches.length === 0) return start;
  const centre = start + length / 2;
  // The match closest to the window's centre gives the local shift between the files.
  let lo = 0;
  let hi = matches.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (matches[mid]!.toStart <= centre) lo = mid;
    else hi = mid - 1;
  }
  let best = matches[lo]!;
  const next = matches[lo + 1];
  if (next !== undefined && Math.abs(next.toStart - centre) < Math.abs(best.toStart - centre)) best = next;
  return start + (best.fromStart - best.toStart);
}

/** The old position after applying `patch` from old position 0, and its new-side length. */
function patchEnd(patch: Uint8Array): { oldPos: number; newLength: number } {
  let at = 0;
  let oldPos = 0;
  let newLength = 0;
  while (at < patch.length) {
    const c = readControl(patch, at);
    at += CONTROL_SIZE + c.diffLength + c.extraLength;
    oldPos += c.diffLength + c.oldSeek;
    newLength += c.diffLength + c.extraLength;
  }
  return { oldPos, newLength };
}

/** Reads `[start, start+length)` into `buf` (reused across windows: fewer large garbage buffers). */
async function readInto(handle: ReadHandle, buf: Uint8Array, start: number, length: number): Promise<Uint8Array> {
  let done = 0;
  while (done < length) {
    const n = await handle.read(buf, done, length - done, start + done);
    if (n === 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

/** Inputs of {@link windowedBsdiff}. */
export interface WindowedBsdiffInput {
  /** The old file, readable by position. */
  readonly old: ReadHandle;
  readonly oldSize: number;
  /** The new file's bytes. */
  readonly newStream: AsyncIterable<Uint8Array>;
  readonly newSize: number;
  /** Rollsum matches of new against old, sorted by target offset (for alignment). */
  readonly matches: readonly RollsumMatch[];
  readonly maxBsdiffSize: number;
  readonly bsdiff: BsdiffFunction;
}

/** One patch for the whole new file, made window by window. */
export async function windowedBsdiff(input: WindowedBsdiffInput): Promise<Uint8Array> {
  const { window, margin } = windowSizes(input.maxBsdiffSize);
  const out: Uint8Array[] = [];
  // The bsdiff copies its inputs into its own memory, so both window buffers are reused.
  const oldBuf = new Uint8Array(window + 2 * margin);
  const newBuf = new Uint8Array(window);
  let globalOldPos = 0;
  let newStart = 0;
  const diffWindow = async (newBytes: Uint8Array): Promise<void> => {
    const centre = alignedOldStart(input.matches, newStart, newBytes.length);
    const oldStart = Math.min(Math.max(0, centre - margin), input.oldSize);
    const oldEnd = Math.min(input.oldSize, Math.max(oldStart, centre + newBytes.length + margin));
    const oldBytes = await readInto(input.old, oldBuf, oldStart, oldEnd - oldStart);
    const patch = await input.bsdiff(oldBytes, newBytes);
    if (oldStart !== globalOldPos) out.push(encodeControl({ diffLength: 0, extraLength: 0, oldSeek: oldStart - globalOldPos }));
    const end = patchEnd(patch);
    if (end.newLength !== newBytes.length) throw new OstreeError('INVALID_DELTA', `bsdiff window patch makes ${end.newLength} bytes, not ${newBytes.length}`);
    out.push(patch);
    globalOldPos = oldStart + end.oldPos;
    newStart += newBytes.length;
  };
  let filled = 0;
  for await (const chunk of input.newStream) {
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(chunk.length - at, window - filled);
      newBuf.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === window) {
        await diffWindow(newBuf);
        filled = 0;
      }
    }
  }
  if (filled > 0) await diffWindow(newBuf.subarray(0, filled));
  return concatBytes(out);
}

