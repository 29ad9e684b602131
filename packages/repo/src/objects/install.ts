/**
 * Moving a finished temporary file to its final object path. An object that already exists
 * wins: objects are immutable and checkouts may hardlink them, so they are never replaced.
 * @module
 */
import type { ObjectType } from '@ostree-ts/core';
import { hasErrorCode } from '@ostree-ts/io';
import { objectPath } from './paths.js';
import type { StoreContext } from './store-context.js';

/** Renames `tmp` into place; returns false (and removes `tmp`) if the object already existed. */
export async function installObject(ctx: StoreContext, tmp: string, checksum: string, type: ObjectType): Promise<boolean> {
  await ctx.ensureObjectDir(checksum);
  try {
    await ctx.fs.rename(tmp, objectPath(ctx.repoPath, ctx.mode, checksum, type), { noReplace: true });
    return true;
  } catch (e) {
    if (!hasErrorCode(e, 'EEXIST')) throw e;
    await ctx.fs.unlink(tmp);
    return false;
  }
}

/** Removes a temporary file, ignoring its absence (used on error paths). */
export async function discard(ctx: StoreContext, tmp: string): Promise<void> {
  try {
    await ctx.fs.unlink(tmp);
  } catch {
    // Already gone or never created; the error being handled matters more.
  }
}
