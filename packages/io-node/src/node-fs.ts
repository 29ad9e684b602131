/**
 * {@link nodeFs}: the `Fs` interface on Node's `fs/promises`, plus libc through koffi for
 * what Node lacks.
 * @module
 */
import { constants, type BigIntStats } from 'node:fs';
import { asyncOps, syncOps, type FileHandleLike, type FsOps } from './fs-ops.js';
import {
  FsError,
  checkLockArguments,
  lockBusy,
  type CreateOptions,
  type FileLock,
  type Fs,
  type FsCapabilities,
  type FsXattr,
  type LockKind,
  type LockOptions,
  type ReadHandle,
  type Stat,
  type WriteHandle,
} from '@ostree-ts/io';
import {
  AT_FDCWD,
  AT_SYMLINK_NOFOLLOW,
  EAGAIN,
  EINTR,
  EINVAL,
  ENOSYS,
  ENOTSUP,
  F_OFD_SETLK,
  F_RDLCK,
  F_UNLCK,
  F_WRLCK,
  LOCK_EX,
  LOCK_NB,
  LOCK_SH,
  LOCK_UN,
  RENAME_NOREPLACE,
  checkCString,
  errnoError,
  libcUnavailableReason,
  loadLibc,
  unavailableError,
  type Libc,
} from './native.js';
import { getXattr, getXattrs, setXattr } from './xattr.js';

/** Options of {@link nodeFs}. */
export interface NodeFsOptions {
  /**
   * Use libc through koffi (default true). With false, or when koffi cannot be loaded,
   * xattr calls fail with `ENOTSUP`, `rename(…, { noReplace })` uses the non-atomic
   * fallback, `chmod` checks for symlinks with a separate lstat, and `syncfs` degrades to
   * an fsync of the path, and `lockFile` fails with `ENOTSUP` (`capabilities.locks` is false).
   */
  readonly native?: boolean;
  /**
   * Make file system calls synchronously (default false). Much cheaper per call than Node's
   * thread-pool round trips, so commits and checkouts of many small files run faster, but each
   * call blocks the event loop: for command-line tools, not for servers. Behaviour and errors
   * are identical (the same conformance suite runs in both modes).
   */
  readonly syncCalls?: boolean;
}

/** Creates a {@link Fs} on the local filesystem. Paths are absolute (relative ones resolve against `process.cwd()`). */
export function nodeFs(options: NodeFsOptions = {}): Fs {
  const ops = options.syncCalls ? syncOps : asyncOps;
  return options.native === false
    ? new NodeFs(() => undefined, () => 'disabled by the native: false option', ops)
    : new NodeFs(loadLibc, libcUnavailableReason, ops);
}

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_NOFOLLOW } = constants;
/** How ostree opens `REPO/.lock` (O_CLOEXEC is libuv's default), plus O_NOFOLLOW as every call here. */
const LOCK_FLAGS = O_RDWR | O_CREAT | O_NOFOLLOW;
/** ostree's DEFAULT_REGFILE_MODE, the mode of a `.lock` it creates (before the umask). */
const LOCK_FILE_MODE = 0o660;
/** Delays between lock attempts while waiting: the first, and the cap it doubles up to. */
const LOCK_RETRY_FIRST_MS = 10;
const LOCK_RETRY_MAX_MS = 50;
const READ_FLAGS = O_RDONLY | O_NOFOLLOW;
const S_IFMT = 0o170000;
/** Concurrent unlinks/rmdirs/readdirs of one removeTree. */
const REMOVE_CONCURRENCY = 32;

function typeOf(mode: number): Stat['type'] {
  switch (mode & S_IFMT) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}

function toStat(s: BigIntStats): Stat {
  const mode = Number(s.mode);
  return {
    type: typeOf(mode),
    mode,
    uid: Number(s.uid),
    gid: Number(s.gid),
    size: Number(s.size),
    dev: s.dev,
    ino: s.ino,
    nlink: Number(s.nlink),
    // mtimeMs of BigIntStats is truncated to whole ms; keep the sub-ms part from mtimeNs.
    mtimeMs: Number(s.mtimeMs) + Number(s.mtimeNs % 1_000_000n) / 1e6,
  };
}

