// Re-exports for tests: the package API plus core's metadata decoder.
export * from '../src/index.js';
export { decodeMetadata } from '@ostree-ts/core';
