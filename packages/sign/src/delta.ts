/**
 * The signed static-delta superblock (spec §5.12): `(taya{sv})` = (magic "OSTSGNDT",
 * the unsigned superblock bytes, `{"ostree.sign.<type>": <aay signatures>}`), written by
 * `ostree static-delta generate --sign=` in place of the plain superblock.
 * @module
 */
import { OstreeError, lookupMetadata, variant, type Metadata } from '@ostree-ts/core';
import { codec } from '@ostree-ts/gvariant';
import { signaturesOf } from './detached.js';
import type { TrustedKeys } from './keys.js';
import { SIGNATURES_TYPE, signatureMetadataKey, type SignType, type Signer } from './signers.js';
import { verifySignatures, type VerifiedSignature, type VerifyOptions } from './verify.js';

/** GVariant type of the signed wrapper. */
export const SIGNED_SUPERBLOCK_TYPE = '(taya{sv})';
/** The wrapper's first 8 bytes: "OSTSGNDT" (a `t` stored big-endian). */
export const SIGNED_SUPERBLOCK_MAGIC = Uint8Array.from([0x4f, 0x53, 0x54, 0x53, 0x47, 0x4e, 0x44, 0x54]);

// The magic as the little-endian `t` GVariant serialises.
const MAGIC_AS_T = SIGNED_SUPERBLOCK_MAGIC.reduceRight((n, b) => (n << 8n) | BigInt(b), 0n);
const wrapperCodec = codec(SIGNED_SUPERBLOCK_TYPE);

/** The parts of a signed superblock file. */
export interface SignedSuperblock {
  /** The unsigned superblock bytes (what was signed). */
  readonly superblock: Uint8Array;
  /** The wrapper's `a{sv}`: `ostree.sign.<type>` → signatures. */
  readonly metadata: Metadata;
}

/** True if `bytes` start with the signed-superblock magic (ostree's own test). */
export function isSignedDeltaSuperblock(bytes: Uint8Array): boolean {
  if (bytes.length < SIGNED_SUPERBLOCK_MAGIC.length) return false;
  return SIGNED_SUPERBLOCK_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Wraps superblock bytes with signatures by each signer (all of one type, as ostree makes
 * them in one `generate --sign-type=T --sign=K1 --sign=K2` run).
 * @throws {OstreeError} INVALID_ARGUMENT with no signers or mixed types
 */
export function signDeltaSuperblock(superblockBytes: Uint8Array, signers: readonly Signer[]): Uint8Array {
  const type = signers[0]?.type;
  if (type === undefined) throw new OstreeError('INVALID_ARGUMENT', 'no keys to sign the delta with');
  if (signers.some((s) => s.type !== type)) throw new OstreeError('INVALID_ARGUMENT', 'a signed delta holds signatures of one type');
  const signatures = signers.map((s) => s.sign(superblockBytes));
  return wrapperCodec.encode([MAGIC_AS_T, superblockBytes, [[signatureMetadataKey(type), variant(SIGNATURES_TYPE, signatures)]]]);
}

/**
 * Splits a signed superblock file into the superblock and its signatures.
 * @throws {OstreeError} INVALID_DELTA when it is not a well-formed signed superblock
 */
export function unwrapSignedDeltaSuperblock(bytes: Uint8Array): SignedSuperblock {
  if (!isSignedDeltaSuperblock(bytes)) throw new OstreeError('INVALID_DELTA', 'no signatures in static-delta');
  let value;
  try {
    value = wrapperCodec.decode(bytes, { strict: true });
  } catch (cause) {
    throw new OstreeError('INVALID_DELTA', 'malformed signed static-delta superblock', { cause });
  }
  const [, superblock, metadata] = value;
  return { superblock, metadata };
}

/** The signature types present in a signed superblock (`ostree.sign.*` keys), as ostree lists them. */
export function deltaSignatureTypes(signed: SignedSuperblock): string[] {
  return signed.metadata.map(([k]) => k).filter((k) => k.startsWith('ostree.sign.')).map((k) => k.slice('ostree.sign.'.length));
}

/**
 * Verifies a signed superblock file with `type`'s signatures (`ostree static-delta verify`)
 * and returns the verified superblock bytes with the result.
 * @throws {OstreeError} INVALID_DELTA (not signed / malformed), SIGNATURE_MISSING (no
 *   signatures of `type`), SIGNATURE_INVALID (none verifies)
 */
export function verifySignedDeltaSuperblock(
  bytes: Uint8Array,
  keys: TrustedKeys,
  options: VerifyOptions & { readonly type?: SignType } = {},
): { superblock: Uint8Array; verified: VerifiedSignature } {
  const signed = unwrapSignedDeltaSuperblock(bytes);
  const type = options.type ?? 'ed25519';
  const signatures = signaturesOf(signed.metadata, type);
  if (signatures === undefined) {
    const present = lookupMetadata(signed.metadata, signatureMetadataKey(type)) !== undefined;
    throw new OstreeError(present ? 'SIGNATURE_INVALID' : 'SIGNATURE_MISSING', `no signature for '${signatureMetadataKey(type)}' in static-delta superblock`);
  }
  return { superblock: signed.superblock, verified: verifySignatures(type, signed.superblock, signatures, keys, options.engine) };
}

/** Options of {@link checkDeltaSignatureForApply}. */
export interface DeltaApplySignatureOptions extends VerifyOptions {
  /** `core.sign-verify-deltas=true`: a signed delta may only be applied after verification. */
  readonly verifyRequired?: boolean;
  /** Keys to verify with; undefined when none are available (no key given, no trust store). */
  readonly keys?: TrustedKeys;
  /** Signature type to check (default ed25519). */
  readonly type?: SignType;
}

/**
 * ostree's rule before applying a static delta offline: an unsigned superblock passes as is;
 * a signed one is verified whenever keys are available, and must be when
 * `core.sign-verify-deltas` is set. Returns the superblock bytes to apply.
 * @throws {OstreeError} SIGNATURE_MISSING ("Key is mandatory to check delta signature"),
 *   SIGNATURE_INVALID, INVALID_DELTA
 */
export function checkDeltaSignatureForApply(bytes: Uint8Array, options: DeltaApplySignatureOptions = {}): Uint8Array {
  if (!isSignedDeltaSuperblock(bytes)) return bytes;
  if (options.keys === undefined) {
    if (options.verifyRequired) throw new OstreeError('SIGNATURE_MISSING', 'Key is mandatory to check delta signature');
    return unwrapSignedDeltaSuperblock(bytes).superblock;
  }
  return verifySignedDeltaSuperblock(bytes, options.keys, options).superblock;
}
