/**
 * The portable ed25519 backend: @noble/ed25519 with @noble/hashes' SHA-512.
 * @module
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import type { Ed25519 } from './engine.js';

// The group order L.
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

let configured = false;

// noble needs a synchronous SHA-512 for its sync API; set it on first use, not at import.
function configure(): void {
  if (configured) return;
  if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = sha512;
  configured = true;
}

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * libsodium's (and OpenSSL's) cofactorless check: recompute R = [S]B − [k]A and compare its
 * encoding with the signature's R bytes. noble's own `verify` multiplies by the cofactor,
 * which accepts some crafted signatures that libsodium rejects.
 */
function verifyCofactorless(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const r = signature.subarray(0, 32);
  const s = littleEndianToBigInt(signature.subarray(32));
  if (s >= L) return false;
  let a: ed.Point;
  try {
    a = ed.Point.fromBytes(publicKey, false);
  } catch {
    return false; // not a point
  }
  const k = littleEndianToBigInt(sha512(ed.etc.concatBytes(r, publicKey, message))) % L;
  // [S]B through noble's precomputed base table (safe = false also accepts S = 0).
  const expectedR = ed.Point.BASE.multiply(s, false).subtract(a.multiplyUnsafe(k));
  return equalBytes(expectedR.toBytes(), r);
}

/** ed25519 in pure JavaScript (any runtime). */
export function nobleEd25519(): Ed25519 {
  configure();
  return {
    name: 'noble',
    publicKey: (seed) => ed.getPublicKey(seed),
    sign: (message, seed) => ed.sign(message, seed),
    verify: verifyCofactorless,
  };
}
