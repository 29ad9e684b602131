/**
 * ed25519 keys as ostree reads them: base64 text, a 64-byte libsodium secret key
 * (seed ‖ public key) to sign, 32-byte public keys to verify, key files with one base64 key
 * per line.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { decodeBase64Lenient, encodeBase64 } from './base64.js';
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SECRET_KEY_BYTES, ED25519_SEED_BYTES, type Ed25519 } from './ed25519/engine.js';
import { defaultEd25519 } from './ed25519/default.js';

/** A parsed signing key: the seed that signs and the public key that verifies. */
export interface Ed25519SecretKey {
  /** The 32-byte seed (first half of libsodium's secret key). */
  readonly seed: Uint8Array;
  /** The 32-byte public key (second half of libsodium's secret key). */
  readonly publicKey: Uint8Array;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Parses a secret key the way `ostree sign` takes it: base64 of libsodium's 64-byte secret
 * key, or those 64 bytes. libsodium signs with the public half as stored, so a key whose
 * halves do not belong together would make signatures nobody can verify: refused.
 * @throws {OstreeError} INVALID_ARGUMENT ("Incorrect ed25519 secret key", as ostree says)
 */
export function parseEd25519SecretKey(key: string | Uint8Array, engine: Ed25519 = defaultEd25519()): Ed25519SecretKey {
  const bytes = typeof key === 'string' ? decodeBase64Lenient(key) : key;
  if (bytes.length !== ED25519_SECRET_KEY_BYTES) throw new OstreeError('INVALID_ARGUMENT', 'Incorrect ed25519 secret key');
  const seed = bytes.slice(0, ED25519_SEED_BYTES);
  const publicKey = bytes.slice(ED25519_SEED_BYTES);
  if (!equalBytes(engine.publicKey(seed), publicKey)) {
    throw new OstreeError('INVALID_ARGUMENT', 'Incorrect ed25519 secret key: its public half does not match its seed');
  }
  return { seed, publicKey };
}

/**
 * Parses a public key: base64 of 32 bytes (GLib's lenient base64), or the 32 bytes.
 * @throws {OstreeError} INVALID_ARGUMENT ("Incorrect ed25519 public key", as ostree says)
 */
export function parseEd25519PublicKey(key: string | Uint8Array): Uint8Array {
  const bytes = typeof key === 'string' ? decodeBase64Lenient(key) : key;
  if (bytes.length !== ED25519_PUBLIC_KEY_BYTES) throw new OstreeError('INVALID_ARGUMENT', 'Incorrect ed25519 public key');
  return bytes.slice();
}

/** A libsodium secret key (seed ‖ public key) in the base64 text `ostree sign` takes. */
export function formatEd25519SecretKey(seed: Uint8Array, engine: Ed25519 = defaultEd25519()): string {
  if (seed.length !== ED25519_SEED_BYTES) throw new OstreeError('INVALID_ARGUMENT', 'an ed25519 seed is 32 bytes');
  const full = new Uint8Array(ED25519_SECRET_KEY_BYTES);
  full.set(seed);
  full.set(engine.publicKey(seed), ED25519_SEED_BYTES);
  return encodeBase64(full);
}

/** A public key in base64, as key files and `verification-ed25519-key=` hold it. */
export function formatEd25519PublicKey(publicKey: Uint8Array): string {
  return encodeBase64(publicKey);
}

/** A public key in lowercase hex, as ostree names keys in its messages. */
export function ed25519KeyHex(publicKey: Uint8Array): string {
  let s = '';
  for (const b of publicKey) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Lines of a key file as GDataInputStream reads them (`\n`, `\r\n` or `\r` end a line). */
export function keyFileLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The public keys of a key file (one base64 key per line). Like ostree, lines that are not
 * keys (blank lines, comments) are skipped, and a file without any key is an error.
 * @throws {OstreeError} INVALID_ARGUMENT when no line holds a key
 */
export function parseEd25519PublicKeyFile(text: string, name = 'key file'): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (const line of keyFileLines(text)) {
    const bytes = decodeBase64Lenient(line);
    if (bytes.length === ED25519_PUBLIC_KEY_BYTES) keys.push(bytes);
  }
  if (keys.length === 0) throw new OstreeError('INVALID_ARGUMENT', `signature: ed25519: no valid keys in file '${name}'`);
  return keys;
}

/** Keys trusted for verification, per signature type. */
export interface TrustedKeys {
  /** ed25519 public keys (32 bytes each). */
  readonly ed25519?: readonly Uint8Array[];
  /** ed25519 public keys that must never be accepted (`revoked.ed25519`). */
  readonly revokedEd25519?: readonly Uint8Array[];
  /**
   * The `dummy` test signer's key text. The caller decides whether dummy signatures count
   * at all (ostree requires `OSTREE_DUMMY_SIGN_ENABLED=1`); leave it unset otherwise.
   */
  readonly dummy?: string;
}

/** Sources of verification keys, as a remote configures them. */
export interface VerificationKeySources {
  /** `verification-ed25519-key=`: one base64 public key. */
  readonly key?: string;
  /** The contents of the file named by `verification-ed25519-file=`. */
  readonly file?: string;
  /** That file's name, for error messages. */
  readonly fileName?: string;
}

/**
 * ed25519 keys from a remote's `verification-ed25519-key=` and `verification-ed25519-file=`
 * (file keys first, then the inline key, duplicates dropped). Returns `[]` when neither is
 * set; ostree then falls back to the system trust store ({@link SYSTEM_KEY_DIRECTORIES}).
 * @throws {OstreeError} INVALID_CONFIG when the file has no key or the inline key is malformed
 */
export function loadVerificationKeys(sources: VerificationKeySources): Uint8Array[] {
  const keys: Uint8Array[] = [];
  const add = (key: Uint8Array): void => {
    if (!keys.some((k) => equalBytes(k, key))) keys.push(key);
  };
  if (sources.file !== undefined) {
    const name = sources.fileName ?? 'verification-ed25519-file';
    try {
      for (const key of parseEd25519PublicKeyFile(sources.file, name)) add(key);
    } catch (cause) {
      throw new OstreeError('INVALID_CONFIG', `Failed loading 'ed25519' keys from '${name}'`, { cause });
    }
  }
  if (sources.key !== undefined) {
    try {
      add(parseEd25519PublicKey(sources.key));
    } catch (cause) {
      throw new OstreeError('INVALID_CONFIG', "Failed loading 'ed25519' keys from inline `verification-key`", { cause });
    }
  }
  return keys;
}

/** Where ostree looks for trusted and revoked ed25519 keys when none are configured. */
export const SYSTEM_KEY_DIRECTORIES: readonly string[] = ['/etc/ostree', '/usr/share/ostree'];

/** Reads files for {@link loadSystemTrustedKeys}; an `Fs` from `@ostree-ts/io` fits with a small adapter. */
export interface KeyFileReader {
  /** The file's text, or undefined if it does not exist or is not a regular file. */
  readText(path: string): Promise<string | undefined>;
  /** The names in a directory, or undefined if it does not exist. */
  list(path: string): Promise<string[] | undefined>;
}

/**
 * ostree's system trust store: `trusted.ed25519` and `trusted.ed25519.d/*` under each base
 * directory (default {@link SYSTEM_KEY_DIRECTORIES}, or `--keys-dir`), and likewise
 * `revoked.ed25519[.d]`. Files without a key are skipped.
 */
export async function loadSystemTrustedKeys(reader: KeyFileReader, baseDirs: readonly string[] = SYSTEM_KEY_DIRECTORIES): Promise<TrustedKeys> {
  const collect = async (name: string): Promise<Uint8Array[]> => {
    const keys: Uint8Array[] = [];
    for (const base of baseDirs) {
      const files = [`${base}/${name}`];
      const dir = `${base}/${name}.d`;
      for (const entry of (await reader.list(dir)) ?? []) files.push(`${dir}/${entry}`);
      for (const file of files) {
        const text = await reader.readText(file);
        if (text === undefined) continue;
        for (const line of keyFileLines(text)) {
          const bytes = decodeBase64Lenient(line);
          if (bytes.length === ED25519_PUBLIC_KEY_BYTES && !keys.some((k) => equalBytes(k, bytes))) keys.push(bytes);
        }
      }
    }
    return keys;
  };
  return { ed25519: await collect('trusted.ed25519'), revokedEd25519: await collect('revoked.ed25519') };
}
