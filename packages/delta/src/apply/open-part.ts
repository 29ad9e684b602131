/**
 * Opening one delta part for execution: verify the part file's SHA-256 (unless inline) before
 * anything is decompressed, decompress the xz body as a stream into memory or a temporary
 * file, then load the mode table, xattr table and operations and leave the payload blob to be
 * read by position.
 * @module
 */
import { OstreeError, defaultSha256, toHex, type Sha256Factory, type Xattr } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import { checkDelta, invalidDelta } from '../errors.js';
import {
  PART_COMPRESSION_NONE,
  PART_COMPRESSION_XZ,
  decodeModeTable,
  decodeXattrTable,
  partPayloadLayout,
  partPayloadTrailerBytes,
  type DeltaMode,
} from '../part.js';
import type { DeltaPartHeader } from '../superblock.js';
import type { XzCodec } from '../xz.js';
import { READ_CHUNK, Spool, fileSource, memorySource, readRange, streamRange, windowOf, type RandomAccess } from './random-access.js';

/** A part file as the caller can supply it. */
export type PartInput =
  /** The whole part file in memory. */
  | Uint8Array
  /** The part file as it downloads. */
  | AsyncIterable<Uint8Array>
  /** A part file on a filesystem. */
  | { readonly fs: Fs; readonly path: string };

/** Where and how parts are opened. */
export interface PartContext {
  readonly fs: Fs;
  /** Directory for temporary files (the repo's `tmp/`). */
  readonly tmpDir: string;
  readonly xz: XzCodec;
  readonly hash?: Sha256Factory;
  /** LZMA2 dictionary limit. */
  readonly memlimit: number;
  /** Largest decompressed payload accepted. */
  readonly maxPayloadBytes: number;
  /** Data kept in memory before spilling to a temporary file. */
  readonly spillBytes: number;
  /** Largest mode table, xattr table or operations stream accepted (they are held in memory). */
  readonly maxTableBytes: number;
}

/** A part ready to execute. */
export interface OpenedPart {
  readonly modes: readonly DeltaMode[];
  readonly xattrs: readonly (readonly Xattr[])[];
  readonly operations: Uint8Array;
  /** The payload blob, read by position. */
  readonly blob: RandomAccess;
  /** Releases temporary files and handles. */
  close(): Promise<void>;
}

function isFileInput(input: PartInput): input is { readonly fs: Fs; readonly path: string } {
  return !(input instanceof Uint8Array) && typeof input === 'object' && 'path' in input && 'fs' in input;
}

function mismatch(index: number, expected: string, actual: string): OstreeError {
  return new OstreeError('CHECKSUM_MISMATCH', `Checksum mismatch in static delta part ${index}; expected=${expected} actual=${actual}`);
}

/** The verified part file as a random-access source. */
async function verifiedPartFile(ctx: PartContext, index: number, header: DeltaPartHeader, input: PartInput): Promise<RandomAccess> {
  const hash = (ctx.hash ?? defaultSha256)();
  const expectedSize = header.size;
  if (input instanceof Uint8Array) {
    checkDelta(BigInt(input.length) === expectedSize, `delta part ${index} is ${input.length} bytes, superblock says ${expectedSize}`);
    const actual = toHex(hash.update(input).digest());
    if (actual !== header.checksum) throw mismatch(index, header.checksum, actual);
    return memorySource(input);
  }
  if (isFileInput(input)) {
    const handle = await input.fs.openRead(input.path);
    try {
      const size = (await handle.stat()).size;
      checkDelta(BigInt(size) === expectedSize, `delta part ${index} is ${size} bytes, superblock says ${expectedSize}`);
      const source = fileSource(handle, size);
      // One buffer for the whole file: hashing copies nothing out of it.
      const buffer = new Uint8Array(Math.min(READ_CHUNK * 4, Math.max(size, 1)));
      for (let pos = 0; pos < size; ) {
        const n = await handle.read(buffer, 0, Math.min(buffer.length, size - pos), pos);
        if (n <= 0) throw invalidDelta(`delta part ${index}: unexpected end of file at ${pos}`);
        hash.update(buffer.subarray(0, n));
        pos += n;
      }
      const actual = toHex(hash.digest());
      if (actual !== header.checksum) throw mismatch(index, header.checksum, actual);
      return source;
    } catch (e) {
      await handle.close();
      throw e;
    }
  }
  const spool = new Spool(ctx.fs, ctx.tmpDir, ctx.spillBytes);
  try {
    for await (const chunk of input) {
      if (BigInt(spool.size + chunk.length) > expectedSize) throw invalidDelta(`delta part ${index} is longer than the ${expectedSize} bytes the superblock says`);
      hash.update(chunk);
      await spool.write(chunk);
    }
    checkDelta(BigInt(spool.size) === expectedSize, `delta part ${index} is ${spool.size} bytes, superblock says ${expectedSize}`);
    const actual = toHex(hash.digest());
    if (actual !== header.checksum) throw mismatch(index, header.checksum, actual);
    return await spool.finish();
  } catch (e) {
    await spool.discard();
    throw e;
  }
}

