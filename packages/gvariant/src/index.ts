/**
 * GVariant serialisation, byte-identical to GLib's normal form.
 *
 * ```ts
 * import { codec, variant } from '@ostree-ts/gvariant';
 * const meta = codec('a{sv}');
 * const bytes = meta.encode([['version', variant('s', '1.0')]]);
 * meta.decode(bytes, { strict: true }); // [['version', { type: 's', value: '1.0' }]]
 * ```
 * @module
 */
export { GVariantError, isGVariantError, type GVariantErrorCode } from './errors.js';
export { codec, type Codec, type DecodeOptions, type EncodeOptions } from './codec.js';
export { variant, type Variant } from './variant.js';
export type { ValueOf, Just, BasicValues } from './value-types.js';
export { isValidTypeString } from './type-string.js';
export { offsetWidthForSize, framingWidth } from './framing.js';
