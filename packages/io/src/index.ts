/**
 * The filesystem interface ostree-ts storage code is written against, with its typed error.
 * Implementations: `@ostree-ts/io-node` (Node, with xattrs and renameat2) and
 * {@link memoryFs} (in memory, every capability, for tests and browsers). The conformance
 * suite every implementation passes is in `@ostree-ts/io/conformance`.
 * @module
 */
export type {
  Fs,
  FsCapabilities,
  Stat,
  FileType,
  FsXattr,
  ReadHandle,
  WriteHandle,
  CreateOptions,
  FileLock,
  LockKind,
  LockOptions,
} from './fs.js';
export { FsError, hasErrorCode } from './errors.js';
export { memoryFs, type MemoryFs, type MemoryFsCaller, type MemoryFsOptions } from './memory.js';
export { checkLockArguments, lockBusy } from './lock-arguments.js';