/** Turns Node's errno errors into {@link FsError} (with the original as `cause`); other errors pass through. */
function rethrow(e: unknown, syscall: string, path: string): never {
  if (e instanceof FsError) throw e;
  const err = e as NodeJS.ErrnoException | null;
  const code = err?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) {
    throw new FsError(code, err?.syscall ?? syscall, typeof err?.path === 'string' ? err.path : path, { cause: e });
  }
  throw e;
}

function hasCode(e: unknown, code: string): boolean {
  return (e as { code?: unknown } | null)?.code === code;
}

function validRange(buffer: Uint8Array, offset: number, length: number, position: number): boolean {
  return (
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(length) &&
    Number.isSafeInteger(position) &&
    offset >= 0 &&
    length >= 0 &&
    position >= 0 &&
    offset + length <= buffer.length
  );
}

/** A plain Uint8Array view of a Buffer: `slice()` on it copies, as callers of the interface expect. */
function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

function lexicalDirname(path: string): string {
  const trimmed = trimTrailingSlashes(path);
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  if (slash === 0) return '/';
  return trimmed.slice(0, slash);
}

/** A minimal semaphore for removeTree's syscalls (never held across recursion, so it cannot deadlock). */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/**
 * The implementation behind {@link nodeFs}; exported (but not from the package index) so
 * tests can inject a fake libc.
 * @internal
 */
export class NodeFs implements Fs {
  readonly #libc: () => Libc | undefined;
  readonly #ops: FsOps;
  readonly #unavailable: () => string;
  #capabilities: FsCapabilities | undefined;

  /** `libc` returns the bindings (loading them lazily) or undefined; `unavailable` says why not. */
  constructor(libc: () => Libc | undefined, unavailable: () => string, ops: FsOps = asyncOps) {
    this.#libc = libc;
    this.#ops = ops;
    this.#unavailable = unavailable;
  }

