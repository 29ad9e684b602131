/**
 * Bytewise (strcmp) ordering of UTF-8 strings, which ostree uses to sort dirtree entries,
 * summary refs and xattrs. JavaScript's `<` compares UTF-16 code units, which disagrees with
 * UTF-8 byte order for characters above U+FFFF; code-point order agrees with it.
 * @module
 */

/** Compares two strings in the order of their UTF-8 bytes: negative, zero or positive. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // Only surrogates (U+D800–DFFF) sort differently in UTF-16; compare whole code points then.
    if ((ca & 0xf800) === 0xd800 || (cb & 0xf800) === 0xd800) {
      return a.codePointAt(i)! - b.codePointAt(i)!;
    }
    return ca - cb;
  }
  return a.length - b.length;
}

/** Compares two byte strings as C `memcmp` then length would (strcmp for NUL-free data). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
