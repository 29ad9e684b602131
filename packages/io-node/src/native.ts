/**
 * The libc calls Node lacks (l*xattr, renameat2, syncfs, fchmodat with AT_SYMLINK_NOFOLLOW,
 * fcntl OFD locks and flock),
 * through koffi, loaded lazily on first use. If koffi or libc cannot be loaded, {@link loadLibc}
 * returns undefined and remembers why, and callers fall back or throw `ENOTSUP`.
 * @module
 * @internal
 */
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import { FsError } from '@ostree-ts/io';

/** The raw libc functions, as koffi exposes them (return -1 and set errno on failure). */
export interface Libc {
  lgetxattr(path: string, name: string, value: Uint8Array | null, size: number): number;
  llistxattr(path: string, list: Uint8Array | null, size: number): number;
  lsetxattr(path: string, name: string, value: Uint8Array | null, size: number, flags: number): number;
  /** Undefined when libc has no renameat2 wrapper (glibc < 2.28). */
  renameat2: ((olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number) => number) | undefined;
  fchmodat: (dirfd: number, path: string, mode: number, flags: number) => number;
  /**
   * `fcntl(fd, cmd, &fl)` with a whole-file `struct flock` (`l_whence` SEEK_SET, `l_start` 0,
   * `l_len` 0 = to the end, `l_pid` 0 as OFD locks require) of lock type `type`
   * ({@link F_RDLCK}, {@link F_WRLCK}, {@link F_UNLCK}). Undefined where the layout of
   * `struct flock` is not known (architectures other than x86_64 and aarch64).
   */
  fcntlLock: ((fd: number, cmd: number, type: number) => number) | undefined;
  /** flock(2), ostree's fallback where OFD locks are unavailable; undefined if libc lacks it. */
  flock: ((fd: number, operation: number) => number) | undefined;
  /** Runs syncfs on a worker thread (it can take seconds); resolves to [result, errno]. */
  syncfs(fd: number): Promise<readonly [number, number]>;
  /** errno of the last synchronous call. */
  errno(): number;
}

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const RENAME_NOREPLACE = 1;
/** fcntl commands of open-file-description locks (Linux >= 3.15; asm-generic values, as on x86_64 and aarch64). */
export const F_OFD_GETLK = 36;
export const F_OFD_SETLK = 37;
export const F_OFD_SETLKW = 38;
/** `l_type` values of struct flock. */
export const F_RDLCK = 0;
export const F_WRLCK = 1;
export const F_UNLCK = 2;
export const SEEK_SET = 0;
/** glibc's struct flock on x86_64 and aarch64: size and field offsets in bytes. */
export const FLOCK_LAYOUT = {
  size: 32,
  offsets: { l_type: 0, l_whence: 2, l_start: 8, l_len: 16, l_pid: 24 },
} as const;
/** flock(2) operations. */
export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
export const ENOENT = 2;
export const EINTR = 4;
/** Also EWOULDBLOCK on Linux. */
export const EAGAIN = 11;
export const EINVAL = 22;
export const ERANGE = 34;
export const ENOSYS = 38;
export const ENODATA = 61;
export const ENOTSUP = 95;

let loaded: { libc: Libc | undefined; reason: string } | undefined;

/** The libc bindings, loading koffi and libc.so.6 on the first call; undefined if unavailable. */
export function loadLibc(): Libc | undefined {
  loaded ??= tryLoad();
  return loaded.libc;
}

/** Why {@link loadLibc} returned undefined ('' if it did not). */
export function libcUnavailableReason(): string {
  loadLibc();
  return loaded?.reason ?? '';
}

