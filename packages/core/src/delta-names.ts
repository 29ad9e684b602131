/**
 * Static-delta naming (spec §5.1): "modified base64" of checksums (`/` becomes `_`, `+` stays,
 * no `=` padding), delta directory paths, and the hex delta names used in summaries.
 * @module
 */
import { checksumFromBytes, checksumToBytes } from './checksum.js';
import { OstreeError } from './errors.js';

/** Modified base64 of a checksum string (43 characters). */
export function checksumToModifiedBase64(checksum: string): string {
  const bytes = checksumToBytes(checksum);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, '').replace(/\//g, '_');
}

const MB64_RE = /^[A-Za-z0-9+_]{43}$/;

/**
 * The checksum string encoded by a modified-base64 name.
 * @throws {OstreeError} INVALID_CHECKSUM when `name` is not 43 modified-base64 characters
 */
export function checksumFromModifiedBase64(name: string): string {
  if (!MB64_RE.test(name)) throw new OstreeError('INVALID_CHECKSUM', `invalid modified base64 checksum: ${name}`);
  const binary = atob(name.replace(/_/g, '/') + '=');
  const bytes = Uint8Array.from(binary, (c: string) => c.charCodeAt(0));
  const hex = checksumFromBytes(bytes);
  // Reject non-canonical encodings (stray low bits in the last character).
  if (checksumToModifiedBase64(hex) !== name) {
    throw new OstreeError('INVALID_CHECKSUM', `non-canonical modified base64 checksum: ${name}`);
  }
  return hex;
}

/**
 * Directory of a delta relative to the repo root: `deltas/XX/REST-TO` for from→to,
 * `deltas/XX/REST` for a scratch delta (from nothing).
 */
export function deltaDirectory(from: string | undefined, to: string): string {
  const b64To = checksumToModifiedBase64(to);
  if (from === undefined) return `deltas/${b64To.slice(0, 2)}/${b64To.slice(2)}`;
  const b64From = checksumToModifiedBase64(from);
  return `deltas/${b64From.slice(0, 2)}/${b64From.slice(2)}-${b64To}`;
}

/** Path of the delta index for commit `to`: `delta-indexes/XX/REST.index`. */
export function deltaIndexPath(to: string): string {
  const b64 = checksumToModifiedBase64(to);
  return `delta-indexes/${b64.slice(0, 2)}/${b64.slice(2)}.index`;
}

/** A delta's endpoints. */
export interface DeltaName {
  readonly from: string | undefined;
  readonly to: string;
}

/** The delta's name as ostree prints and indexes it: `FROM-TO` hex, or `TO` for scratch. */
export function formatDeltaName({ from, to }: DeltaName): string {
  return from === undefined ? to : `${from}-${to}`;
}

/**
 * Parses `FROM-TO` or `TO` (hex).
 * @throws {OstreeError} INVALID_CHECKSUM when either part is not a checksum
 */
export function parseDeltaName(name: string): DeltaName {
  const dash = name.indexOf('-');
  const from = dash < 0 ? undefined : name.slice(0, dash);
  const to = dash < 0 ? name : name.slice(dash + 1);
  if (from !== undefined) checksumToBytes(from);
  checksumToBytes(to);
  return { from, to };
}

/**
 * Parses a delta directory's two path components under `deltas/` back into its endpoints.
 * @param prefix - the two-character directory
 * @param rest - the directory name below it
 * @throws {OstreeError} INVALID_CHECKSUM when they do not name a delta
 */
export function parseDeltaDirectory(prefix: string, rest: string): DeltaName {
  const full = prefix + rest;
  if (full.length === 43) return { from: undefined, to: checksumFromModifiedBase64(full) };
  if (full.length === 87 && full[43] === '-') {
    return { from: checksumFromModifiedBase64(full.slice(0, 43)), to: checksumFromModifiedBase64(full.slice(44)) };
  }
  throw new OstreeError('INVALID_CHECKSUM', `not a delta directory: ${prefix}/${rest}`);
}
