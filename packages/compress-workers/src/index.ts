/**
 * Exact (ostree-identical) raw deflate on a pool of Node worker threads, for writing archive
 * repositories with every core. Node only.
 * @module
 */
export { createDeflatePool, type DeflatePool, type DeflatePoolOptions, type AsyncByteTransform } from './pool.js';
