/**
 * Read sources (`r` operations): a local content object's payload, read by position. Bare-mode
 * objects are the file itself; archive objects are inflated once into memory or a temporary
 * file, since a deflate stream cannot be read by position.
 * @module
 */
import { isRegularMode } from '@ostree-ts/core';
import type { Repo } from '@ostree-ts/repo';
import { invalidDelta } from '../errors.js';
import { Spool, fileSource, type RandomAccess } from './random-access.js';

/**
 * Opens the payload of content object `checksum` for positional reads.
 * @throws {OstreeError} OBJECT_NOT_FOUND when it is not in the repository; INVALID_DELTA when it
 *   is not a regular file
 */
export async function openReadSource(repo: Repo, checksum: string, spillBytes: number): Promise<RandomAccess> {
  const object = await repo.loadContent(checksum);
  if (!isRegularMode(object.header.mode)) throw invalidDelta(`read source ${checksum} is not a regular file`);
  if (repo.mode !== 'archive') {
    const handle = await repo.fs.openRead(object.path);
    return fileSource(handle, object.size);
  }
  const spool = new Spool(repo.fs, repo.tmpDir, spillBytes);
  try {
    for await (const chunk of object.chunks()) await spool.write(chunk);
    return await spool.finish();
  } catch (e) {
    await spool.discard();
    throw e;
  }
}
