/**
 * Writing content objects in each repository mode (spec §2.10). The payload streams through
 * once: it is hashed (over the synthesized header stream), compressed for archive repos, and
 * written to a temporary file, which is renamed into place only after the checksum is known
 * and verified.
 * @module
 */
import {
  OstreeError,
  createContentHasher,
  encodeArchiveHeader,
  encodeBareUserMeta,
  frameHeader,
  isSymlinkMode,
  assertChecksumMatches,
  xattrName,
  type FileHeader,
} from '@ostree-ts/core';
import { createRawDeflate } from '@ostree-ts/compress';
import type { WriteHandle } from '@ostree-ts/io';
import { tempPath } from '../temp.js';
import { discard, installObject } from './install.js';
import type { WriteResult } from './metadata-objects.js';
import type { AsyncDeflater, StoreContext } from './store-context.js';

/** A content object to store: its metadata and its payload (empty for symlinks). */
export interface ContentInput {
  readonly header: FileHeader;
  /** Payload length in bytes; must match what `payload` yields. */
  readonly size: number;
  /** The payload, whole or as chunks. */
  readonly payload: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** Options for writing a content object. */
export interface ContentWriteOptions {
  /** Checksum the object must have (pull, delta apply); a mismatch stores nothing. */
  readonly expectedChecksum?: string;
}

const encoder = new TextEncoder();
const NUL = new Uint8Array(1);

async function* chunksOf(payload: ContentInput['payload']): AsyncIterable<Uint8Array> {
  if (payload instanceof Uint8Array) {
    if (payload.length > 0) yield payload;
    return;
  }
  yield* payload;
}

/** Mode bits bare-user stores on disk: no setuid/setgid/sticky/o+w, owner-read forced. */
function bareUserDiskMode(mode: number): number {
  return (mode & 0o775) | 0o400;
}

// bare-user-only keeps no owner or xattrs, so regular files may not rely on setuid, setgid,
// sticky or o+w bits; symlink modes are not checked (ostree's rule).
function assertBareUserOnlyMode(mode: number): void {
  const invalid = isSymlinkMode(mode) ? 0 : mode & 0o7777 & ~0o775;
  if (invalid !== 0) {
    throw new OstreeError(
      'INVALID_MODE',
      `Content object: invalid mode 0${mode.toString(8).padStart(4, '0')} with bits 0${invalid.toString(8).padStart(4, '0')} in bare-user-only repository`,
    );
  }
}

// In this thread unless the repository was given a deflater (e.g. a worker pool).
function archiveDeflater(ctx: StoreContext): AsyncDeflater {
  if (ctx.deflater) return ctx.deflater(ctx.zlibLevel);
  const sync = createRawDeflate({ level: ctx.zlibLevel });
  return { push: async (c) => sync.push(c), end: async () => sync.end() };
}

// Streams the payload into `handle` (compressing for archive), hashing as it goes.
async function streamPayload(
  ctx: StoreContext,
  input: ContentInput,
  handle: WriteHandle,
  update: (chunk: Uint8Array) => void,
): Promise<void> {
  const deflate = ctx.mode === 'archive' ? archiveDeflater(ctx) : undefined;
  let total = 0;
  for await (const chunk of chunksOf(input.payload)) {
    total += chunk.length;
    if (total > input.size) break;
    update(chunk);
    if (deflate) for (const out of await deflate.push(chunk)) await handle.write(out);
    else await handle.write(chunk);
  }
  if (total !== input.size) {
    throw new OstreeError('INVALID_ARGUMENT', `content payload is ${total > input.size ? 'longer' : 'shorter'} than its declared size ${input.size}`);
  }
  if (deflate) for (const out of await deflate.end()) await handle.write(out);
}

async function writeRegular(ctx: StoreContext, tmp: string, input: ContentInput, update: (c: Uint8Array) => void): Promise<void> {
  const { fs } = ctx;
  const h = input.header;
  const handle = await fs.openWrite(tmp, { mode: 0o600 });
  try {
    if (ctx.mode === 'archive') await handle.write(frameHeader(encodeArchiveHeader(h, BigInt(input.size))));
    await streamPayload(ctx, input, handle, update);
  } finally {
    await handle.close();
  }
  switch (ctx.mode) {
    case 'archive':
      await fs.chmod(tmp, 0o644);
      return;
    case 'bare':
      await fs.lchown(tmp, h.uid, h.gid);
      await fs.chmod(tmp, h.mode & 0o7777); // after chown, which clears setuid/setgid
      for (const x of h.xattrs) await fs.setXattr(tmp, xattrName(x), x[1]);
      break;
    case 'bare-user':
      await fs.chmod(tmp, bareUserDiskMode(h.mode));
      await fs.setXattr(tmp, 'user.ostreemeta', encodeBareUserMeta(h));
      break;
    case 'bare-user-only':
      await fs.chmod(tmp, h.mode & 0o7777);
      break;
    default:
      throw new OstreeError('UNSUPPORTED', `writing objects in ${ctx.mode} repositories is not supported`);
  }
  // Checkouts hardlink these files; a fixed mtime makes them identical whatever the source.
  await fs.lutimes(tmp, 0, 0);
}

async function writeSymlink(ctx: StoreContext, tmp: string, input: ContentInput): Promise<void> {
  const { fs } = ctx;
  const h = input.header;
  for await (const chunk of chunksOf(input.payload)) {
    if (chunk.length > 0) throw new OstreeError('INVALID_ARGUMENT', 'symlinks have no payload');
  }
  switch (ctx.mode) {
    case 'archive':
      await fs.writeFile(tmp, frameHeader(encodeArchiveHeader(h, 0n)), { mode: 0o644 });
      return;
    case 'bare':
      await fs.symlink(h.symlinkTarget, tmp);
      await fs.lchown(tmp, h.uid, h.gid);
      for (const x of h.xattrs) await fs.setXattr(tmp, xattrName(x), x[1]);
      return;
    case 'bare-user-only':
      await fs.symlink(h.symlinkTarget, tmp);
      return;
    case 'bare-user': {
      // Stored as a regular file holding the target and a NUL; the mode in user.ostreemeta
      // tells readers it is a symlink.
      const target = encoder.encode(h.symlinkTarget);
      const bytes = new Uint8Array(target.length + 1);
      bytes.set(target);
      bytes.set(NUL, target.length);
      await fs.writeFile(tmp, bytes, { mode: 0o644 });
      await fs.setXattr(tmp, 'user.ostreemeta', encodeBareUserMeta(h));
      await fs.lutimes(tmp, 0, 0);
      return;
    }
    default:
      throw new OstreeError('UNSUPPORTED', `writing objects in ${ctx.mode} repositories is not supported`);
  }
}

/**
 * Stores a content object. Nothing is visible under the object's name until it is complete
 * and its checksum verified.
 * @throws {OstreeError} CHECKSUM_MISMATCH when `expectedChecksum` is given and differs;
 *   INVALID_MODE for modes the repository cannot hold; INVALID_ARGUMENT for a size mismatch
 */
export async function writeContentObject(ctx: StoreContext, input: ContentInput, options: ContentWriteOptions = {}): Promise<WriteResult> {
  const h = input.header;
  if (ctx.mode === 'bare-user-only') assertBareUserOnlyMode(h.mode);
  const hasher = createContentHasher(h, ctx.hash);
  const tmp = tempPath(ctx.tmpDir, 'file');
  try {
    if (isSymlinkMode(h.mode)) await writeSymlink(ctx, tmp, input);
    else await writeRegular(ctx, tmp, input, (c) => hasher.update(c));
    const checksum = hasher.digest();
    if (options.expectedChecksum !== undefined) assertChecksumMatches(options.expectedChecksum, checksum, 'file object');
    return { checksum, written: await installObject(ctx, tmp, checksum, 'file') };
  } catch (e) {
    await discard(ctx, tmp);
    throw e;
  }
}
