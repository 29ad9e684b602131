/**
 * The sysroot lock (`ostree/lock`), taken exclusively by every command that changes the
 * sysroot, compatible with ostree's (an OFD lock on the same file). Unlike libglnx the file is
 * left in place: the \`Fs\` lock cannot detect a file unlinked while a waiter held it open.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { hasErrorCode, type Fs } from '@ostree-ts/io';
import { join, SYSROOT_LOCK } from './paths.js';

/** Options of {@link withSysrootLock}. */
export interface SysrootLockOptions {
  /** How long to wait for another holder, in ms (default: forever, as ostree_sysroot_lock). */
  readonly waitMs?: number;
}

/**
 * Runs `fn` holding the sysroot lock exclusively.
 * @throws {OstreeError} REPO_LOCKED when the lock stays busy past `waitMs`
 */
export async function withSysrootLock<T>(fs: Fs, sysroot: string, fn: () => Promise<T>, options: SysrootLockOptions = {}): Promise<T> {
  if (!fs.capabilities.locks) return fn();
  const path = join(sysroot, SYSROOT_LOCK);
  let lock;
  try {
    lock = await fs.lockFile(path, 'exclusive', { waitMs: options.waitMs ?? Number.POSITIVE_INFINITY });
  } catch (e) {
    if (hasErrorCode(e, 'EAGAIN')) throw new OstreeError('REPO_LOCKED', 'Locking sysroot: Resource temporarily unavailable', { cause: e });
    throw e;
  }
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
