/**
 * The argument checks and the "held" error every `Fs.lockFile` implementation shares, so all
 * adapters refuse the same inputs and report a busy lock the same way.
 * @module
 */
import { FsError } from './errors.js';
import type { LockKind, LockOptions } from './fs.js';

/** Validates lockFile's arguments (EINVAL, before anything is opened); returns `waitMs` (default 0). */
export function checkLockArguments(kind: LockKind, options: LockOptions | undefined, path: string): number {
  if (kind !== 'shared' && kind !== 'exclusive') throw new FsError('EINVAL', 'fcntl', path);
  const waitMs = options?.waitMs ?? 0;
  if (typeof waitMs !== 'number' || Number.isNaN(waitMs) || waitMs < 0) throw new FsError('EINVAL', 'fcntl', path);
  return waitMs;
}

/** The EAGAIN of a lock held incompatibly. */
export function lockBusy(path: string, waitedMs: number): FsError {
  const e = new FsError('EAGAIN', 'fcntl', path);
  e.message += waitedMs > 0 ? ` (locked by another holder; gave up after ${waitedMs} ms)` : ' (locked by another holder)';
  return e;
}
