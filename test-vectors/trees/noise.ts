// Deterministic incompressible bytes (xorshift32), for tests that need content no compressor or
// delta can shrink; shared by the delta and CLI suites.

/** `bytes` pseudo-random bytes from `seed` (seed 0 is taken as 1: xorshift's zero state stays zero). */
export function noise(bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
