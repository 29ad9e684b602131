/**
 * The value of a `v` (variant): a type string plus a value of that type.
 * @module
 */
import { compile } from './compile.js';
import type { ValueOf } from './value-types.js';

/**
 * A value of GVariant type `v`: any value together with its type string. Decoding produces plain
 * objects of this shape; encoding accepts any object of this shape (the value is checked then).
 * @example
 * ```ts
 * const v: Variant = codec('v').decode(bytes);
 * if (v.type === 't') console.log(v.value as bigint);
 * ```
 */
export interface Variant {
  /** Type string of `value`, e.g. `'s'` or `'a{sv}'`. */
  readonly type: string;
  /** The contained value, mapped as described by {@link ValueOf} for `type`. */
  readonly value: unknown;
}

/**
 * Wraps a value with its type for use where a `v` is expected (e.g. `a{sv}` metadata).
 * The type string is validated now; the value is validated when the variant is encoded.
 *
 * @param type - GVariant type string of `value`
 * @param value - the value, typed from `type`
 * @returns a frozen {@link Variant}
 * @throws {GVariantError} `GVARIANT_INVALID_TYPE` if `type` is not a valid definite type string
 * @example
 * ```ts
 * const meta = codec('a{sv}').encode([['version', variant('s', '1.0')]]);
 * ```
 */
export function variant<S extends string>(type: S, value: ValueOf<S>): Variant {
  compile(type);
  return Object.freeze({ type, value });
}
