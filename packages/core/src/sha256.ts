/**
 * SHA-256 behind a small interface. On Node the default is node:crypto (12–18× faster than
 * pure JS on large buffers, measured in ../shared/toolchain.md §2); elsewhere @noble/hashes.
 * The node path is found at run time through `process.getBuiltinModule`, so this module
 * imports nothing Node-specific and bundles for browsers unchanged.
 * @module
 */
import { sha256 as nobleSha256Fn } from '@noble/hashes/sha2.js';

/** An incremental SHA-256 computation. */
export interface Sha256 {
  /** Feeds more bytes; returns itself for chaining. */
  update(data: Uint8Array): Sha256;
  /** The 32-byte digest. The hasher must not be used afterwards. */
  digest(): Uint8Array;
}

/** Makes a fresh {@link Sha256}. Inject one anywhere ostree-ts hashes. */
export type Sha256Factory = () => Sha256;

/** Portable SHA-256 (@noble/hashes); works in every JS runtime. */
export const nobleSha256: Sha256Factory = () => {
  const h = nobleSha256Fn.create();
  const self: Sha256 = {
    update(data) {
      h.update(data);
      return self;
    },
    digest: () => h.digest(),
  };
  return self;
};

interface NodeHash {
  update(data: Uint8Array): NodeHash;
  digest(): Uint8Array;
}
interface NodeCrypto {
  createHash(algorithm: 'sha256'): NodeHash;
}
interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

function loadNodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: ProcessWithBuiltins }).process;
  try {
    return proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
  } catch {
    return undefined;
  }
}

const nodeCrypto = loadNodeCrypto();

/** node:crypto SHA-256, or `undefined` outside Node (20.16+). */
export const nodeSha256: Sha256Factory | undefined = nodeCrypto
  ? () => {
      const h = nodeCrypto.createHash('sha256');
      const self: Sha256 = {
        update(data) {
          h.update(data);
          return self;
        },
        digest() {
          // A Buffer is a Uint8Array subclass; hand out a plain view so equality checks and
          // structured cloning behave the same in every runtime.
          const d = h.digest();
          return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
        },
      };
      return self;
    }
  : undefined;

/** The fastest SHA-256 available here: {@link nodeSha256} on Node, else {@link nobleSha256}. */
export const defaultSha256: Sha256Factory = nodeSha256 ?? nobleSha256;

/**
 * One-shot SHA-256.
 * @param data - the bytes to hash
 * @param factory - which implementation to use (default {@link defaultSha256})
 * @returns the 32-byte digest
 */
export function sha256(data: Uint8Array, factory: Sha256Factory = defaultSha256): Uint8Array {
  return factory().update(data).digest();
}
