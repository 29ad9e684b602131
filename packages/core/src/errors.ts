/**
 * The one error type every ostree-ts package throws, with stable machine-readable codes.
 * @module
 */

/**
 * Stable error codes. Scripts and callers branch on these, never on messages, so a code is
 * never renamed or reused once published.
 */
export type OstreeErrorCode =
  /** Metadata bytes that do not decode, are not in normal form, or fail structural checks. */
  | 'INVALID_OBJECT'
  /** A checksum string that is not 64 lowercase hex digits, or checksum bytes not 32 long. */
  | 'INVALID_CHECKSUM'
  /** Object bytes whose recomputed checksum differs from the expected one. */
  | 'CHECKSUM_MISMATCH'
  /** A ref, remote name or refspec that ostree's grammar rejects. */
  | 'INVALID_REF'
  /** A tree entry name that is empty, `.`, `..`, or contains `/` or NUL. */
  | 'INVALID_FILENAME'
  /** A file or directory mode with bits ostree does not allow. */
  | 'INVALID_MODE'
  /** Extended attributes that are unsorted, duplicated or badly named. */
  | 'INVALID_XATTRS'
  /** A caller-supplied argument outside what the API accepts. */
  | 'INVALID_ARGUMENT'
  /** A valid request this implementation or platform cannot carry out. */
  | 'UNSUPPORTED'
  /** No repository at the given path, or an unreadable one. */
  | 'REPO_NOT_FOUND'
  /** A repository (or other target) already exists where one was to be created. */
  | 'ALREADY_EXISTS'
  /** A repository `config` (or other configuration) with a missing or invalid setting. */
  | 'INVALID_CONFIG'
  /** An object the operation needs is not in the repository. */
  | 'OBJECT_NOT_FOUND'
  /** A ref, remote or revision that does not resolve. */
  | 'REF_NOT_FOUND'
  /** A filesystem operation failed; `cause` holds the filesystem error. */
  | 'IO_ERROR'
  /** The repository lock is held by another writer and did not free up in time. */
  | 'REPO_LOCKED'
  /** A static delta (superblock, part or operation) that is malformed, hostile or inconsistent. */
  | 'INVALID_DELTA'
  /** Required signatures are absent (unsigned commit, summary or delta). */
  | 'SIGNATURE_MISSING'
  /** Signatures exist but none verifies with a trusted key (wrong key or tampered data). */
  | 'SIGNATURE_INVALID'
  /** A network transfer failed for good: HTTP error status, reset, truncation or stall after retries. */
  | 'NETWORK_ERROR'
  /** An operation was cancelled through its AbortSignal. */
  | 'ABORTED'
  /** A sysroot (deployments, bootloader configuration, stateroot) that is missing or inconsistent. */
  | 'INVALID_SYSROOT';

/**
 * An error raised by ostree-ts. `code` is stable; `message` is for humans; `cause` carries the
 * lower-level error (for example a GVariant decoding error) when there is one.
 *
 * @example
 * ```ts
 * try { decodeCommit(bytes) } catch (e) { if (isOstreeError(e, 'INVALID_OBJECT')) … }
 * ```
 */
export class OstreeError extends Error {
  /** Stable code identifying the kind of failure. */
  readonly code: OstreeErrorCode;

  /**
   * @param code - the stable error code
   * @param message - a human-readable explanation naming the offending thing
   * @param options - `cause`: the underlying error, if any
   */
  constructor(code: OstreeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OstreeError';
    this.code = code;
  }
}

/**
 * Type guard: is `e` an {@link OstreeError}, optionally with the given code?
 * @param e - any thrown value
 * @param code - if given, the code it must have
 */
export function isOstreeError(e: unknown, code?: OstreeErrorCode): e is OstreeError {
  return e instanceof OstreeError && (code === undefined || e.code === code);
}
