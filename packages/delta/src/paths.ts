/**
 * Paths inside a delta directory and the superblock metadata keys derived from them
 * (spec §5.1, §5.2, §5.4).
 * @module
 */
import { deltaDirectory } from '@ostree-ts/core';

/** Path of a delta's superblock relative to the repo: `deltas/…/superblock`. */
export function deltaSuperblockPath(from: string | undefined, to: string): string {
  return `${deltaDirectory(from, to)}/superblock`;
}

/**
 * Path of part `index` relative to the repo: `deltas/…/<index>`. It is also the superblock
 * metadata key under which an inline part is stored.
 */
export function deltaPartPath(from: string | undefined, to: string, index: number): string {
  return `${deltaDirectory(from, to)}/${index}`;
}

/** Superblock metadata key carrying the to-commit's detached metadata: `deltas/…/commitmeta`. */
export function deltaCommitMetaKey(from: string | undefined, to: string): string {
  return `${deltaDirectory(from, to)}/commitmeta`;
}
