/**
 * The one error type of this package.
 * @module
 */

/**
 * Stable machine-readable reason of a {@link BsdiffError}.
 *
 * - `CORRUPT_PATCH`: a control triple is invalid (a negative diff or extra length, or one above
 *   2^31−1, the limit ostree's bspatch enforces).
 * - `TRUNCATED_PATCH`: the patch ends before the new file is complete.
 * - `OUTPUT_OVERFLOW`: the patch would write past the expected new size.
 * - `OLD_OUT_OF_RANGE`: the patch seeks or reads outside the old file.
 * - `OLD_TRUNCATED`: a positional old-file source returned fewer bytes than its declared size.
 * - `INVALID_ARGUMENT`: a bad argument (negative size, non-`Uint8Array` input, bad option).
 * - `INPUT_TOO_LARGE`: the inputs exceed what the WebAssembly bsdiff can address.
 */
export type BsdiffErrorCode =
  | 'CORRUPT_PATCH'
  | 'TRUNCATED_PATCH'
  | 'OUTPUT_OVERFLOW'
  | 'OLD_OUT_OF_RANGE'
  | 'OLD_TRUNCATED'
  | 'INVALID_ARGUMENT'
  | 'INPUT_TOO_LARGE';

/** Thrown by every function of `@ostree-ts/bsdiff` for bad input or bad arguments. */
export class BsdiffError extends Error {
  /** Why it failed; stable across versions, unlike `message`. */
  readonly code: BsdiffErrorCode;

  /**
   * @param code - the stable reason
   * @param message - human-readable detail
   * @param options - optional `cause`
   */
  constructor(code: BsdiffErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BsdiffError';
    this.code = code;
  }
}

/** `true` if `e` is a {@link BsdiffError} (optionally with the given code). */
export function isBsdiffError(e: unknown, code?: BsdiffErrorCode): e is BsdiffError {
  return e instanceof BsdiffError && (code === undefined || e.code === code);
}
