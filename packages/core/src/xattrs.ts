/**
 * Extended attributes as ostree stores them: `a(ayay)` of (name with trailing NUL, value),
 * sorted by name with strcmp and without duplicates (spec §2.6).
 * @module
 */
import { OstreeError } from './errors.js';
import { compareBytes } from './utf8-order.js';

/** One extended attribute: the name as a NUL-terminated byte string, and the raw value. */
export type Xattr = readonly [name: Uint8Array, value: Uint8Array];

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Builds an {@link Xattr} from a JS string name (the trailing NUL is added here).
 * @param name - e.g. `user.foo`
 * @param value - raw value bytes, or a string stored as UTF-8 without terminator
 */
export function xattr(name: string, value: Uint8Array | string): Xattr {
  const n = encoder.encode(name + '\0');
  return [n, typeof value === 'string' ? encoder.encode(value) : value];
}

/**
 * The name of an xattr as a string, without the trailing NUL.
 * @throws {OstreeError} INVALID_XATTRS when the name is not NUL-terminated UTF-8
 */
export function xattrName(x: Xattr): string {
  const n = x[0];
  if (n.length < 2 || n[n.length - 1] !== 0) throw new OstreeError('INVALID_XATTRS', 'xattr name is not NUL-terminated');
  try {
    return decoder.decode(n.subarray(0, n.length - 1));
  } catch (cause) {
    throw new OstreeError('INVALID_XATTRS', 'xattr name is not valid UTF-8', { cause });
  }
}

function assertName(name: Uint8Array): void {
  // Non-empty, exactly one NUL, at the end.
  if (name.length < 2 || name[name.length - 1] !== 0 || name.indexOf(0) !== name.length - 1) {
    throw new OstreeError('INVALID_XATTRS', 'xattr name must be non-empty and NUL-terminated');
  }
}

/**
 * Asserts the list is in ostree's canonical form: valid names, sorted, no duplicates.
 * @throws {OstreeError} INVALID_XATTRS otherwise
 */
export function assertCanonicalXattrs(xattrs: readonly Xattr[]): void {
  for (let i = 0; i < xattrs.length; i++) {
    assertName(xattrs[i]![0]);
    if (i > 0 && compareBytes(xattrs[i - 1]![0], xattrs[i]![0]) >= 0) {
      throw new OstreeError('INVALID_XATTRS', 'xattrs are not sorted by name or contain duplicates');
    }
  }
}

/**
 * Returns the xattrs in canonical form (sorted by name), as ostree hashes them.
 * @throws {OstreeError} INVALID_XATTRS on duplicate or malformed names
 */
export function canonicalXattrs(xattrs: readonly Xattr[]): Xattr[] {
  const sorted = [...xattrs].sort((a, b) => compareBytes(a[0], b[0]));
  assertCanonicalXattrs(sorted);
  return sorted;
}
