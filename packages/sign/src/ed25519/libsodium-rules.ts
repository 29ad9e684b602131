/**
 * The input checks libsodium's `crypto_sign_verify_detached` makes before the curve
 * equation, so every backend accepts exactly the signatures ostree (built on libsodium)
 * accepts.
 * @module
 */
import type { Ed25519 } from './engine.js';
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES } from './engine.js';

// The group order L, little-endian.
const L_BYTES = hexBytes('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
// 2^255 − 19, little-endian.
const P_BYTES = hexBytes('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');

/**
 * y-coordinates (sign bit cleared) of the points of order 1, 2, 4 and 8, and the two
 * non-canonical encodings p and p+1 of y = 0 and y = 1. A key or an R with one of these
 * has small order and is refused.
 */
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map(hexBytes);

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Compares little-endian numbers of equal length: a < b. */
function lessThan(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = a.length - 1; i >= 0; i--) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]!;
  }
  return false;
}

function hasSmallOrder(encoded: Uint8Array): boolean {
  return SMALL_ORDER.some((bad) => {
    for (let i = 0; i < 31; i++) if (encoded[i] !== bad[i]) return false;
    return (encoded[31]! & 0x7f) === bad[31];
  });
}

function isCanonicalPoint(encoded: Uint8Array): boolean {
  const y = encoded.slice();
  y[31]! &= 0x7f;
  return lessThan(y, P_BYTES);
}

/** libsodium's `crypto_sign_verify_detached`: its encoding checks, then the backend's equation. */
export function verifyLikeLibsodium(engine: Ed25519, signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
  if (!lessThan(signature.subarray(32), L_BYTES)) return false;
  if (hasSmallOrder(signature.subarray(0, 32))) return false;
  if (!isCanonicalPoint(publicKey) || hasSmallOrder(publicKey)) return false;
  return engine.verify(signature, message, publicKey);
}

/** The blocklist, for tests (not exported from the package). */
export const SMALL_ORDER_ENCODINGS_FOR_TESTS: readonly Uint8Array[] = SMALL_ORDER;
