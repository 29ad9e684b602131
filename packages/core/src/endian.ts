/**
 * ostree stores most of its integers big-endian inside little-endian GVariants (spec §1.4);
 * these swap a value decoded in one order into the other.
 * @module
 */

/** Reverses the byte order of an unsigned 32-bit integer. */
export function bswap32(n: number): number {
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

/** Reverses the byte order of an unsigned 64-bit integer. */
export function bswap64(n: bigint): bigint {
  let out = 0n;
  for (let i = 0; i < 8; i++) {
    out = (out << 8n) | (n & 0xffn);
    n >>= 8n;
  }
  return out;
}
