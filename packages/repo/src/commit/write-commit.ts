/**
 * Writing commit objects, and committing a directory in one call.
 * @module
 */
import { encodeCommit, type Commit, type Metadata, type Refspec } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';
import { withRepoLock } from '../lock.js';
import type { Repo } from '../repo.js';
import { writeTree, type WriteStats, type WriteTreeOptions } from './write-tree.js';

/** The fields of a new commit. */
export interface CommitFields {
  readonly parent?: string | undefined;
  readonly subject?: string;
  readonly body?: string;
  /** Commit metadata in the order it will be serialized (see VariantDict for ostree's order). */
  readonly metadata?: Metadata;
  /** Seconds since the epoch (default: now). */
  readonly timestamp?: bigint;
  readonly rootTree: string;
  readonly rootMeta: string;
}

/** The commit as it will be serialized, with defaults filled in. */
export function commitFromFields(f: CommitFields, now: () => number = Date.now): Commit {
  return {
    metadata: f.metadata ?? [],
    parent: f.parent,
    related: [],
    subject: f.subject ?? '',
    body: f.body ?? '',
    timestamp: f.timestamp ?? BigInt(Math.floor(now() / 1000)),
    rootTree: f.rootTree,
    rootMeta: f.rootMeta,
  };
}

/**
 * Writes a commit object (whose tree must already be stored) and removes any tombstone that
 * names it; returns its checksum.
 */
export async function writeCommit(repo: Repo, fields: CommitFields): Promise<string> {
  const { checksum } = await repo.writeMetadata('commit', encodeCommit(commitFromFields(fields)));
  await repo.deleteObject(checksum, 'tombstone-commit');
  return checksum;
}

/** Options for {@link commitDirectory}. */
export interface CommitDirectoryOptions extends WriteTreeOptions, Omit<CommitFields, 'rootTree' | 'rootMeta'> {
  /** Ref to point at the new commit (none: an orphan commit). */
  readonly ref?: Refspec | string;
}

/** What {@link commitDirectory} produced. */
export interface CommitDirectoryResult {
  readonly checksum: string;
  readonly stats: WriteStats;
}

/**
 * Commits the tree under `dir` and moves `ref` to it. Objects are written first, the commit
 * object after its whole tree, the filesystem is synced (core.fsync), and only then does the
 * ref move: a crash at any point leaves no ref pointing at an incomplete commit.
 */
export async function commitDirectory(repo: Repo, fs: Fs, dir: string, options: CommitDirectoryOptions): Promise<CommitDirectoryResult> {
  // Shared lock: other writers may run, prune (exclusive) may not delete what we write.
  return withRepoLock(repo, 'shared', async () => {
    const { rootTree, rootMeta, stats } = await writeTree(repo, fs, dir, options);
    const checksum = await writeCommit(repo, { ...options, rootTree, rootMeta });
    if (options.ref !== undefined) {
      await repo.sync();
      await repo.setRef(options.ref, checksum);
    }
    return { checksum, stats };
  });
}
