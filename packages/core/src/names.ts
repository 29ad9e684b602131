/**
 * ostree's naming rules: refs, remote names, refspecs, and file names inside trees.
 * @module
 */
import { OstreeError } from './errors.js';

// One ref component: starts with a letter, digit or underscore, then also `-` and `.`.
// (ostree uses GRegex `\w`, which is ASCII-only without the UCP flag.)
const FRAGMENT = '[A-Za-z0-9_][-._A-Za-z0-9]*';
const REF_RE = new RegExp(`^(?:${FRAGMENT}/)*${FRAGMENT}$`);
const REMOTE_RE = new RegExp(`^${FRAGMENT}$`);

/** True if `ref` is a valid ref name (components joined by `/`). */
export function isValidRef(ref: string): boolean {
  return REF_RE.test(ref);
}

/**
 * Asserts `ref` is a valid ref name.
 * @throws {OstreeError} INVALID_REF otherwise
 */
export function assertValidRef(ref: string): void {
  if (!isValidRef(ref)) throw new OstreeError('INVALID_REF', `Invalid ref name ${ref}`);
}

/** True if `name` is a valid remote name (a single ref component). */
export function isValidRemoteName(name: string): boolean {
  return REMOTE_RE.test(name);
}

/**
 * Asserts `name` is a valid remote name.
 * @throws {OstreeError} INVALID_REF otherwise
 */
export function assertValidRemoteName(name: string): void {
  if (!isValidRemoteName(name)) throw new OstreeError('INVALID_REF', `Invalid remote name ${name}`);
}

/** A refspec split into its optional remote and its ref. */
export interface Refspec {
  /** The remote, or `undefined` for a local ref. */
  readonly remote: string | undefined;
  /** The ref name. */
  readonly ref: string;
}

/**
 * Splits `[remote:]ref` as ostree does (at the first `:`), validating both parts.
 * @throws {OstreeError} INVALID_REF when either part is invalid
 */
export function parseRefspec(refspec: string): Refspec {
  const colon = refspec.indexOf(':');
  const remote = colon < 0 ? undefined : refspec.slice(0, colon);
  const ref = colon < 0 ? refspec : refspec.slice(colon + 1);
  if (remote !== undefined) assertValidRemoteName(remote);
  assertValidRef(ref);
  return { remote, ref };
}

/** Formats a refspec back to `[remote:]ref`. */
export function formatRefspec({ remote, ref }: Refspec): string {
  return remote === undefined ? ref : `${remote}:${ref}`;
}

/**
 * Why `name` cannot be a tree entry name, or `undefined` if it can. Empty names, `.`, `..`
 * and names with `/` would let a hostile tree escape its checkout; NUL cannot be stored.
 */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty file name';
  if (name === '.' || name === '..') return `invalid file name ${JSON.stringify(name)}`;
  if (name.includes('/')) return `invalid / in file name ${JSON.stringify(name)}`;
  if (name.includes('\0')) return `invalid NUL in file name ${JSON.stringify(name)}`;
  return undefined;
}

/**
 * Asserts `name` is valid as a single entry of a dirtree.
 * @throws {OstreeError} INVALID_FILENAME otherwise
 */
export function assertValidFileName(name: string): void {
  const problem = fileNameProblem(name);
  if (problem !== undefined) throw new OstreeError('INVALID_FILENAME', problem);
}