  get capabilities(): FsCapabilities {
    if (this.#capabilities === undefined) {
      const libc = this.#libc();
      this.#capabilities = Object.freeze({
        xattrs: libc !== undefined,
        chown: process.getuid?.() === 0,
        hardlinks: true,
        atomicNoReplace: libc?.renameat2 !== undefined,
        locks: libc?.fcntlLock !== undefined,
      });
    }
    return this.#capabilities;
  }

  // ---- metadata ---------------------------------------------------------------

  async lstat(path: string): Promise<Stat> {
    try {
      return toStat(await this.#ops.lstat(path, { bigint: true }));
    } catch (e) {
      rethrow(e, 'lstat', path);
    }
  }

  async stat(path: string): Promise<Stat> {
    try {
      return toStat(await this.#ops.stat(path, { bigint: true }));
    } catch (e) {
      rethrow(e, 'stat', path);
    }
  }

  async lstatIfExists(path: string): Promise<Stat | undefined> {
    try {
      return toStat(await this.#ops.lstat(path, { bigint: true }));
    } catch (e) {
      if (hasCode(e, 'ENOENT')) return undefined;
      rethrow(e, 'lstat', path);
    }
  }

  async readdir(path: string): Promise<string[]> {
    try {
      // Node's readdir follows a final symlink; the interface does not (like O_NOFOLLOW|O_DIRECTORY).
      const st = await this.#ops.lstat(path);
      if (!st.isDirectory()) throw new FsError('ENOTDIR', 'scandir', path);
      return await this.#ops.readdir(path);
    } catch (e) {
      rethrow(e, 'scandir', path);
    }
  }

  async readFile(path: string): Promise<Uint8Array> {
    try {
      return plain(await this.#ops.readFile(path, { flag: READ_FLAGS }));
    } catch (e) {
      rethrow(e, 'open', path);
    }
  }

  async *readChunks(path: string, chunkSize = 65536): AsyncIterable<Uint8Array> {
    if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) throw new FsError('EINVAL', 'read', path);
    const fh = await this.#open(path, READ_FLAGS);
    try {
      let size: number;
      try {
        size = (await fh.stat()).size;
      } catch (e) {
        rethrow(e, 'fstat', path);
      }
      // Read the size fstat reported, in chunks allocated to fit; a size of 0 may be an
      // empty file or one that does not know its size (procfs): read until EOF then.
      let position = 0;
      for (;;) {
        const want = size > 0 ? Math.min(chunkSize, size - position) : chunkSize;
        if (want <= 0) return;
        const chunk = new Uint8Array(want);
        let filled = 0;
        while (filled < want) {
          let n: number;
          try {
            n = (await fh.read(chunk, filled, want - filled, position + filled)).bytesRead;
          } catch (e) {
            rethrow(e, 'read', path);
          }
          if (n === 0) break;
          filled += n;
        }
        if (filled > 0) yield filled === want ? chunk : chunk.slice(0, filled);
        if (filled < want) return; // end of file
        position += filled;
      }
    } finally {
      await fh.close();
    }
  }

  /** Opens `path`, turning a failure into the FsError every method reports for `open`. */
  async #open(path: string, flags: number, mode?: number): Promise<FileHandleLike> {
    try {
      return await this.#ops.open(path, flags, mode);
    } catch (e) {
      rethrow(e, 'open', path);
    }
  }

  async openRead(path: string): Promise<ReadHandle> {
    const fh = await this.#open(path, READ_FLAGS);
    return {
      async read(buffer, offset, length, position) {
        if (!validRange(buffer, offset, length, position)) throw new FsError('EINVAL', 'read', path);
        try {
          return (await fh.read(buffer, offset, length, position)).bytesRead;
        } catch (e) {
          rethrow(e, 'read', path);
        }
      },
      async stat() {
        try {
          return toStat(await fh.stat({ bigint: true }));
        } catch (e) {
          rethrow(e, 'fstat', path);
        }
      },
      async close() {
        try {
          await fh.close();
        } catch (e) {
          rethrow(e, 'close', path);
        }
      },
    };
  }

  async readlink(path: string): Promise<string> {
    try {
      return await this.#ops.readlink(path);
    } catch (e) {
      rethrow(e, 'readlink', path);
    }
  }

  // ---- creation ---------------------------------------------------------------

  async writeFile(path: string, data: Uint8Array, options?: CreateOptions): Promise<void> {
    try {
      await this.#ops.writeFile(path, data, { flag: createFlags(options), mode: options?.mode ?? 0o644 });
    } catch (e) {
      rethrow(e, 'open', path);
    }
  }

  async openWrite(path: string, options?: CreateOptions): Promise<WriteHandle> {
    const fh = await this.#open(path, createFlags(options), options?.mode ?? 0o644);
    return {
      async write(data) {
        try {
          let offset = 0;
          while (offset < data.length) {
            offset += (await fh.write(data, offset, data.length - offset)).bytesWritten;
          }
          if (data.length === 0 && fh.fd < 0) throw new FsError('EBADF', 'write', path);
        } catch (e) {
          rethrow(e, 'write', path);
        }
      },
      async sync() {
        try {
          await fh.sync();
        } catch (e) {
          rethrow(e, 'fsync', path);
        }
      },
      async close() {
        try {
          await fh.close();
        } catch (e) {
          rethrow(e, 'close', path);
        }
      },
    };
  }

  async mkdir(path: string, options?: { mode?: number; recursive?: boolean }): Promise<void> {
    const mode = options?.mode ?? 0o777;
    try {
      if (options?.recursive) await mkdirRecursive(this.#ops, path, mode);
      else await this.#ops.mkdir(path, { mode });
    } catch (e) {
      rethrow(e, 'mkdir', path);
    }
  }

  async symlink(target: string, path: string): Promise<void> {
    try {
      await this.#ops.symlink(target, path);
    } catch (e) {
      rethrow(e, 'symlink', path);
    }
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    try {
      await this.#ops.link(existingPath, newPath);
    } catch (e) {
      rethrow(e, 'link', existingPath);
    }
  }

  async rename(from: string, to: string, options?: { noReplace?: boolean }): Promise<void> {
    if (options?.noReplace) {
      const libc = this.#libc();
      if (libc?.renameat2 !== undefined) {
        checkCString(from, 'renameat2', from);
        checkCString(to, 'renameat2', to);
        if (libc.renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) === 0) return;
        const errno = libc.errno();
        // ENOSYS: no renameat2 in the kernel; EINVAL: the filesystem rejects the flag
        // (or a directory is moved into itself, which the fallback reports again).
        if (errno !== ENOSYS && errno !== EINVAL) throw errnoError(errno, 'renameat2', from);
      }
      return renameNoReplaceFallback(this.#ops, from, to);
    }
    try {
      await this.#ops.rename(from, to);
    } catch (e) {
      rethrow(e, 'rename', from);
    }
  }

  // ---- removal ---------------------------------------------------------------

  async unlink(path: string): Promise<void> {
    try {
      await this.#ops.unlink(path);
    } catch (e) {
      rethrow(e, 'unlink', path);
    }
  }

  async rmdir(path: string): Promise<void> {
    try {
      await this.#ops.rmdir(path);
    } catch (e) {
      rethrow(e, 'rmdir', path);
    }
  }

  async removeTree(path: string): Promise<void> {
    // A trailing slash would make lstat follow a final symlink: strip it, never follow.
    const trimmed = trimTrailingSlashes(path);
    if (trimmed === '') throw new FsError('EBUSY', 'rm', path);
    const last = trimmed.slice(trimmed.lastIndexOf('/') + 1);
    if (last === '.' || last === '..') throw new FsError('EINVAL', 'rm', path);
    let st;
    try {
      st = await this.#ops.lstat(trimmed);
    } catch (e) {
      if (hasCode(e, 'ENOENT')) return;
      rethrow(e, 'lstat', path);
    }
    const limit = limiter(REMOVE_CONCURRENCY);
    try {
      if (st.isDirectory()) await removeDirectory(this.#ops, trimmed, limit);
      else await ignoreEnoent(limit(() => this.#ops.unlink(trimmed)));
    } catch (e) {
      rethrow(e, 'rm', path);
    }
  }

  // ---- attributes ---------------------------------------------------------------

  async chmod(path: string, mode: number): Promise<void> {
    const libc = this.#libc();
    if (libc !== undefined) {
      checkCString(path, 'fchmodat', path);
      if (libc.fchmodat(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW) === 0) return;
      const errno = libc.errno();
      // Old glibc (< 2.32) rejects AT_SYMLINK_NOFOLLOW outright with ENOTSUP: check below.
      if (errno !== ENOTSUP && errno !== ENOSYS) throw errnoError(errno, 'fchmodat', path);
    }
    try {
      // Without fchmodat(AT_SYMLINK_NOFOLLOW): lstat, then chmod (not atomic against a racing rename).
      if ((await this.#ops.lstat(path)).isSymbolicLink()) throw new FsError('ENOTSUP', 'fchmodat', path);
      await this.#ops.chmod(path, mode);
    } catch (e) {
      rethrow(e, 'chmod', path);
    }
  }

  async lchown(path: string, uid: number, gid: number): Promise<void> {
    try {
      await this.#ops.lchown(path, uid, gid);
    } catch (e) {
      rethrow(e, 'lchown', path);
    }
  }

  async lutimes(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    try {
      await this.#ops.lutimes(path, atimeMs / 1000, mtimeMs / 1000);
    } catch (e) {
      rethrow(e, 'lutime', path);
    }
  }

  // ---- extended attributes ---------------------------------------------------------------

  #xattrLibc(syscall: string, path: string): Libc {
    const libc = this.#libc();
    if (libc === undefined) throw unavailableError(syscall, path, 'extended attributes', this.#unavailable());
    return libc;
  }

  async getXattrs(path: string): Promise<FsXattr[]> {
    return getXattrs(this.#xattrLibc('llistxattr', path), path);
  }

  async getXattr(path: string, name: string): Promise<Uint8Array | undefined> {
    return getXattr(this.#xattrLibc('lgetxattr', path), path, name);
  }

  async setXattr(path: string, name: string, value: Uint8Array): Promise<void> {
    setXattr(this.#xattrLibc('lsetxattr', path), path, name, value);
  }

  // ---- durability ---------------------------------------------------------------

  async fsync(path: string): Promise<void> {
    const fh = await this.#open(path, READ_FLAGS);
    try {
      await fh.sync();
    } catch (e) {
      rethrow(e, 'fsync', path);
    } finally {
      await fh.close();
    }
  }

  async syncfs(path: string): Promise<void> {
    const fh = await this.#open(path, O_RDONLY);
    try {
      const libc = this.#libc();
      if (libc === undefined) {
        await fh.sync(); // weaker: flushes only this file or directory
        return;
      }
      const [result, errno] = await libc.syncfs(fh.fd);
      if (result !== 0) throw errnoError(errno, 'syncfs', path);
    } catch (e) {
      rethrow(e, 'syncfs', path);
    } finally {
      await fh.close();
    }
  }

  // ---- locks ---------------------------------------------------------------

  async lockFile(path: string, kind: LockKind, options?: LockOptions): Promise<FileLock> {
    const waitMs = checkLockArguments(kind, options, path);
    const libc = this.#libc();
    if (libc?.fcntlLock === undefined) {
      const reason =
        libc === undefined ? this.#unavailable() : `the layout of struct flock is not known on ${process.arch}`;
      throw unavailableError('fcntl', path, 'file locks', reason);
    }
    const fh = await this.#open(path, LOCK_FLAGS, LOCK_FILE_MODE);
    const fd = fh.fd;
    let mechanism: LockMechanism | undefined;
    try {
      // F_OFD_SETLK never blocks: retry on a timer instead of F_OFD_SETLKW, which would block
      // the event loop (ostree itself retries once a second up to core.lock-timeout-secs).
      const start = performance.now();
      let delay = LOCK_RETRY_FIRST_MS;
      for (;;) {
        mechanism = tryLock(libc, fd, kind, path);
        if (mechanism !== undefined) break;
        const remaining = waitMs - (performance.now() - start);
        if (remaining <= 0) throw lockBusy(path, waitMs);
        await sleep(Math.min(delay, remaining));
        delay = Math.min(delay * 2, LOCK_RETRY_MAX_MS);
      }
    } catch (e) {
      await fh.close().catch(() => {});
      throw e;
    }
    const how = mechanism;
    let released: Promise<void> | undefined;
    const release = async (): Promise<void> => {
      // Unlock explicitly, as ostree does; closing the only descriptor of the open file
      // description would drop the lock anyway, so an unlock error changes nothing.
      if (how === 'ofd') libc.fcntlLock?.(fd, F_OFD_SETLK, F_UNLCK);
      else libc.flock?.(fd, LOCK_UN);
      try {
        await fh.close();
      } catch (e) {
        rethrow(e, 'close', path);
      }
    };
    return { release: () => (released ??= release()) };
  }
}

/** How a lock was taken, so that release undoes it the same way. */
type LockMechanism = 'ofd' | 'flock';

/**
 * One non-blocking attempt to lock `fd` as ostree's do_repo_lock does: an OFD lock, or flock
 * when the kernel has no OFD locks (EINVAL). Undefined when the lock is held (EAGAIN);
 * other errors throw.
 */
function tryLock(libc: Libc, fd: number, kind: LockKind, path: string): LockMechanism | undefined {
  const fcntlLock = libc.fcntlLock as NonNullable<Libc['fcntlLock']>;
  for (;;) {
    if (fcntlLock(fd, F_OFD_SETLK, kind === 'exclusive' ? F_WRLCK : F_RDLCK) === 0) return 'ofd';
    const errno = libc.errno();
    if (errno === EINTR) continue;
    if (errno === EAGAIN) return undefined;
    if (errno !== EINVAL || libc.flock === undefined) throw errnoError(errno, 'fcntl', path);
    if (libc.flock(fd, (kind === 'exclusive' ? LOCK_EX : LOCK_SH) | LOCK_NB) === 0) return 'flock';
    const flockErrno = libc.errno();
    if (flockErrno === EINTR) continue;
    if (flockErrno === EAGAIN) return undefined;
    throw errnoError(flockErrno, 'flock', path);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function createFlags(options: CreateOptions | undefined): number {
  return O_WRONLY | O_CREAT | O_NOFOLLOW | ((options?.exclusive ?? true) ? O_EXCL : O_TRUNC);
}

/** `mkdir -p` with the same rules as memoryFs: an existing directory (followed) is fine, anything else EEXIST. */
async function mkdirRecursive(ops: FsOps, path: string, mode: number): Promise<void> {
  const existingDirIsFine = async (eexist: unknown): Promise<void> => {
    const st = await ops.stat(path).catch(() => undefined);
    if (st === undefined || !st.isDirectory()) throw eexist;
  };
  try {
    await ops.mkdir(path, { mode });
    return;
  } catch (e) {
    if (hasCode(e, 'EEXIST')) return existingDirIsFine(e);
    if (!hasCode(e, 'ENOENT')) throw e;
  }
  const parent = lexicalDirname(path);
  if (parent === path || parent === '.' || parent === '/') throw new FsError('ENOENT', 'mkdir', path);
  await mkdirRecursive(ops, parent, mode);
  try {
    await ops.mkdir(path, { mode });
  } catch (e) {
    if (hasCode(e, 'EEXIST')) return existingDirIsFine(e);
    throw e;
  }
}

/**
 * renameat2(RENAME_NOREPLACE) unavailable: a hard link is the atomic "create if absent"
 * (EEXIST if the target exists), then the old name goes. Not atomic as a whole: a crash in
 * between leaves both names. Directories cannot be hard-linked: lstat then rename, which
 * races with a concurrent creator of the target.
 */
async function renameNoReplaceFallback(ops: FsOps, from: string, to: string): Promise<void> {
  try {
    const st = await ops.lstat(from);
    if (!st.isDirectory()) {
      let linked = false;
      try {
        await ops.link(from, to);
        linked = true;
      } catch (e) {
        // No hard links on this filesystem (or too many): use the directory path below.
        if (!hasCode(e, 'EPERM') && !hasCode(e, 'ENOTSUP') && !hasCode(e, 'EMLINK')) throw e;
      }
      if (linked) {
        await ops.unlink(from);
        return;
      }
    }
    try {
      await ops.lstat(to);
      throw new FsError('EEXIST', 'rename', to);
    } catch (e) {
      if (!hasCode(e, 'ENOENT')) throw e;
    }
    await ops.rename(from, to);
  } catch (e) {
    rethrow(e, 'rename', from);
  }
}

async function ignoreEnoent(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!hasCode(e, 'ENOENT')) throw e;
  }
}

/** Empties and removes a directory; entries are classified by readdir's d_type, so symlinks are unlinked, never entered. */
async function removeDirectory(ops: FsOps, dir: string, limit: <T>(task: () => Promise<T>) => Promise<T>): Promise<void> {
  let entries;
  try {
    entries = await limit(() => ops.readdir(dir, { withFileTypes: true }));
  } catch (e) {
    if (hasCode(e, 'ENOENT')) return;
    throw e;
  }
  await Promise.all(
    entries.map((entry) => {
      const child = `${dir}/${entry.name}`;
      return entry.isDirectory() ? removeDirectory(ops, child, limit) : ignoreEnoent(limit(() => ops.unlink(child)));
    }),
  );
  await ignoreEnoent(limit(() => ops.rmdir(dir)));
}
