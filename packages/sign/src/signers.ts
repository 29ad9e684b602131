/**
 * Signature types and the signers that make their signatures (ostree's `OstreeSign` engines).
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { defaultEd25519 } from './ed25519/default.js';
import type { Ed25519 } from './ed25519/engine.js';
import { parseEd25519SecretKey, type Ed25519SecretKey } from './keys.js';

/** The signature types ostree 2022.7 knows, in the order ostree tries them. */
export const SIGN_TYPES = ['ed25519', 'dummy'] as const;

/** A signature type: `ed25519`, or `dummy` (ostree's test signer, whose signature is its key text). */
export type SignType = (typeof SIGN_TYPES)[number];

/** True for a type name ostree-ts can sign and verify. */
export function isSignType(name: string): name is SignType {
  return (SIGN_TYPES as readonly string[]).includes(name);
}

/**
 * The type named `name`.
 * @throws {OstreeError} UNSUPPORTED with ostree's message otherwise
 */
export function parseSignType(name: string): SignType {
  if (!isSignType(name)) throw new OstreeError('UNSUPPORTED', 'Requested signature type is not implemented');
  return name;
}

/** The detached-metadata key holding a type's signatures (`ostree.sign.ed25519`). */
export function signatureMetadataKey(type: SignType): string {
  return `ostree.sign.${type}`;
}

/** GVariant type of every signature array: one `ay` per signature. */
export const SIGNATURES_TYPE = 'aay';

/** Something that signs bytes with one key. */
export interface Signer {
  /** The signature type it makes. */
  readonly type: SignType;
  /** The signature of `data`. */
  sign(data: Uint8Array): Uint8Array;
}

/** A signer for an ed25519 secret key (base64 text as `ostree sign` takes it, the 64 bytes, or parsed). */
export function ed25519Signer(secretKey: string | Uint8Array | Ed25519SecretKey, engine: Ed25519 = defaultEd25519()): Signer {
  const key = typeof secretKey === 'string' || secretKey instanceof Uint8Array ? parseEd25519SecretKey(secretKey, engine) : secretKey;
  return { type: 'ed25519', sign: (data) => engine.sign(data, key.seed) };
}

const encoder = new TextEncoder();

/**
 * ostree's `dummy` signer: the "signature" is the key text itself. For byte-layout tests
 * only; ostree refuses it unless `OSTREE_DUMMY_SIGN_ENABLED=1`, a check left to the caller.
 */
export function dummySigner(key: string): Signer {
  const bytes = encoder.encode(key);
  return { type: 'dummy', sign: () => bytes.slice() };
}

/** A signer of `type` for a key given as text (as on ostree's command line). */
export function createSigner(type: SignType, key: string, engine?: Ed25519): Signer {
  return type === 'ed25519' ? ed25519Signer(key, engine) : dummySigner(key);
}
