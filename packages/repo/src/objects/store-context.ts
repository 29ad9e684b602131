/**
 * What object readers and writers need from the repository they work in.
 * @module
 */
import type { RepoMode, Sha256Factory } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';

/**
 * An exact raw-deflate stream that runs elsewhere (e.g. a worker thread); output must be the
 * bytes `createRawDeflate({ exact: true })` would produce.
 */
export interface AsyncDeflater {
  push(chunk: Uint8Array): Promise<Uint8Array[]>;
  end(): Promise<Uint8Array[]>;
}

/** Makes an {@link AsyncDeflater} at a zlib level. */
export type AsyncDeflaterFactory = (level: number) => AsyncDeflater;

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
  /** Where archive-mode content is compressed; default: in this thread. */
  readonly deflater: AsyncDeflaterFactory | undefined;
  /** Creates `objects/XX` once per prefix. */
  ensureObjectDir(checksum: string): Promise<void>;
}
