/**
 * ostree's name grammar with ostree's error messages: refspecs (`[REMOTE:]REF`), ref names,
 * remote names and collection IDs.
 * @module
 */
import { isValidRef, isValidRemoteName } from '@ostree-ts/core';
import { CliError } from './errors.js';

/** A parsed `[REMOTE:]REF`. */
export interface ParsedRefspec {
  readonly remote: string | undefined;
  readonly ref: string;
}

/**
 * Splits a refspec (ostree_parse_refspec).
 * @throws {CliError} `Invalid refspec X`
 */
export function parseRefspec(refspec: string): ParsedRefspec {
  const colon = refspec.indexOf(':');
  const remote = colon < 0 ? undefined : refspec.slice(0, colon);
  const ref = colon < 0 ? refspec : refspec.slice(colon + 1);
  if ((remote !== undefined && !isValidRemoteName(remote)) || !isValidRef(ref)) throw new CliError(`Invalid refspec ${refspec}`);
  return { remote, ref };
}

/** Formats a refspec back. */
export function formatRefspec(s: ParsedRefspec): string {
  return s.remote === undefined ? s.ref : `${s.remote}:${s.ref}`;
}

/** ostree_validate_rev. @throws {CliError} `Invalid ref name X` */
export function validateRefName(ref: string): void {
  if (!isValidRef(ref)) throw new CliError(`Invalid ref name ${ref}`);
}

/** ostree_validate_remote_name. @throws {CliError} `Invalid remote name X` */
export function validateRemoteName(name: string): void {
  if (!isValidRemoteName(name)) throw new CliError(`Invalid remote name ${name}`);
}

/** True if `s` is one ref path component (what ostree accepts as a name under refs/). */
export function isValidRefFragment(s: string): boolean {
  return /^[A-Za-z0-9_][-._A-Za-z0-9]*$/.test(s);
}

/**
 * ostree_validate_collection_id: the D-Bus interface-name grammar (two or more dot-separated
 * elements of `[A-Za-z_][A-Za-z0-9_]*`, at most 255 bytes).
 * @throws {CliError} `Invalid collection ID X`
 */
export function validateCollectionId(id: string): void {
  const ok = id.length <= 255 && /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(id);
  if (!ok) throw new CliError(`Invalid collection ID ${id}`);
}

/**
 * ostree_validate_checksum_string for a user-supplied checksum (`--parent`).
 * @throws {CliError} ostree's `Invalid rev …` messages
 */
export function validateChecksumArgument(checksum: string): void {
  const bytes = new TextEncoder().encode(checksum);
  if (bytes.length !== 64) {
    throw new CliError(`Invalid rev ${quashForError(checksum, 64)}`);
  }
  for (const c of bytes) {
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) throw new CliError(`Invalid character '${c}' in rev '${checksum}'`);
  }
}

// quash_string_for_error_message: at most `max` bytes, made valid UTF-8, newlines to spaces.
function quashForError(s: string, max: number): string {
  const bytes = new TextEncoder().encode(s).subarray(0, max);
  return new TextDecoder().decode(bytes).replaceAll('\n', ' ');
}
