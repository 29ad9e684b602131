/**
 * The libc calls Node lacks (l*xattr, renameat2, syncfs, fchmodat with AT_SYMLINK_NOFOLLOW),
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
  /** Runs syncfs on a worker thread (it can take seconds); resolves to [result, errno]. */
  syncfs(fd: number): Promise<readonly [number, number]>;
  /** errno of the last synchronous call. */
  errno(): number;
}

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const RENAME_NOREPLACE = 1;
export const ENOENT = 2;
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
