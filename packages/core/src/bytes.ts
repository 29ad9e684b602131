/**
 * Byte-array helpers shared by the layers above.
 * @module
 */

/**
 * Joins chunks into one array. A single chunk is returned as it is (no copy), so callers whose
 * chunks live in reused buffers must copy them first.
 * @param chunks - the pieces, in order
 */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
