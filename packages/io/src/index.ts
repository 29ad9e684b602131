/**
 * The filesystem interface ostree-ts storage code is written against, with its typed error.
 * Implementations: `@ostree-ts/io-node` (Node, with xattrs and renameat2) and
 * {@link memoryFs} (in memory, every capability, for tests and browsers).
 * @module
 */
export type { Fs, FsCapabilities, Stat, FileType, FsXattr, ReadHandle, WriteHandle, CreateOptions } from './fs.js';
export { FsError, hasErrorCode } from './errors.js';