function tryLoad(): { libc: Libc | undefined; reason: string } {
  if (process.platform !== 'linux') return { libc: undefined, reason: `not supported on ${process.platform}` };
  try {
    const require = createRequire(import.meta.url);
    const koffi = require('koffi') as typeof import('koffi');
    const lib = koffi.load('libc.so.6');
    const optional = (decl: string): ((...args: never[]) => number) | undefined => {
      try {
        return lib.func(decl) as (...args: never[]) => number;
      } catch {
        return undefined;
      }
    };
    const syncfs = lib.func('int syncfs(int fd)');
    // struct flock of glibc on x86_64 and aarch64 (LP64, 64-bit off_t): short l_type (offset 0),
    // short l_whence (2), 4 bytes of padding, off_t l_start (8), off_t l_len (16), pid_t l_pid
    // (24), 4 bytes of tail padding: 32 bytes. Checked against gcc's offsetof/sizeof.
    const flockLayout = process.arch === 'x64' || process.arch === 'arm64';
    const flockStruct = flockLayout
      ? koffi.struct({ l_type: 'int16_t', l_whence: 'int16_t', l_start: 'int64_t', l_len: 'int64_t', l_pid: 'int32_t' })
      : undefined;
    const flockPointer =
      flockStruct !== undefined &&
      koffi.sizeof(flockStruct) === FLOCK_LAYOUT.size &&
      Object.entries(FLOCK_LAYOUT.offsets).every(([field, offset]) => koffi.offsetof(flockStruct, field) === offset)
        ? koffi.pointer(flockStruct)
        : undefined;
    // fcntl is variadic: koffi takes the type of each variadic argument before its value.
    const fcntl = flockPointer === undefined ? undefined : optional('int fcntl(int fd, int cmd, ...)');
    return {
      reason: '',
      libc: {
        lgetxattr: lib.func('intptr_t lgetxattr(const char *path, const char *name, void *value, uintptr_t size)'),
        llistxattr: lib.func('intptr_t llistxattr(const char *path, void *list, uintptr_t size)'),
        lsetxattr: lib.func(
          'int lsetxattr(const char *path, const char *name, const void *value, uintptr_t size, int flags)',
        ),
        renameat2: optional(
          'int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)',
        ) as Libc['renameat2'],
        fchmodat: lib.func('int fchmodat(int dirfd, const char *path, uint32_t mode, int flags)'),
        fcntlLock:
          fcntl === undefined
            ? undefined
            : (fd, cmd, type) =>
                (fcntl as (...args: unknown[]) => number)(fd, cmd, flockPointer, {
                  l_type: type,
                  l_whence: SEEK_SET,
                  l_start: 0,
                  l_len: 0,
                  l_pid: 0,
                }),
        flock: optional('int flock(int fd, int operation)') as Libc['flock'],
        syncfs: (fd) =>
          new Promise((resolve, reject) => {
            syncfs.async(fd, (err: unknown, result: number) => {
              if (err) reject(err);
              else resolve([result, result < 0 ? koffi.errno() : 0]);
            });
          }),
        errno: () => koffi.errno(),
      },
    };
  } catch (e) {
    return { libc: undefined, reason: e instanceof Error ? e.message : String(e) };
  }
}

const errnoNames = new Map<number, string>();
for (const [name, value] of Object.entries(osConstants.errno)) {
  if (!errnoNames.has(value)) errnoNames.set(value, name);
}

/** The errno name of a (positive) errno number, as Node names it: 95 is `ENOTSUP`, 61 `ENODATA`. */
export function errnoName(errno: number): string {
  // libuv reserves -3000 and below for its own codes (-4095 is UV_EOF): not errnos.
  const name = errno > 0 && errno < 3000 ? getSystemErrorName(-errno) : '';
  if (/^E[A-Z0-9]+$/.test(name)) return name;
  return errnoNames.get(errno) ?? `E${errno}`;
}

export function errnoError(errno: number, syscall: string, path: string): FsError {
  return new FsError(errnoName(errno), syscall, path);
}

/** `ENOTSUP` with a message saying that the native helper is missing, and why. */
export function unavailableError(syscall: string, path: string, what: string, reason: string): FsError {
  const e = new FsError('ENOTSUP', syscall, path);
  e.message += ` (${what} need libc through the koffi native module, which is unavailable: ${reason})`;
  return e;
}

/** koffi passes JS strings as NUL-terminated C strings: an embedded NUL would silently truncate them. */
export function checkCString(value: string, syscall: string, path: string): void {
  if (value.includes('\0')) throw new FsError('EINVAL', syscall, path);
}
