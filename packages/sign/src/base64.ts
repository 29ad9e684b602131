/**
 * Base64 as GLib's `g_base64_decode` reads it, which is how ostree reads every key.
 * @module
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const NOT_BASE64 = 0xff;
const RANK = new Uint8Array(256).fill(NOT_BASE64);
for (let i = 0; i < ALPHABET.length; i++) RANK[ALPHABET.charCodeAt(i)] = i;
// '=' counts as a digit of value 0; it only decides how many bytes a group yields.
RANK['='.charCodeAt(0)] = 0;

const encoder = new TextEncoder();

/**
 * Decodes base64 with GLib's leniency: characters outside the alphabet (spaces, `\r`, `-`…)
 * are skipped, `=` marks bytes to drop from its group of four, and a trailing incomplete
 * group is ignored. ostree checks only the decoded length, so this decides which key texts
 * it accepts.
 */
export function decodeBase64Lenient(text: string): Uint8Array {
  const input = encoder.encode(text);
  const out = new Uint8Array(Math.floor((input.length * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let digits = 0;
  let last = 0; // the most recent digit character
  let previous = 0; // the one before it
  for (const c of input) {
    const rank = RANK[c]!;
    if (rank === NOT_BASE64) continue;
    previous = last;
    last = c;
    acc = ((acc << 6) | rank) & 0xffffff;
    if (++digits === 4) {
      out[n++] = acc >> 16;
      if (previous !== 0x3d) out[n++] = (acc >> 8) & 0xff;
      if (last !== 0x3d) out[n++] = acc & 0xff;
      digits = 0;
      acc = 0;
    }
  }
  return out.slice(0, n);
}

/** Standard base64 with padding, as `g_base64_encode` writes it. */
export function encodeBase64(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    s += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + '=';
  }
  return s;
}
