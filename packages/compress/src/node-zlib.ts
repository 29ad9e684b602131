/**
 * Run-time access to node:zlib without a static `node:*` import, so the package bundles for
 * browsers unchanged. Each capability is checked once by a tiny self-test before it is trusted;
 * a runtime whose node:zlib emulation behaves differently simply falls back to pako.
 * @module
 * @internal
 */

/** The slice of the node:zlib API this package uses. */
export interface NodeZlib {
  deflateRawSync(data: Uint8Array, options?: Record<string, unknown>): Uint8Array;
  inflateRawSync(data: Uint8Array, options?: Record<string, unknown>): unknown;
  constants: { Z_SYNC_FLUSH: number; Z_FINISH: number };
}

interface ProcessWithBuiltins {
  getBuiltinModule?: (id: string) => unknown;
}

function loadNodeZlib(): NodeZlib | undefined {
  const proc = (globalThis as { process?: ProcessWithBuiltins }).process;
  try {
    const z = proc?.getBuiltinModule?.('node:zlib') as Partial<NodeZlib> | undefined;
    if (
      z &&
      typeof z.deflateRawSync === 'function' &&
      typeof z.inflateRawSync === 'function' &&
      typeof z.constants?.Z_SYNC_FLUSH === 'number'
    ) {
      return z as NodeZlib;
    }
  } catch {
    // not Node, or getBuiltinModule refused: use pako
  }
  return undefined;
}

/** The result of `inflateRawSync(data, { info: true })`. */
export interface InflateInfo {
  buffer: Uint8Array;
  engine: { bytesWritten: number };
}

/** `true` for the error node:zlib throws when `maxOutputLength` is exceeded. */
export function isNodeTooLarge(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/** `true` for the errors node:zlib throws on bad or truncated compressed data. */
export function isNodeDataError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

const STORED_20 = (): Uint8Array => {
  // A final stored block holding 20 bytes 0..19, followed by one byte of trailing garbage.
  const b = new Uint8Array(5 + 20 + 1);
  b.set([0x01, 20, 0, 0xeb, 0xff]);
  for (let i = 0; i < 20; i++) b[5 + i] = i;
  b[25] = 0xaa;
  return b;
};

function inflateWorks(z: NodeZlib): boolean {
  try {
    const input = STORED_20();
    const r = z.inflateRawSync(input, { info: true }) as InflateInfo;
    if (r.buffer.length !== 20 || r.buffer[19] !== 19 || r.engine.bytesWritten !== 25) return false;
    try {
      z.inflateRawSync(input.subarray(0, 25), { maxOutputLength: 10 });
      return false;
    } catch (e) {
      if (!isNodeTooLarge(e)) return false;
    }
    try {
      z.inflateRawSync(input.subarray(0, 24));
      return false;
    } catch (e) {
      return isNodeDataError(e);
    }
  } catch {
    return false;
  }
}

function deflateWorks(z: NodeZlib): boolean {
  try {
    // Two blocks, the second primed with the first as dictionary, must decode as one stream.
    const a = new TextEncoder().encode('ostree-ts '.repeat(20));
    const p1 = z.deflateRawSync(a, { level: 6, finishFlush: z.constants.Z_SYNC_FLUSH });
    const p2 = z.deflateRawSync(a, { level: 6, dictionary: a, finishFlush: z.constants.Z_FINISH });
    const both = new Uint8Array(p1.length + p2.length);
    both.set(p1);
    both.set(p2, p1.length);
    const out = (z.inflateRawSync(both, { info: true }) as InflateInfo).buffer;
    // The second block must actually have used the dictionary (a pure back-reference).
    return out.length === 2 * a.length && out.every((v, i) => v === a[i % a.length]) && p2.length < 10;
  } catch {
    return false;
  }
}

let probed = false;
let inflateZlib: NodeZlib | undefined;
let deflateZlib: NodeZlib | undefined;

function probe(): void {
  if (probed) return;
  probed = true;
  const z = loadNodeZlib();
  if (!z) return;
  if (inflateWorks(z)) inflateZlib = z;
  if (deflateWorks(z)) deflateZlib = z;
}

/** node:zlib for inflating, if present and behaving as expected. */
export function nodeInflater(): NodeZlib | undefined {
  probe();
  return inflateZlib;
}

/** node:zlib for fast deflating, if present and behaving as expected. */
export function nodeDeflater(): NodeZlib | undefined {
  probe();
  return deflateZlib;
}

/**
 * A plain `Uint8Array` for a node Buffer. A Buffer covering its whole ArrayBuffer is re-wrapped
 * without copying; a slice of a larger (pooled or chunk) allocation is copied, so callers never
 * reach unrelated memory through `.buffer`.
 */
export function toPlain(buf: Uint8Array): Uint8Array {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) {
    return new Uint8Array(buf.buffer, 0, buf.byteLength);
  }
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return copy;
}
