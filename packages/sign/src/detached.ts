/**
 * Signatures inside `a{sv}` detached metadata (`.commitmeta`, `summary.sig`): reading them,
 * appending one the way ostree does (GVariantDict order), removing some.
 * @module
 */
import { VariantDict, lookupTyped, variant, type Metadata } from '@ostree-ts/core';
import { SIGNATURES_TYPE, signatureMetadataKey, type SignType } from './signers.js';

/**
 * The signatures of `type` in `metadata`, or undefined when there is no such key. Like
 * `g_variant_lookup_value`, the first entry with the key decides, and a value of another
 * type counts as absent.
 */
export function signaturesOf(metadata: Metadata | undefined, type: SignType): Uint8Array[] | undefined {
  if (metadata === undefined) return undefined;
  return lookupTyped<Uint8Array[]>(metadata, signatureMetadataKey(type), SIGNATURES_TYPE);
}

/**
 * `metadata` with `signature` appended to the `type` array, as ostree's
 * `_sign_detached_metadata_append` builds it: the entries go through a GVariantDict, so
 * the result has GLib's hash order and the bytes match what ostree writes.
 */
export function appendSignature(metadata: Metadata | undefined, type: SignType, signature: Uint8Array): Metadata {
  const dict = new VariantDict(metadata ?? []);
  const key = signatureMetadataKey(type);
  const existing = dict.lookup(key);
  const signatures = existing?.type === SIGNATURES_TYPE ? [...(existing.value as Uint8Array[])] : [];
  signatures.push(signature);
  dict.insert(key, variant(SIGNATURES_TYPE, signatures));
  return dict.end();
}

/**
 * `metadata` without the `type` signatures for which `matches` is true; the key goes away
 * when none remain. Returns the new metadata and how many signatures were removed.
 */
export function removeSignatures(
  metadata: Metadata,
  type: SignType,
  matches: (signature: Uint8Array) => boolean,
): { metadata: Metadata; removed: number } {
  const signatures = signaturesOf(metadata, type);
  if (signatures === undefined) return { metadata, removed: 0 };
  const kept = signatures.filter((s) => !matches(s));
  const removed = signatures.length - kept.length;
  if (removed === 0) return { metadata, removed };
  const dict = new VariantDict(metadata);
  const key = signatureMetadataKey(type);
  if (kept.length === 0) dict.remove(key);
  else dict.insert(key, variant(SIGNATURES_TYPE, kept));
  return { metadata: dict.end(), removed };
}
