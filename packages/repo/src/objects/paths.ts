/**
 * Where objects live on disk.
 * @module
 */
import { looseObjectPath, type ObjectType, type RepoMode } from '@ostree-ts/core';
import { joinPath } from '../path.js';

/** Absolute path of a loose object. */
export function objectPath(repoPath: string, mode: RepoMode, checksum: string, type: ObjectType): string {
  return joinPath(repoPath, looseObjectPath(checksum, type, mode));
}

/** Absolute path of the `objects/XX` directory holding `checksum`. */
export function objectDir(repoPath: string, checksum: string): string {
  return joinPath(repoPath, 'objects', checksum.slice(0, 2));
}
