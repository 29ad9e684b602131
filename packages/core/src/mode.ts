/**
 * POSIX file-type bits and ostree's rules for the modes it stores.
 * @module
 */
import { OstreeError } from './errors.js';

/** Mask of the file-type bits of st_mode. */
export const S_IFMT = 0o170000;
/** Regular file. */
export const S_IFREG = 0o100000;
/** Directory. */
export const S_IFDIR = 0o040000;
/** Symbolic link. */
export const S_IFLNK = 0o120000;
/** Permission bits plus setuid, setgid and sticky. */
export const PERMISSION_BITS = 0o7777;

/** True if `mode` describes a regular file. */
export const isRegularMode = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
/** True if `mode` describes a directory. */
export const isDirectoryMode = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
/** True if `mode` describes a symbolic link. */
export const isSymlinkMode = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;

const hasOnlyKnownBits = (mode: number): boolean => (mode & ~(S_IFMT | PERMISSION_BITS)) === 0;

/**
 * Asserts `mode` is valid for a content object: a regular file or symlink with no stray bits.
 * @throws {OstreeError} INVALID_MODE otherwise
 */
export function assertFileMode(mode: number): void {
  if (!hasOnlyKnownBits(mode) || !(isRegularMode(mode) || isSymlinkMode(mode))) {
    throw new OstreeError('INVALID_MODE', `invalid file mode 0${mode.toString(8)}`);
  }
}

/**
 * Asserts `mode` is valid for a dirmeta: a directory with no stray bits.
 * @throws {OstreeError} INVALID_MODE otherwise
 */
export function assertDirectoryMode(mode: number): void {
  if (!hasOnlyKnownBits(mode) || !isDirectoryMode(mode)) {
    throw new OstreeError('INVALID_MODE', `invalid directory mode 0${mode.toString(8)}`);
  }
}
