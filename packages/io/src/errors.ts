/**
 * Filesystem errors carry the POSIX errno name as `code`, exactly like Node's, so callers
 * can branch on `ENOENT`/`EEXIST` whatever the implementation.
 * @module
 */

/** An error from an {@link Fs} implementation. */
export class FsError extends Error {
  /** errno name: `ENOENT`, `EEXIST`, `ENOTDIR`, `EISDIR`, `ENOTEMPTY`, `EPERM`, `ENOTSUP`, … */
  readonly code: string;
  /** The path the operation failed on. */
  readonly path: string;

  constructor(code: string, syscall: string, path: string, options?: { cause?: unknown }) {
    super(`${code}: ${syscall} ${JSON.stringify(path)}`, options);
    this.name = 'FsError';
    this.code = code;
    this.path = path;
  }
}

/** True if `e` is any error with the given errno `code` (Node's own errors included). */
export function hasErrorCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;
}
