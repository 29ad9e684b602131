/**
 * bsdiff and bspatch in the raw stream format ostree uses inside static-delta parts; the diff side is our own C compiled to WebAssembly
 * @module
 */
export {};
