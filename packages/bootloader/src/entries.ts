/**
 * How backends see the entries: sorted as ostree re-reads them, with the keys they need.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { blsGet, compareBlsEntries } from './bls.js';
import type { BlsEntry } from './bootloader.js';

/** The entries in ostree's order (by `version`, highest first), as ostree re-reads them from disk. */
export function sortedEntries(entries: readonly BlsEntry[]): BlsEntry[] {
  return [...entries].sort(compareBlsEntries);
}

/** The `linux` path of an entry; ostree refuses entries without one. */
export function requireLinux(entry: BlsEntry): string {
  const linux = blsGet(entry, 'linux');
  if (linux === undefined) throw new OstreeError('INVALID_SYSROOT', 'No "linux" key in bootloader config');
  return linux;
}

/** The last `ostree=` kernel argument of an options string, if any. */
export function ostreeKarg(options: string): string | undefined {
  let found: string | undefined;
  for (const arg of options.split(/\s+/)) if (arg.startsWith('ostree=')) found = arg.slice('ostree='.length);
  return found;
}
