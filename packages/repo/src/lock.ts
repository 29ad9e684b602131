/**
 * The repository lock, shared with ostree: `REPO/.lock`, an OFD lock taken shared by writers
 * (commits, summary updates) and exclusive by prune, so concurrent ostree and ostree-ts
 * processes never prune objects a commit is still writing. Honours `core.locking` and
 * `core.lock-timeout-secs` (default 30, -1 waits forever).
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import { hasErrorCode, type FileLock, type LockKind } from '@ostree-ts/io';
import { joinPath } from './path.js';
import type { Repo } from './repo.js';

interface Held {
  kind: LockKind;
  depth: number;
  lock: FileLock | undefined;
}

const held = new WeakMap<Repo, Held>();

function lockSettings(repo: Repo): { enabled: boolean; waitMs: number } {
  const kf = repo.config;
  const enabled = !kf.hasKey('core', 'locking') || kf.getValue('core', 'locking') !== 'false';
  let secs = 30;
  if (kf.hasKey('core', 'lock-timeout-secs')) {
    const n = Number.parseInt(kf.getValue('core', 'lock-timeout-secs'), 10);
    if (Number.isFinite(n)) secs = n;
  }
  return { enabled, waitMs: secs < 0 ? Number.POSITIVE_INFINITY : secs * 1000 };
}

/**
 * Runs `fn` holding the repository lock. Nested calls reuse the lock already held if it is
 * at least as strong; asking for exclusive while holding shared is refused (OFD locks of one
 * process conflict with each other, so an upgrade would wait on itself).
 * @throws {OstreeError} REPO_LOCKED when another process holds a conflicting lock past the timeout
 */
export async function withRepoLock<T>(repo: Repo, kind: LockKind, fn: () => Promise<T>): Promise<T> {
  const current = held.get(repo);
  if (current) {
    if (current.kind === 'shared' && kind === 'exclusive') {
      throw new OstreeError('INVALID_ARGUMENT', 'cannot upgrade a shared repository lock to exclusive');
    }
    current.depth++;
    try {
      return await fn();
    } finally {
      current.depth--;
    }
  }
  const { enabled, waitMs } = lockSettings(repo);
  let lock: FileLock | undefined;
  if (enabled && repo.fs.capabilities.locks) {
    try {
      lock = await repo.fs.lockFile(joinPath(repo.path, '.lock'), kind, { waitMs });
    } catch (e) {
      if (hasErrorCode(e, 'EAGAIN')) {
        throw new OstreeError('REPO_LOCKED', `Locking repo ${kind} failed: Resource temporarily unavailable`, { cause: e });
      }
      throw e;
    }
  }
  const entry: Held = { kind, depth: 1, lock };
  held.set(repo, entry);
  try {
    return await fn();
  } finally {
    held.delete(repo);
    await lock?.release();
  }
}
