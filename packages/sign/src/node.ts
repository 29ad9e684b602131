/// <reference types="node" />
/**
 * The fast ed25519 backend on Node's built-in crypto (OpenSSL). Kept in its own entry point
 * (`@ostree-ts/sign/node`) so the main entry never imports `node:` modules.
 *
 * ```ts
 * import { setDefaultEd25519 } from '@ostree-ts/sign';
 * import { nodeEd25519 } from '@ostree-ts/sign/node';
 * setDefaultEd25519(nodeEd25519());
 * ```
 * @module
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Ed25519 } from './ed25519/engine.js';

// DER wrappers that turn raw ed25519 keys into what node:crypto accepts.
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A cache of parsed keys: verification loops over a few keys many times. */
class KeyCache<K> {
  private readonly map = new Map<string, K>();
  constructor(private readonly make: (raw: Uint8Array) => K) {}
  get(raw: Uint8Array): K {
    const id = hex(raw);
    let key = this.map.get(id);
    if (key === undefined) {
      if (this.map.size >= 64) this.map.clear();
      key = this.make(raw);
      this.map.set(id, key);
    }
    return key;
  }
}

/** ed25519 on node:crypto: about 9× faster to sign and 15× faster to verify than noble. */
export function nodeEd25519(): Ed25519 {
  const privateKeys = new KeyCache<KeyObject>((seed) => createPrivateKey({ key: Buffer.from(concat(PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' }));
  const publicKeys = new KeyCache<KeyObject | undefined>((raw) => {
    try {
      return createPublicKey({ key: Buffer.from(concat(SPKI_PREFIX, raw)), format: 'der', type: 'spki' });
    } catch {
      return undefined; // not a curve point
    }
  });
  return {
    name: 'node',
    publicKey(seed) {
      const der = createPublicKey(privateKeys.get(seed)).export({ format: 'der', type: 'spki' });
      return new Uint8Array(der.subarray(SPKI_PREFIX.length));
    },
    sign: (message, seed) => new Uint8Array(sign(null, message, privateKeys.get(seed))),
    verify(signature, message, publicKey) {
      const key = publicKeys.get(publicKey);
      if (key === undefined) return false;
      try {
        return verify(null, message, key, signature);
      } catch {
        return false;
      }
    },
  };
}
