/**
 * Turning filesystem failures into {@link OstreeError}s whose messages read like ostree's
 * (`mkdirat: File exists`, `Hardlinking ab/cd….file to name: File exists`).
 * @module
 */
import { OstreeError, isOstreeError, type OstreeErrorCode } from '@ostree-ts/core';

/** glibc's strerror() texts for the errno names a checkout can meet. */
const STRERROR: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  EBADF: 'Bad file descriptor',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EMLINK: 'Too many links',
  ENAMETOOLONG: 'File name too long',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  ENODATA: 'No data available',
  ENOTSUP: 'Operation not supported',
  EOPNOTSUPP: 'Operation not supported',
  EDQUOT: 'Disk quota exceeded',
  E2BIG: 'Argument list too long',
  ERANGE: 'Numerical result out of range',
  ENOSYS: 'Function not implemented',
};

/** The errno name carried by `e` (`EEXIST`, …), if any. */
export function errnoOf(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** strerror() of an errno name, or the name itself when unknown. */
export function strerror(errno: string): string {
  return STRERROR[errno] ?? errno;
}

function codeForErrno(errno: string | undefined): OstreeErrorCode {
  return errno === 'EEXIST' ? 'ALREADY_EXISTS' : 'IO_ERROR';
}

/**
 * `prefix: <what went wrong>` as ostree's glnx_throw_errno_prefix / glnx_prefix_error write it.
 * An {@link OstreeError} keeps its code and gets the prefix; a filesystem error becomes
 * `ALREADY_EXISTS` (EEXIST) or `IO_ERROR` with its strerror() text; anything else
 * (a programming error) is returned unchanged.
 */
export function prefixed(prefix: string, e: unknown): unknown {
  if (isOstreeError(e)) return new OstreeError(e.code, `${prefix}: ${e.message}`, { cause: e });
  const errno = errnoOf(e);
  if (errno !== undefined) return new OstreeError(codeForErrno(errno), `${prefix}: ${strerror(errno)}`, { cause: e });
  return e;
}

/** A filesystem error (as ostree would print it with `prefix`) for an errno name, without a cause. */
export function errnoError(prefix: string, errno: string): OstreeError {
  return new OstreeError(codeForErrno(errno), `${prefix}: ${strerror(errno)}`);
}

/** Wraps a non-OstreeError failure of `f` with `prefix`. */
export async function withPrefix<T>(prefix: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw prefixed(prefix, e);
  }
}

/**
 * Ensures what escapes the library is an OstreeError: fs errors become IO_ERROR (or
 * ALREADY_EXISTS) with the original as `cause`, inflate failures INVALID_OBJECT.
 */
export function asOstreeError(e: unknown): unknown {
  if (isOstreeError(e)) return e;
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && code.startsWith('COMPRESS_')) {
    // A corrupt or oversized deflate stream in an archive object.
    return new OstreeError('INVALID_OBJECT', `Corrupted file object: ${(e as Error).message}`, { cause: e });
  }
  const errno = errnoOf(e);
  if (errno !== undefined) {
    const msg = e instanceof Error ? e.message : strerror(errno);
    return new OstreeError(codeForErrno(errno), msg, { cause: e });
  }
  return e;
}
