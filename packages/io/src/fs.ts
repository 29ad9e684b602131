/**
 * The filesystem interface every storage package (repo, checkout, sysroot) is written
 * against. Paths are plain strings interpreted by the implementation (absolute paths on
 * Node). Calls never follow a symlink in the last path component unless they say so: a
 * hostile tree must not be able to redirect a write through a link.
 * @module
 */

/** What kind of filesystem object a path names. */
export type FileType = 'file' | 'directory' | 'symlink' | 'other';

/** The subset of `lstat` that ostree needs. */
export interface Stat {
  readonly type: FileType;
  /** Full st_mode, including the file-type bits. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly nlink: number;
  readonly mtimeMs: number;
}

/** An extended attribute as the filesystem returns it: name without NUL, raw value. */
export type FsXattr = readonly [name: string, value: Uint8Array];

/** Positional reads from an open file. */
export interface ReadHandle {
  /** Reads up to `length` bytes at `position` into `buffer` at `offset`; returns bytes read (0 at end). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  stat(): Promise<Stat>;
  close(): Promise<void>;
}

/** Sequential writes to a newly created file. */
export interface WriteHandle {
  write(data: Uint8Array): Promise<void>;
  /** fsync: the data is on stable storage when this resolves. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** What an implementation can do; callers check instead of probing. */
export interface FsCapabilities {
  /** Extended attributes can be read and written (`user.*` at least). */
  readonly xattrs: boolean;
  /** Files can be given any owner (root on Node). */
  readonly chown: boolean;
  /** Hard links work. */
  readonly hardlinks: boolean;
  /** `rename(…, { noReplace: true })` is atomic (renameat2 RENAME_NOREPLACE). */
  readonly atomicNoReplace: boolean;
  /** {@link Fs.lockFile} works; when false it fails with `ENOTSUP`. */
  readonly locks: boolean;
}

/** The two kinds of advisory lock: any number of `shared` holders, or one `exclusive` holder. */
export type LockKind = 'shared' | 'exclusive';

/** Options of {@link Fs.lockFile}. */
export interface LockOptions {
  /**
   * How long to keep trying while the lock is held incompatibly, in milliseconds (default 0:
   * one attempt). `Infinity` waits until the lock is free.
   */
  readonly waitMs?: number;
}

/**
 * A held lock (see {@link Fs.lockFile}); release it exactly once. Releasing again is
 * harmless: later calls return the first call's promise and do nothing more.
 */
export interface FileLock {
  /** Drops the lock and closes the lock file; other waiters can then take it. */
  release(): Promise<void>;
}

/** Options for creating files. */
export interface CreateOptions {
  /** Permission bits for the new file (default 0o644). */
  readonly mode?: number;
  /** Fail with EEXIST if the path exists (O_EXCL). Default true: files are never clobbered by accident. */
  readonly exclusive?: boolean;
}

/** The filesystem. */
export interface Fs {
  readonly capabilities: FsCapabilities;

  /** Metadata of `path` itself (a symlink is not followed). */
  lstat(path: string): Promise<Stat>;
  /** Metadata of `path`, following symlinks. */
  stat(path: string): Promise<Stat>;
  /** Metadata, or undefined when the path does not exist (other errors still throw). */
  lstatIfExists(path: string): Promise<Stat | undefined>;
  /** Names in a directory, in no particular order, without `.` and `..`. */
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<Uint8Array>;
  /** Streams a file's bytes in chunks of at most `chunkSize` (default 64 KiB). */
  readChunks(path: string, chunkSize?: number): AsyncIterable<Uint8Array>;
  openRead(path: string): Promise<ReadHandle>;
  readlink(path: string): Promise<string>;

  writeFile(path: string, data: Uint8Array, options?: CreateOptions): Promise<void>;
  openWrite(path: string, options?: CreateOptions): Promise<WriteHandle>;
  /** Creates a directory; with `recursive`, parents too and no error if it exists. */
  mkdir(path: string, options?: { mode?: number; recursive?: boolean }): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
  /** Hard link; fails with EEXIST if `newPath` exists. */
  link(existingPath: string, newPath: string): Promise<void>;
  /** Renames atomically; with `noReplace`, fails with EEXIST instead of replacing. */
  rename(from: string, to: string, options?: { noReplace?: boolean }): Promise<void>;
  unlink(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  /** Removes a tree; no error if it does not exist. Never follows symlinks. */
  removeTree(path: string): Promise<void>;

  /** Sets permission bits (follows nothing: `path` must not be a symlink). */
  chmod(path: string, mode: number): Promise<void>;
  /** Sets the owner of `path` itself (lchown). */
  lchown(path: string, uid: number, gid: number): Promise<void>;
  /** Sets the modification (and access) time of `path` itself (lutimes), in ms. */
  lutimes(path: string, atimeMs: number, mtimeMs: number): Promise<void>;

  /** All extended attributes of `path` itself (never follows a symlink), in no particular order. */
  getXattrs(path: string): Promise<FsXattr[]>;
  /** One extended attribute of `path` itself, or undefined if absent. */
  getXattr(path: string, name: string): Promise<Uint8Array | undefined>;
  setXattr(path: string, name: string, value: Uint8Array): Promise<void>;

  /** fsync a file or directory by path. */
  fsync(path: string): Promise<void>;
  /** Flushes the whole filesystem containing `path` (syncfs), as ostree does before moving refs. */
  syncfs(path: string): Promise<void>;

  /**
   * Takes an advisory whole-file lock on `path`, compatible with ostree's repository lock
   * (`REPO/.lock`): Linux open-file-description locks, so locks held through different
   * handles in one process conflict, as between processes. `shared` locks coexist; an
   * `exclusive` lock conflicts with every other lock. The file is opened read-write and
   * created if absent, with mode 0o660 minus the umask (what ostree uses for `.lock`); a
   * symlink is not followed (`ELOOP`). The lock belongs to the file (the inode), not the name.
   *
   * Without `waitMs` it fails at once with `EAGAIN` when the lock is held; with `waitMs` it
   * retries until the lock is free or the time is up (then `EAGAIN`). Never blocks the event
   * loop. An unknown `kind` or a negative or non-numeric `waitMs` is `EINVAL`. Without the
   * `locks` capability it fails with `ENOTSUP`.
   */
  lockFile(path: string, kind: LockKind, options?: LockOptions): Promise<FileLock>;
}
