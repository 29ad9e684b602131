/**
 * The ed25519 primitive behind one small interface, so the portable implementation
 * (@noble/ed25519) and Node's native one (node:crypto, via `@ostree-ts/sign/node`) are
 * interchangeable and tested with the same vectors.
 * @module
 */

/** Byte lengths, as libsodium names them. */
export const ED25519_SEED_BYTES = 32;
/** A public key is a compressed curve point. */
export const ED25519_PUBLIC_KEY_BYTES = 32;
/** libsodium's secret key: the 32-byte seed followed by the 32-byte public key. */
export const ED25519_SECRET_KEY_BYTES = 64;
/** A detached signature: R (32 bytes) then S (32 bytes). */
export const ED25519_SIGNATURE_BYTES = 64;

/**
 * An ed25519 implementation. Implementations are synchronous (both backends are) and must
 * produce RFC 8032 signatures, which are deterministic: every backend gives the same bytes.
 */
export interface Ed25519 {
  /** A short name for messages and benchmarks (`noble`, `node`). */
  readonly name: string;
  /** The public key of a 32-byte seed. */
  publicKey(seed: Uint8Array): Uint8Array;
  /** Signs `message` with the private key derived from the 32-byte `seed`. */
  sign(message: Uint8Array, seed: Uint8Array): Uint8Array;
  /**
   * Checks a 64-byte signature with a 32-byte public key. Backends differ on malformed
   * points; callers go through {@link verifyLikeLibsodium}, which adds libsodium's checks.
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}
