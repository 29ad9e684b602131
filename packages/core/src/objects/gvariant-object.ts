/**
 * Decodes metadata through the GVariant codec and turns codec failures into
 * `OstreeError('INVALID_OBJECT')` naming the object kind.
 * @module
 */
import { GVariantError, type Codec } from '@ostree-ts/gvariant';
import { OstreeError } from '../errors.js';

/** Options for decoding metadata objects. */
export interface ObjectDecodeOptions {
  /**
   * Demand GVariant normal form, as ostree does when it verifies pulled or fsck'd metadata.
   * Default `true`: checksums are only meaningful over canonical bytes.
   */
  readonly strict?: boolean;
}

/** Decodes `bytes` with `codec`, wrapping GVariant errors. */
export function decodeWith<T>(codec: Codec<T>, bytes: Uint8Array, what: string, options: ObjectDecodeOptions & { byteswap?: boolean } = {}): T {
  const strict = options.strict ?? true;
  try {
    const value = codec.decode(bytes, { strict, byteswap: options.byteswap ?? false });
    // GLib reads zero bytes of a variable-size type as its default value and calls that normal
    // form, although it serializes the same value differently (an empty dirtree is `00`).
    // Two byte strings for one object would mean two checksums for one tree: refuse it.
    if (strict && bytes.length === 0 && codec.fixedSize === undefined && codec.encode(value, { byteswap: options.byteswap ?? false }).length !== 0) {
      throw new OstreeError('INVALID_OBJECT', `invalid ${what}: empty serialization is not canonical`);
    }
    return value;
  } catch (cause) {
    if (cause instanceof GVariantError) {
      throw new OstreeError('INVALID_OBJECT', `invalid ${what}: ${cause.message}`, { cause });
    }
    throw cause;
  }
}

/** Throws INVALID_OBJECT for `what` when `ok` is false. */
export function check(ok: boolean, what: string, problem: string): asserts ok {
  if (!ok) throw new OstreeError('INVALID_OBJECT', `invalid ${what}: ${problem}`);
}
