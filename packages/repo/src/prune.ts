/**
 * `ostree prune`: delete objects nothing needs. By default every commit object is a root (only
 * orphaned trees and files go); with `refsOnly`, only what refs reach (to `depth` parents) is
 * kept; `keepYoungerThan` keeps each ref's history back to a date; `deleteCommit` removes one
 * unreferenced commit first (leaving a tombstone). Deltas whose target commit is gone are
 * removed too.
 * @module
 */
import { OstreeError, deltaDirectory } from '@ostree-ts/core';
import { listDeltas } from './deltas.js';
import { withRepoLock } from './lock.js';
import { joinPath } from './path.js';
import type { Repo } from './repo.js';
import { objectKey, traverseCommit, type ObjectKey } from './traverse.js';

/** Options for {@link pruneRepo}; names follow `ostree prune`'s flags. */
export interface PruneOptions {
  /** Only display what would be deleted. */
  readonly noPrune?: boolean;
  /** Keep only what refs reach. */
  readonly refsOnly?: boolean;
  /** Parents to keep per ref (-1, the default: all). */
  readonly depth?: number;
  /** A commit to delete first; it must not be referenced by a ref. */
  readonly deleteCommit?: string;
  /** Keep commits at least this new (seconds since the epoch); implies refsOnly. */
  readonly keepYoungerThan?: number;
  /** Only traverse and delete commit objects. */
  readonly commitOnly?: boolean;
}

/** What prune counted. */
export interface PruneResult {
  readonly objectsTotal: number;
  readonly objectsPruned: number;
  readonly bytesFreed: number;
}

// Every ref ostree counts as a root: local refs and remote refs (`remote:ref`).
async function allRefs(repo: Repo): Promise<Map<string, string>> {
  return new Map([...(await repo.listRefs()), ...(await repo.listRemoteRefs())]);
}

async function deleteUnreferencedCommit(repo: Repo, checksum: string): Promise<void> {
  for (const [ref, c] of await allRefs(repo)) {
    if (c === checksum) throw new OstreeError('INVALID_ARGUMENT', `Commit '${checksum}' is referenced by '${ref}'`);
  }
  // ostree turns tombstones on for the repository before deleting an explicit commit.
  if (!repo.settings.tombstoneCommits) {
    repo.config.setValue('core', 'tombstone-commits', 'true');
    await repo.saveConfig();
  }
  await repo.deleteObject(checksum, 'commit');
}

async function keepYoungerThan(repo: Repo, head: string, cutoff: number, reachable: Set<ObjectKey>, commitOnly: boolean): Promise<void> {
  await traverseCommit(repo, head, reachable, { depth: 0, commitOnly });
  for (let next: string | undefined = head; next !== undefined; ) {
    if (!(await repo.hasObject(next, 'commit'))) return;
    const commit = await repo.loadCommit(next);
    if (commit.timestamp < BigInt(cutoff)) return;
    await traverseCommit(repo, next, reachable, { depth: 0, commitOnly });
    next = commit.parent;
  }
}

/** Runs prune, holding the repository lock exclusively (no writer may run meanwhile). */
export async function pruneRepo(repo: Repo, options: PruneOptions = {}): Promise<PruneResult> {
  return withRepoLock(repo, 'exclusive', () => prune(repo, options));
}

async function prune(repo: Repo, options: PruneOptions): Promise<PruneResult> {
  if (options.deleteCommit !== undefined && !options.noPrune) await deleteUnreferencedCommit(repo, options.deleteCommit);
  const commitOnly = options.commitOnly === true;
  const depth = options.depth ?? -1;
  const reachable = new Set<ObjectKey>();
  const objects = [];
  for await (const o of repo.listObjects()) if (!commitOnly || o.type === 'commit') objects.push(o);

  if (options.keepYoungerThan !== undefined) {
    for (const c of (await allRefs(repo)).values()) await keepYoungerThan(repo, c, options.keepYoungerThan, reachable, commitOnly);
  } else if (options.refsOnly) {
    for (const c of (await allRefs(repo)).values()) await traverseCommit(repo, c, reachable, { depth, commitOnly });
  } else {
    for (const o of objects) if (o.type === 'commit') await traverseCommit(repo, o.checksum, reachable, { depth, commitOnly });
  }

  let pruned = 0;
  let freed = 0;
  for (const o of objects) {
    if (reachable.has(objectKey(o.checksum, o.type))) continue;
    freed += await repo.objectStorageSize(o.checksum, o.type);
    pruned++;
    if (options.noPrune) continue;
    if (o.type === 'commit') await repo.setCommitPartial(o.checksum, false);
    await repo.deleteObject(o.checksum, o.type);
  }
  if (!options.noPrune) await pruneOrphanDeltas(repo);
  return { objectsTotal: objects.length, objectsPruned: pruned, bytesFreed: freed };
}

/** Removes deltas whose target commit no longer exists. */
export async function pruneOrphanDeltas(repo: Repo): Promise<number> {
  let removed = 0;
  for (const d of await listDeltas(repo)) {
    if (await repo.hasObject(d.to, 'commit')) continue;
    await repo.fs.removeTree(joinPath(repo.path, deltaDirectory(d.from, d.to)));
    removed++;
  }
  return removed;
}

