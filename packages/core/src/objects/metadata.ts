/**
 * `a{sv}` metadata dictionaries (commit metadata, detached metadata, summary metadata).
 * GVariant allows any key order and duplicate keys; ostree's checksums depend on the order,
 * so a dictionary is kept as the ordered list of entries it was decoded from.
 * @module
 */
import { codec, variant, type Variant } from '@ostree-ts/gvariant';
import { decodeWith, type ObjectDecodeOptions } from './gvariant-object.js';

/** An ordered `a{sv}` dictionary. */
export type Metadata = readonly (readonly [key: string, value: Variant])[];

/** GVariant type of a metadata dictionary. */
export const METADATA_TYPE = 'a{sv}';
const metadataCodec = codec(METADATA_TYPE);

/** Serializes an `a{sv}` dictionary in the given entry order. */
export function encodeMetadata(meta: Metadata): Uint8Array {
  return metadataCodec.encode(meta as [string, Variant][]);
}

/**
 * Parses an `a{sv}` dictionary.
 * @param what - the kind of object, for error messages
 * @throws {OstreeError} INVALID_OBJECT when malformed
 */
export function decodeMetadata(bytes: Uint8Array, options: ObjectDecodeOptions = {}, what = 'metadata'): Metadata {
  return decodeWith(metadataCodec, bytes, what, options);
}

/** The first value stored under `key` (GLib's lookup returns the first match), or undefined. */
export function lookupMetadata(meta: Metadata, key: string): Variant | undefined {
  for (const [k, v] of meta) if (k === key) return v;
  return undefined;
}

/**
 * The value under `key` if it exists and has GVariant type `type`, else undefined; ostree
 * ignores keys of an unexpected type rather than failing.
 */
export function lookupTyped<T>(meta: Metadata, key: string, type: string): T | undefined {
  const v = lookupMetadata(meta, key);
  return v !== undefined && v.type === type ? (v.value as T) : undefined;
}

/** Returns `meta` with `key` set to `value` (replacing the first existing entry in place, else appended). */
export function withMetadata(meta: Metadata, key: string, value: Variant): Metadata {
  const i = meta.findIndex(([k]) => k === key);
  if (i < 0) return [...meta, [key, value]];
  return meta.map((e, j) => (j === i ? ([key, value] as const) : e));
}

export { variant, type Variant };
