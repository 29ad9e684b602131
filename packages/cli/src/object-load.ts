/**
 * Loading objects with ostree's messages when they are missing ("No such metadata object
 * C.commit", "Couldn't find file object 'C'").
 * @module
 */
import { isOstreeError, type Commit, type ObjectType } from '@ostree-ts/core';
import type { ContentObject, Repo } from '@ostree-ts/repo';
import { CliError } from './errors.js';

/** Raw bytes of a metadata object. @throws {CliError} `No such metadata object C.TYPE` */
export async function readMetadataOrThrow(repo: Repo, type: ObjectType, checksum: string): Promise<Uint8Array> {
  try {
    return await repo.readMetadata(type, checksum);
  } catch (e) {
    if (isOstreeError(e, 'OBJECT_NOT_FOUND')) throw new CliError(`No such metadata object ${checksum}.${type}`, { cause: e });
    throw e;
  }
}

/** A commit. @throws {CliError} `No such metadata object C.commit` */
export async function loadCommitOrThrow(repo: Repo, checksum: string): Promise<Commit> {
  try {
    return await repo.loadCommit(checksum);
  } catch (e) {
    if (isOstreeError(e, 'OBJECT_NOT_FOUND')) throw new CliError(`No such metadata object ${checksum}.commit`, { cause: e });
    throw e;
  }
}

/** A content object. @throws {CliError} `Couldn't find file object 'C'` */
export async function loadContentOrThrow(repo: Repo, checksum: string): Promise<ContentObject> {
  try {
    return await repo.loadContent(checksum);
  } catch (e) {
    if (isOstreeError(e, 'OBJECT_NOT_FOUND')) throw new CliError(`Couldn't find file object '${checksum}'`, { cause: e });
    throw e;
  }
}
