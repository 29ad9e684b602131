/**
 * The delta package's error helpers: every malformed or hostile delta raises
 * `OstreeError('INVALID_DELTA')`, wrapping the lower-level cause when there is one.
 * @module
 */
import { OstreeError, isOstreeError } from '@ostree-ts/core';
import { isGVariantError } from '@ostree-ts/gvariant';

/** An INVALID_DELTA error. */
export function invalidDelta(message: string, cause?: unknown): OstreeError {
  return new OstreeError('INVALID_DELTA', message, cause === undefined ? undefined : { cause });
}

/** Throws INVALID_DELTA with `message` unless `ok`. */
export function checkDelta(ok: boolean, message: string): asserts ok {
  if (!ok) throw invalidDelta(message);
}

/**
 * Runs `decode`, turning decoding failures (GVariant errors, INVALID_OBJECT, INVALID_CHECKSUM)
 * into INVALID_DELTA naming `what`.
 */
export function decodingDelta<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (isGVariantError(e) || isOstreeError(e, 'INVALID_OBJECT') || isOstreeError(e, 'INVALID_CHECKSUM')) {
      throw invalidDelta(`invalid ${what}: ${(e as Error).message}`, e);
    }
    throw e;
  }
}
