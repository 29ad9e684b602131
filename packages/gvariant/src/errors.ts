/**
 * The single error class thrown by this package.
 * @module
 */

/**
 * Why a GVariant operation failed.
 *
 * - `GVARIANT_INVALID_TYPE`: the type string is not a valid definite GVariant type.
 * - `GVARIANT_INVALID_DATA`: the bytes cannot be decoded into a value (framing offsets out of
 *   range, bad UTF-8, wrong fixed size, nesting too deep, ...).
 * - `GVARIANT_NOT_NORMAL`: the bytes decode, but are not in GLib's normal form (strict mode only).
 * - `GVARIANT_INVALID_VALUE`: `encode()` was given a value that does not fit the type.
 */
export type GVariantErrorCode =
  | 'GVARIANT_INVALID_TYPE'
  | 'GVARIANT_INVALID_DATA'
  | 'GVARIANT_NOT_NORMAL'
  | 'GVARIANT_INVALID_VALUE';

/**
 * Error thrown for every failure of this package; decoding hostile bytes never throws anything else.
 *
 * @example
 * ```ts
 * try {
 *   codec('u').decode(new Uint8Array(3));
 * } catch (e) {
 *   if (e instanceof GVariantError && e.code === 'GVARIANT_INVALID_DATA') console.log(e.message);
 * }
 * ```
 */
export class GVariantError extends Error {
  /** Machine-readable reason, see {@link GVariantErrorCode}. */
  readonly code: GVariantErrorCode;

  /**
   * @param code - machine-readable reason
   * @param message - human-readable detail
   * @param options - standard `ErrorOptions` (`cause`)
   */
  constructor(code: GVariantErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GVariantError';
    this.code = code;
  }
}

/**
 * Type guard for {@link GVariantError}, optionally of one code.
 *
 * @param e - anything caught
 * @param code - if given, also require this code
 * @returns true when `e` is a GVariantError (with `code`, if given)
 * @example
 * ```ts
 * if (isGVariantError(e, 'GVARIANT_NOT_NORMAL')) reject();
 * ```
 */
export function isGVariantError(e: unknown, code?: GVariantErrorCode): e is GVariantError {
  return e instanceof GVariantError && (code === undefined || e.code === code);
}

/**
 * @internal Builds a `GVARIANT_INVALID_DATA` error (decoding paths throw these, so keep them cheap).
 * @param message - detail
 * @returns the error, to be thrown
 * @example
 * ```ts
 * throw invalidData('offset out of range');
 * ```
 */
export function invalidData(message: string): GVariantError {
  return new GVariantError('GVARIANT_INVALID_DATA', message);
}

/**
 * @internal Builds a `GVARIANT_NOT_NORMAL` error.
 * @param message - detail
 * @returns the error, to be thrown
 * @example
 * ```ts
 * if (strict) throw notNormal('non-zero padding');
 * ```
 */
export function notNormal(message: string): GVariantError {
  return new GVariantError('GVARIANT_NOT_NORMAL', message);
}

/**
 * @internal Builds a `GVARIANT_INVALID_VALUE` error.
 * @param message - detail
 * @returns the error, to be thrown
 * @example
 * ```ts
 * throw invalidValue('expected boolean');
 * ```
 */
export function invalidValue(message: string): GVariantError {
  return new GVariantError('GVARIANT_INVALID_VALUE', message);
}

/**
 * @internal Builds a `GVARIANT_INVALID_TYPE` error.
 * @param message - detail
 * @returns the error, to be thrown
 * @example
 * ```ts
 * throw invalidType('unexpected character');
 * ```
 */
export function invalidType(message: string): GVariantError {
  return new GVariantError('GVARIANT_INVALID_TYPE', message);
}

/**
 * @internal Short, safe description of a JS value for error messages.
 * @param v - any value
 * @returns a short description
 * @example
 * ```ts
 * describe(new Uint8Array(3)); // 'Uint8Array(3)'
 * ```
 */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `array(${v.length})`;
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  switch (typeof v) {
    case 'string':
      return v.length > 40 ? `string(${v.length})` : JSON.stringify(v);
    case 'number':
    case 'boolean':
      return String(v);
    case 'bigint':
      return `${v}n`;
    default:
      return typeof v;
  }
}
