/**
 * Verifying signatures with trusted keys, with ostree's rules and messages: any signature
 * that verifies with any trusted, non-revoked key is enough.
 * @module
 */
import { OstreeError, decodeMetadata, type Metadata } from '@ostree-ts/core';
import { defaultEd25519 } from './ed25519/default.js';
import { ED25519_SIGNATURE_BYTES, type Ed25519 } from './ed25519/engine.js';
import { verifyLikeLibsodium } from './ed25519/libsodium-rules.js';
import { signaturesOf } from './detached.js';
import { ed25519KeyHex, type TrustedKeys } from './keys.js';
import { SIGN_TYPES, type SignType } from './signers.js';

/** Which signature verified, and ostree's message for it. */
export interface VerifiedSignature {
  /** The signature type that verified. */
  readonly type: SignType;
  /** Index of the signature in its array. */
  readonly signatureIndex: number;
  /** For ed25519: index of the key in `TrustedKeys.ed25519` that verified it; else -1. */
  readonly keyIndex: number;
  /** For ed25519: that public key. */
  readonly publicKey?: Uint8Array;
  /** What ostree prints, e.g. `ed25519: Signature verified successfully with key '…'`. */
  readonly message: string;
}

/** Options for verification. */
export interface VerifyOptions {
  /**
   * Signature types to accept, tried in order. Default: ed25519, plus dummy when
   * `TrustedKeys.dummy` is set (as `sign-verify=true` tries every type ostree has).
   */
  readonly types?: readonly SignType[];
  /** The ed25519 backend (default: {@link defaultEd25519}). */
  readonly engine?: Ed25519;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function verifyEd25519(data: Uint8Array, signatures: readonly Uint8Array[], keys: TrustedKeys, engine: Ed25519): VerifiedSignature {
  const trusted = keys.ed25519 ?? [];
  const revoked = keys.revokedEd25519 ?? [];
  const failedKeys: string[] = [];
  for (const [signatureIndex, signature] of signatures.entries()) {
    // ostree stops at the first signature of the wrong size, whatever follows it.
    if (signature.length !== ED25519_SIGNATURE_BYTES) {
      throw new OstreeError('SIGNATURE_INVALID', `Invalid signature length of ${signature.length} bytes, expected ${ED25519_SIGNATURE_BYTES}`);
    }
    for (const [keyIndex, publicKey] of trusted.entries()) {
      if (revoked.some((r) => equalBytes(r, publicKey))) continue;
      if (verifyLikeLibsodium(engine, signature, data, publicKey)) {
        return {
          type: 'ed25519',
          signatureIndex,
          keyIndex,
          publicKey,
          message: `ed25519: Signature verified successfully with key '${ed25519KeyHex(publicKey)}'`,
        };
      }
      failedKeys.push(`key '${ed25519KeyHex(publicKey)}'`);
    }
  }
  if (failedKeys.length > 3) throw new OstreeError('SIGNATURE_INVALID', `ed25519: Signature couldn't be verified; tried ${failedKeys.length} keys`);
  if (failedKeys.length > 0) throw new OstreeError('SIGNATURE_INVALID', `ed25519: Signature couldn't be verified with: ${failedKeys.join('; ')}`);
  if (signatures.length === 0) throw new OstreeError('SIGNATURE_MISSING', 'ed25519: no signatures found');
  throw new OstreeError('SIGNATURE_INVALID', 'ed25519: no signatures found (no trusted keys)');
}

const decoder = new TextDecoder();

function verifyDummy(signatures: readonly Uint8Array[], keys: TrustedKeys): VerifiedSignature {
  for (const [signatureIndex, signature] of signatures.entries()) {
    // ostree reads the signature as a C string: it ends at the first NUL.
    const end = signature.indexOf(0);
    const text = decoder.decode(end < 0 ? signature : signature.subarray(0, end));
    if (keys.dummy !== undefined && text === keys.dummy) {
      return { type: 'dummy', signatureIndex, keyIndex: -1, message: 'dummy: Signature verified' };
    }
  }
  if (signatures.length > 0) throw new OstreeError('SIGNATURE_INVALID', `signature: dummy: incorrect signatures found: ${signatures.length}`);
  throw new OstreeError('SIGNATURE_MISSING', 'signature: dummy: no signatures');
}

/**
 * Verifies one type's signature array over `data`.
 * @throws {OstreeError} SIGNATURE_MISSING (empty array) or SIGNATURE_INVALID (no signature verifies)
 */
export function verifySignatures(
  type: SignType,
  data: Uint8Array,
  signatures: readonly Uint8Array[],
  keys: TrustedKeys,
  engine: Ed25519 = defaultEd25519(),
): VerifiedSignature {
  return type === 'ed25519' ? verifyEd25519(data, signatures, keys, engine) : verifyDummy(signatures, keys);
}

function typesFor(keys: TrustedKeys, options: VerifyOptions): readonly SignType[] {
  if (options.types !== undefined) return options.types;
  return SIGN_TYPES.filter((t) => t === 'ed25519' || keys.dummy !== undefined);
}

/**
 * Verifies the signatures in a detached-metadata dictionary over `data`, like ostree's
 * per-remote verification: each accepted type that has signatures is tried in turn and
 * the first that verifies wins.
 * @throws {OstreeError} SIGNATURE_MISSING ("No signatures found") when no accepted type has
 *   signatures; SIGNATURE_INVALID with the first type's error otherwise
 */
export function verifyDetachedSignatures(data: Uint8Array, metadata: Metadata, keys: TrustedKeys, options: VerifyOptions = {}): VerifiedSignature {
  let firstError: OstreeError | undefined;
  let invalid = 0;
  for (const type of typesFor(keys, options)) {
    const signatures = signaturesOf(metadata, type);
    if (signatures === undefined) continue;
    try {
      return verifySignatures(type, data, signatures, keys, options.engine);
    } catch (e) {
      if (!(e instanceof OstreeError)) throw e;
      firstError ??= e;
      invalid++;
    }
  }
  if (firstError === undefined) throw new OstreeError('SIGNATURE_MISSING', 'No signatures found');
  if (invalid > 1) {
    throw new OstreeError(firstError.code, `(${invalid - 1} other invalid signatures): ${firstError.message}`, { cause: firstError });
  }
  throw firstError;
}

function asMetadata(detached: Uint8Array | Metadata, what: string): Metadata {
  if (!(detached instanceof Uint8Array)) return detached;
  try {
    return decodeMetadata(detached, { strict: false }, what);
  } catch (cause) {
    throw new OstreeError('SIGNATURE_INVALID', `${what}: not a valid a{sv}`, { cause });
  }
}

/**
 * Verifies a commit's signatures: `commitBytes` is the commit object exactly as stored or
 * fetched, `detachedMetadata` its `.commitmeta` (bytes or decoded).
 *
 * @example
 * ```ts
 * const keys = { ed25519: loadVerificationKeys({ key: remote['verification-ed25519-key'] }) };
 * const ok = verifyCommitSignature(commitBytes, commitmetaBytes, keys); // throws if not signed
 * ```
 * @throws {OstreeError} SIGNATURE_MISSING when there is no detached metadata or no signature
 *   of an accepted type; SIGNATURE_INVALID when none verifies
 */
export function verifyCommitSignature(
  commitBytes: Uint8Array,
  detachedMetadata: Uint8Array | Metadata | undefined,
  keys: TrustedKeys,
  options: VerifyOptions = {},
): VerifiedSignature {
  if (detachedMetadata === undefined) throw new OstreeError('SIGNATURE_MISSING', "Can't verify commit without detached metadata");
  // No "Can't verify commit" prefix here: callers add it with the checksum, as ostree's pull does.
  return verifyDetachedSignatures(commitBytes, asMetadata(detachedMetadata, 'commitmeta'), keys, options);
}

/**
 * Verifies `summary.sig` (bytes or decoded) over the exact `summary` file bytes.
 * @throws {OstreeError} SIGNATURE_MISSING when `summary.sig` is absent or has no signature
 *   of an accepted type; SIGNATURE_INVALID when none verifies
 */
export function verifySummarySignature(
  summaryBytes: Uint8Array,
  summarySig: Uint8Array | Metadata | undefined,
  keys: TrustedKeys,
  options: VerifyOptions = {},
): VerifiedSignature {
  if (summarySig === undefined) throw new OstreeError('SIGNATURE_MISSING', 'No summary signatures found (summary.sig is missing)');
  return verifyDetachedSignatures(summaryBytes, asMetadata(summarySig, 'summary.sig'), keys, options);
}
