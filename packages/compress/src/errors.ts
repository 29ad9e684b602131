/**
 * The one error type of this package.
 * @module
 */

/**
 * Stable machine-readable reason of a {@link CompressError}.
 *
 * - `COMPRESS_CORRUPT`: the input is not one complete raw deflate stream (invalid data,
 *   truncated stream, or bytes after the end of the stream).
 * - `COMPRESS_TOO_LARGE`: inflating would produce more than `maxOutputBytes`.
 * - `COMPRESS_INVALID_ARGUMENT`: a bad option, a non-`Uint8Array` input, or a stream used
 *   after `end()`.
 */
export type CompressErrorCode = 'COMPRESS_CORRUPT' | 'COMPRESS_TOO_LARGE' | 'COMPRESS_INVALID_ARGUMENT';

/** Thrown by every function of `@ostree-ts/compress` for bad input or bad arguments. */
export class CompressError extends Error {
  /** Why it failed; stable across versions, unlike `message`. */
  readonly code: CompressErrorCode;

  /**
   * @param code - the stable reason
   * @param message - human-readable detail
   * @param options - optional `cause` (the underlying zlib error, if any)
   */
  constructor(code: CompressErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CompressError';
    this.code = code;
  }
}

/** `true` if `e` is a {@link CompressError} (optionally with the given code). */
export function isCompressError(e: unknown, code?: CompressErrorCode): e is CompressError {
  return e instanceof CompressError && (code === undefined || e.code === code);
}
