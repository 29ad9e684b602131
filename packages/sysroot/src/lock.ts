/**
 * The sysroot lock (`ostree/lock`), taken exclusively by every command that changes the
 * sysroot, compatible with ostree's (an OFD lock on the same file, so ostree and ostree-ts
 * exclude each other). Unlike libglnx the file is left in place: the `Fs` lock cannot detect a
 * file unlinked while a waiter held it open.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { hasErrorCode, type FileLock, type Fs } from '@ostree-ts/io';
import { join, SYSROOT_LOCK } from './paths.js';

/** Options of {@link withSysrootLock}. */
export interface SysrootLockOptions {
  /** How long to wait for another holder, in ms (default: forever, as `ostree admin`). */
  readonly waitMs?: number;
  /** Called when the lock is busy, then every 3 s while waiting (ostree prints `Waiting for sysroot lock...`). */
  readonly onWait?: () => void | Promise<void>;
}

const NOTICE_INTERVAL_MS = 3000;

async function acquire(fs: Fs, path: string, options: SysrootLockOptions): Promise<FileLock> {
  const deadline = Date.now() + (options.waitMs ?? Number.POSITIVE_INFINITY);
  let waitMs = 0;
  for (;;) {
    try {
      return await fs.lockFile(path, 'exclusive', { waitMs });
    } catch (e) {
      if (!hasErrorCode(e, 'EAGAIN')) throw e;
      const left = deadline - Date.now();
      if (left <= 0) throw new OstreeError('REPO_LOCKED', 'Locking sysroot: Resource temporarily unavailable', { cause: e });
      await options.onWait?.();
      waitMs = Math.min(NOTICE_INTERVAL_MS, left);
    }
  }
}

/**
 * Runs `fn` holding the sysroot lock exclusively.
 * @throws {OstreeError} REPO_LOCKED when the lock stays busy past `waitMs`
 */
export async function withSysrootLock<T>(fs: Fs, sysroot: string, fn: () => Promise<T>, options: SysrootLockOptions = {}): Promise<T> {
  if (!fs.capabilities.locks) return fn();
  const lock = await acquire(fs, join(sysroot, SYSROOT_LOCK), options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
