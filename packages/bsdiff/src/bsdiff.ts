/**
 * bsdiff: this package's own C (native/), compiled to WebAssembly and embedded as base64.
 * @module
 */

import { BSDIFF_WASM_BASE64 } from './bsdiff-wasm.generated.js';
import { BsdiffError } from './errors.js';

/** Largest old or new input: positions are int32 inside the module. */
export const MAX_BSDIFF_INPUT = 0x7fffffff;

/** After a run whose heap went above this, the instance is dropped so its memory can be freed. */
const KEEP_INSTANCE_BELOW_BYTES = 64 * 1024 * 1024;

interface BsdiffExports {
  readonly memory: WebAssembly.Memory;
  bsdiff_reset(): void;
  bsdiff_alloc(size: number): number;
  bsdiff_run(oldAt: number, oldSize: number, newAt: number, newSize: number): number;
  bsdiff_patch_size(): number;
  bsdiff_heap_peak(): number;
  bsdiff_suffix_array(textAt: number, size: number): number;
}

/** A patch and what making it cost. */
export interface BsdiffMeasured {
  /** The raw bsdiff stream. */
  readonly patch: Uint8Array;
  /** Peak bytes of WebAssembly linear memory used by the run (inputs, suffix array, work arrays, patch). */
  readonly peakHeapBytes: number;
  /** Size of the module's linear memory after the run (the heap peak plus growth slack and ~64 KiB of stack and data). */
  readonly memoryBytes: number;
}

let compiled: WebAssembly.Module | undefined;
let instance: BsdiffExports | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const binary = atob(BSDIFF_WASM_BASE64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function instanceSync(): BsdiffExports {
  compiled ??= new WebAssembly.Module(wasmBytes());
  instance ??= new WebAssembly.Instance(compiled, {}).exports as unknown as BsdiffExports;
  return instance;
}

async function instanceAsync(): Promise<BsdiffExports> {
  compiled ??= await WebAssembly.compile(wasmBytes());
  instance ??= (await WebAssembly.instantiate(compiled, {})).exports as unknown as BsdiffExports;
  return instance;
}

function checkInputs(oldBytes: Uint8Array, newBytes: Uint8Array): void {
  if (!(oldBytes instanceof Uint8Array) || !(newBytes instanceof Uint8Array)) {
    throw new BsdiffError('INVALID_ARGUMENT', 'old and new must be Uint8Arrays');
  }
  if (oldBytes.length > MAX_BSDIFF_INPUT || newBytes.length > MAX_BSDIFF_INPUT) {
    throw new BsdiffError('INPUT_TOO_LARGE', `bsdiff inputs are limited to ${MAX_BSDIFF_INPUT} bytes each`);
  }
}

function run(wasm: BsdiffExports, oldBytes: Uint8Array, newBytes: Uint8Array): BsdiffMeasured {
  try {
    wasm.bsdiff_reset();
    const oldAt = wasm.bsdiff_alloc(oldBytes.length);
    const newAt = oldAt === 0 ? 0 : wasm.bsdiff_alloc(newBytes.length);
    if (newAt === 0) throw tooLarge(oldBytes, newBytes);
    // memory.buffer is replaced whenever memory grows: take it after the allocations.
    new Uint8Array(wasm.memory.buffer).set(oldBytes, oldAt);
    new Uint8Array(wasm.memory.buffer).set(newBytes, newAt);
    const patchAt = wasm.bsdiff_run(oldAt, oldBytes.length, newAt, newBytes.length);
    if (patchAt === 0) throw tooLarge(oldBytes, newBytes);
    const patch = new Uint8Array(wasm.memory.buffer, patchAt, wasm.bsdiff_patch_size()).slice();
    return { patch, peakHeapBytes: wasm.bsdiff_heap_peak(), memoryBytes: wasm.memory.buffer.byteLength };
  } finally {
    const peak = wasm.bsdiff_heap_peak();
    wasm.bsdiff_reset();
    if (peak > KEEP_INSTANCE_BELOW_BYTES && instance === wasm) instance = undefined;
  }
}

function tooLarge(oldBytes: Uint8Array, newBytes: Uint8Array): BsdiffError {
  return new BsdiffError(
    'INPUT_TOO_LARGE',
    `bsdiff of ${oldBytes.length} → ${newBytes.length} bytes needs more WebAssembly memory than can be had (about 6.2 × old + new + patch, at most 4 GiB)`,
  );
}

/**
 * Computes the raw bsdiff stream (ostree's static-delta `bspatch` payload) that turns `oldBytes`
 * into `newBytes`: `bspatch(oldBytes, patch, newBytes.length)` gives `newBytes` back.
 * Compiles and instantiates the module on first use (asynchronously, which browsers require for
 * modules off the main thread's size limit) and reuses it.
 *
 * Memory: about 6.2 × old + new + the patch at worst (typically 5.2 × old + new); see the README.
 *
 * @throws {@link BsdiffError} `INVALID_ARGUMENT` for non-`Uint8Array` inputs; `INPUT_TOO_LARGE`
 *   above {@link MAX_BSDIFF_INPUT} bytes or when WebAssembly memory cannot grow enough
 */
export async function bsdiff(oldBytes: Uint8Array, newBytes: Uint8Array): Promise<Uint8Array> {
  checkInputs(oldBytes, newBytes);
  return run(await instanceAsync(), oldBytes, newBytes).patch;
}

/** {@link bsdiff}, compiling the module synchronously (fine in Node and workers). */
export function bsdiffSync(oldBytes: Uint8Array, newBytes: Uint8Array): Uint8Array {
  checkInputs(oldBytes, newBytes);
  return run(instanceSync(), oldBytes, newBytes).patch;
}

/** {@link bsdiffSync} that also reports the peak WebAssembly memory of the run. */
export function bsdiffMeasured(oldBytes: Uint8Array, newBytes: Uint8Array): BsdiffMeasured {
  checkInputs(oldBytes, newBytes);
  return run(instanceSync(), oldBytes, newBytes);
}

/** The suffix array the module builds for `text` (SA-IS), exposed for tests. @internal */
export function suffixArrayForTesting(text: Uint8Array): Int32Array {
  const wasm = instanceSync();
  try {
    wasm.bsdiff_reset();
    const textAt = wasm.bsdiff_alloc(text.length);
    if (textAt === 0) throw tooLarge(text, text);
    new Uint8Array(wasm.memory.buffer).set(text, textAt);
    const saAt = wasm.bsdiff_suffix_array(textAt, text.length);
    if (saAt === 0) throw tooLarge(text, text);
    return new Int32Array(wasm.memory.buffer, saAt, text.length).slice();
  } finally {
    wasm.bsdiff_reset();
  }
}
