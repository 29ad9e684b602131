/**
 * bsdiff and bspatch in the raw stream format ostree uses inside static-delta parts (the bare
 * mendsley/bsdiff stream: 24-byte sign-magnitude little-endian control triples, each followed by
 * its diff and extra bytes; no header, no compression). bspatch is plain TypeScript; bsdiff is
 * this package's own C compiled to WebAssembly.
 * @module
 */
export { BsdiffError, isBsdiffError, type BsdiffErrorCode } from './errors.js';
export { bspatch } from './bspatch.js';
export { bspatchStream, oldFileFromBytes, DEFAULT_CHUNK_SIZE, type OldFile, type BspatchStreamOptions } from './bspatch-stream.js';
export type { PatchSource } from './byte-reader.js';
export { CONTROL_SIZE, MAX_SEGMENT_LENGTH, encodeControl, readControl, type ControlTriple } from './control.js';
export { bsdiff, bsdiffSync, bsdiffMeasured, MAX_BSDIFF_INPUT, type BsdiffMeasured } from './bsdiff.js';
