/**
 * Reachability: which objects a commit (and optionally its ancestors) needs. Used by fsck
 * (what to verify), prune (what to keep) and pulls (what is missing).
 * @module
 */
import { OstreeError, checksumFromBytes, type ObjectType } from '@ostree-ts/core';
import type { Repo } from './repo.js';

/** `CHECKSUM.TYPE`, the identity of an object in reachability sets. */
export type ObjectKey = string;

/** The key of an object. */
export const objectKey = (checksum: string, type: ObjectType): ObjectKey => `${checksum}.${type}`;

/** Splits a key back into checksum and type. */
export function parseObjectKey(key: ObjectKey): { checksum: string; type: ObjectType } {
  return { checksum: key.slice(0, 64), type: key.slice(65) as ObjectType };
}

/** Options for {@link traverseCommit}. */
export interface TraverseOptions {
  /** Parent commits to follow: 0 = just this one, -1 = all (default 0). */
  readonly depth?: number;
  /** Record only commit objects, not their trees. */
  readonly commitOnly?: boolean;
  /** If given, filled with object → commits that reach it (for error messages). */
  readonly parents?: Map<ObjectKey, Set<string>>;
  /**
   * Do not descend into dirtrees that fail to decode (they stay in the set, so a verifier
   * reports them). Default false: an undecodable tree is an error, so prune never mistakes
   * the objects below it for garbage.
   */
  readonly skipInvalidTrees?: boolean;
}

async function traverseDirTree(
  repo: Repo,
  tree: string,
  commit: string,
  reachable: Set<ObjectKey>,
  seenInCommit: Set<string>,
  ignoreMissing: boolean,
  options: TraverseOptions,
): Promise<void> {
  const parents = options.parents;
  if (seenInCommit.has(tree)) return;
  seenInCommit.add(tree);
  let dirtree;
  try {
    dirtree = await repo.loadDirTree(tree);
  } catch (e) {
    if (ignoreMissing && e instanceof OstreeError && e.code === 'OBJECT_NOT_FOUND') return;
    if (options.skipInvalidTrees && e instanceof OstreeError && e.code === 'INVALID_OBJECT') return;
    throw e;
  }
  const add = (key: ObjectKey): boolean => {
    if (parents) {
      let set = parents.get(key);
      if (!set) parents.set(key, (set = new Set()));
      set.add(commit);
    }
    const fresh = !reachable.has(key);
    reachable.add(key);
    return fresh;
  };
  for (const f of dirtree.files) add(objectKey(checksumFromBytes(f.checksum), 'file'));
  for (const d of dirtree.dirs) {
    const sub = checksumFromBytes(d.treeChecksum);
    add(objectKey(checksumFromBytes(d.metaChecksum), 'dirmeta'));
    const fresh = add(objectKey(sub, 'dirtree'));
    // Without parent tracking a subtree already walked (from any commit) needs no second walk.
    if (fresh || parents) await traverseDirTree(repo, sub, commit, reachable, seenInCommit, ignoreMissing, options);
  }
}

/**
 * Adds everything `checksum` needs to `reachable`: the commit, its root dirtree/dirmeta and
 * the whole tree, then parents up to `depth`. A missing commit ends the walk (repos are often
 * partial); a missing dirtree is an error unless the commit is marked partial.
 */
export async function traverseCommit(repo: Repo, checksum: string, reachable: Set<ObjectKey>, options: TraverseOptions = {}): Promise<void> {
  let depth = options.depth ?? 0;
  let current: string | undefined = checksum;
  while (current !== undefined) {
    const key = objectKey(current, 'commit');
    if (reachable.has(key)) return;
    if (!(await repo.hasObject(current, 'commit'))) return;
    const commit = await repo.loadCommit(current);
    const partial = await repo.isCommitPartial(current);
    reachable.add(key);
    if (!options.commitOnly) {
      const rootTree = objectKey(commit.rootTree, 'dirtree');
      const rootMeta = objectKey(commit.rootMeta, 'dirmeta');
      for (const k of [rootMeta, rootTree]) {
        reachable.add(k);
        if (options.parents) {
          let set = options.parents.get(k);
          if (!set) options.parents.set(k, (set = new Set()));
          set.add(current);
        }
      }
      await traverseDirTree(repo, commit.rootTree, current, reachable, new Set(), partial, options);
    }
    if (depth === 0) return;
    if (depth > 0) depth--;
    current = commit.parent;
  }
}
