/**
 * What object readers and writers need from the repository they work in.
 * @module
 */
import type { RepoMode, Sha256Factory } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';

/** The repository facts object storage depends on. */
export interface StoreContext {
  readonly fs: Fs;
  readonly repoPath: string;
  readonly tmpDir: string;
  readonly mode: RepoMode;
  readonly hash: Sha256Factory;
  /** `[archive] zlib-level`. */
  readonly zlibLevel: number;
  /** `core.disable-xattrs`: ignore xattrs when reading bare objects. */
  readonly disableXattrs: boolean;
  /** Creates `objects/XX` once per prefix. */
  ensureObjectDir(checksum: string): Promise<void>;
}