/**
 * Verifies (unless `inline`) and opens part `index`.
 * @param input - the part file, or for inline parts the compression byte and body from the superblock
 * @throws {OstreeError} CHECKSUM_MISMATCH when the part file's SHA-256 differs from its header;
 *   INVALID_DELTA when it is malformed, too large, or uses an unknown compression
 */
export async function openPart(
  ctx: PartContext,
  index: number,
  header: DeltaPartHeader,
  input: PartInput | { readonly inline: { readonly compression: number; readonly body: Uint8Array } },
): Promise<OpenedPart> {
  let compression: number;
  let body: RandomAccess;
  let file: RandomAccess | undefined;
  if (typeof input === 'object' && 'inline' in input) {
    compression = input.inline.compression;
    body = memorySource(input.inline.body);
  } else {
    file = await verifiedPartFile(ctx, index, header, input);
    checkDelta(file.size >= 1, `delta part ${index} is empty`);
    compression = (await readRange(file, 0, 1))[0]!;
    body = windowOf(file, 1, file.size - 1);
  }
  let payload: RandomAccess | undefined;
  try {
    if (compression === PART_COMPRESSION_NONE) {
      checkDelta(body.size <= ctx.maxPayloadBytes, `delta part ${index} payload exceeds ${ctx.maxPayloadBytes} bytes`);
      payload = body;
    } else if (compression === PART_COMPRESSION_XZ) {
      const spool = new Spool(ctx.fs, ctx.tmpDir, ctx.spillBytes);
      try {
        const limits = { memlimit: ctx.memlimit, maxOutputBytes: ctx.maxPayloadBytes };
        for await (const chunk of ctx.xz.decompress(streamRange(body, 0, body.size, READ_CHUNK, true), limits)) await spool.write(chunk);
        payload = await spool.finish();
      } catch (e) {
        await spool.discard();
        throw e;
      }
      // The compressed file is no longer needed.
      await file?.close();
      file = undefined;
    } else {
      throw invalidDelta(`Invalid compression type '${compression}' in delta part ${index}`);
    }
    const size = payload.size;
    const trailerBytes = partPayloadTrailerBytes(size);
    checkDelta(size >= trailerBytes && trailerBytes > 0, `delta part ${index} payload is too short`);
    const layout = partPayloadLayout(size, await readRange(payload, size - trailerBytes, size));
    const table = async (r: readonly [number, number], what: string): Promise<Uint8Array> => {
      checkDelta(r[1] - r[0] <= ctx.maxTableBytes, `delta part ${index}: ${what} exceeds ${ctx.maxTableBytes} bytes`);
      // Copies, so the tables outlive a memory payload being released.
      return Uint8Array.from(await readRange(payload!, r[0], r[1]));
    };
    const modes = decodeModeTable(await table(layout.modes, 'mode table'));
    const xattrs = decodeXattrTable(await table(layout.xattrs, 'xattr table'));
    const operations = await table(layout.operations, 'operations');
    const blob = windowOf(payload, layout.blob[0], layout.blob[1] - layout.blob[0]);
    const owned = payload;
    const compressed = file;
    return {
      modes,
      xattrs,
      operations,
      blob,
      close: async () => {
        await owned.close();
        await compressed?.close();
      },
    };
  } catch (e) {
    await payload?.close().catch(() => undefined);
    await file?.close().catch(() => undefined);
    throw e;
  }
}
