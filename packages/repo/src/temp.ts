/**
 * Temporary files under the repo's `tmp/`. Every object and ref is written under a temporary
 * name first and renamed into place, so a crash never leaves a half-written file under its
 * final name.
 * @module
 */
import { joinPath } from './path.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Six random characters, as in mkstemp's XXXXXX. */
export function randomSuffix(length = 12): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Prefix of ostree-ts temporary files, so cleanup never touches ostree's own. */
export const TEMP_PREFIX = 'ostree-ts-';

/** A fresh temporary path inside `tmpDir`. */
export function tempPath(tmpDir: string, tag: string): string {
  return joinPath(tmpDir, `${TEMP_PREFIX}${tag}-${randomSuffix()}`);
}
