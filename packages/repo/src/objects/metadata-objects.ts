/**
 * Reading and writing metadata objects (commit, dirtree, dirmeta, commitmeta, tombstones).
 * @module
 */
import { OstreeError, metadataChecksum, type ObjectType, assertChecksumMatches } from '@ostree-ts/core';
import { hasErrorCode } from '@ostree-ts/io';
import { tempPath } from '../temp.js';
import { discard, installObject } from './install.js';
import { objectPath } from './paths.js';
import type { StoreContext } from './store-context.js';

/** Object types named by the SHA-256 of their bytes (the others are named after a commit). */
const HASHED: ReadonlySet<ObjectType> = new Set(['commit', 'dirtree', 'dirmeta']);

/**
 * Reads a metadata object's bytes.
 * @throws {OstreeError} OBJECT_NOT_FOUND when absent
 */
export async function readMetadataObject(ctx: StoreContext, type: ObjectType, checksum: string): Promise<Uint8Array> {
  try {
    return await ctx.fs.readFile(objectPath(ctx.repoPath, ctx.mode, checksum, type));
  } catch (e) {
    if (hasErrorCode(e, 'ENOENT')) throw new OstreeError('OBJECT_NOT_FOUND', `No such metadata object ${checksum}.${type}`, { cause: e });
    throw e;
  }
}

/** Result of writing an object. */
export interface WriteResult {
  readonly checksum: string;
  /** False when the object was already present (nothing was written). */
  readonly written: boolean;
}

/**
 * Writes a metadata object atomically.
 * @param name - required for commitmeta/tombstone-commit (the commit they belong to); for
 *   hashed types, the expected checksum if known (verified)
 * @param replace - replace an existing object (only for commitmeta, which is mutable)
 */
export async function writeMetadataObject(
  ctx: StoreContext,
  type: ObjectType,
  bytes: Uint8Array,
  name?: string,
  replace = false,
): Promise<WriteResult> {
  let checksum: string;
  if (HASHED.has(type)) {
    checksum = metadataChecksum(bytes, ctx.hash);
    if (name !== undefined) assertChecksumMatches(name, checksum, `${type} object`);
  } else {
    if (name === undefined) throw new OstreeError('INVALID_ARGUMENT', `${type} objects need the checksum of their commit`);
    checksum = name;
  }
  const final = objectPath(ctx.repoPath, ctx.mode, checksum, type);
  if (!replace && (await ctx.fs.lstatIfExists(final)) !== undefined) return { checksum, written: false };
  const tmp = tempPath(ctx.tmpDir, type);
  try {
    await ctx.fs.writeFile(tmp, bytes, { mode: 0o644 });
    if (replace) {
      await ctx.ensureObjectDir(checksum);
      await ctx.fs.rename(tmp, final);
      return { checksum, written: true };
    }
    return { checksum, written: await installObject(ctx, tmp, checksum, type) };
  } catch (e) {
    await discard(ctx, tmp);
    throw e;
  }
}
