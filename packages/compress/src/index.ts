/**
 * Raw deflate as ostree writes it into archive-mode `.filez` objects, and fast, bounded inflate.
 *
 * - {@link deflateRaw} / {@link createRawDeflate}: byte-identical to ostree by default
 *   (`exact`), or fastest available (`exact: false`, node:zlib on Node).
 * - {@link inflateRaw} / {@link createRawInflate}: node:zlib on Node, pako elsewhere; strict
 *   (no trailing bytes, no truncation) with an output cap against deflate bombs.
 * - {@link archiveZlibLevel}: the level ostree derives from `[archive] zlib-level`.
 *
 * No static `node:*` imports: node:zlib is looked up at run time with
 * `process.getBuiltinModule`, so the package runs unchanged in browsers (on pako).
 * @module
 */
import { nodeDeflater, nodeInflater } from './node-zlib.js';

export { CompressError, isCompressError, type CompressErrorCode } from './errors.js';
export { DEFAULT_ZLIB_LEVEL, archiveZlibLevel } from './level.js';
export { type ByteTransform } from './transform.js';
export { deflateRaw, createRawDeflate, type DeflateOptions } from './deflate.js';
export { inflateRaw, createRawInflate, type InflateOptions } from './inflate.js';

/** An implementation this package can run on. */
export type Backend = 'node:zlib' | 'pako';

/** Which implementation each operation uses in this runtime (see {@link activeBackends}). */
export interface ActiveBackends {
  /** Always `'pako'` (classic zlib hash): the only encoder that reproduces ostree's bytes. */
  exactDeflate: 'pako';
  /** `exact: false` deflate: node:zlib when available, else pako (faster hash). */
  fastDeflate: Backend;
  /**
   * Inflate: node:zlib when available (streams longer than 64 KiB compressed are inflated
   * incrementally by pako in {@link createRawInflate}), else pako.
   */
  inflate: Backend;
}

/**
 * Reports the implementations chosen in this runtime. node:zlib is used only if
 * `process.getBuiltinModule('node:zlib')` exists (Node ≥ 20.16) and passes a small self-test.
 */
export function activeBackends(): ActiveBackends {
  return {
    exactDeflate: 'pako',
    fastDeflate: nodeDeflater() ? 'node:zlib' : 'pako',
    inflate: nodeInflater() ? 'node:zlib' : 'pako',
  };
}
