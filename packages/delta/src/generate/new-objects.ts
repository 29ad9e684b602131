/**
 * What a delta must carry: the objects reachable from the target commit and not from the
 * source, sorted into metadata, regular files and symlinks (the target commit itself travels
 * in the superblock and is left out).
 * @module
 */
import { OstreeError, isSymlinkMode, type FileHeader } from '@ostree-ts/core';
import { parseObjectKey, traverseCommit, type ObjectKey, type Repo } from '@ostree-ts/repo';

/** A new content object: its header and payload size. */
export interface NewContent {
  readonly checksum: string;
  readonly header: FileHeader;
  /** Payload length (0 for symlinks). */
  readonly size: number;
}

/** The objects a delta has to create, by kind, each list sorted by checksum. */
export interface NewObjects {
  readonly metadata: readonly { readonly type: 'dirtree' | 'dirmeta'; readonly checksum: string }[];
  readonly regularFiles: readonly NewContent[];
  readonly symlinks: readonly NewContent[];
}

async function reachable(repo: Repo, commit: string): Promise<Set<ObjectKey>> {
  if (!(await repo.hasObject(commit, 'commit'))) throw new OstreeError('OBJECT_NOT_FOUND', `No such metadata object ${commit}.commit`);
  const set = new Set<ObjectKey>();
  await traverseCommit(repo, commit, set);
  return set;
}

/** Objects reachable from `to` but not from `from` (everything for a scratch delta). */
export async function computeNewObjects(repo: Repo, from: string | undefined, to: string): Promise<NewObjects> {
  const toSet = await reachable(repo, to);
  const fromSet = from === undefined ? new Set<ObjectKey>() : await reachable(repo, from);
  const metadata: { type: 'dirtree' | 'dirmeta'; checksum: string }[] = [];
  const regularFiles: NewContent[] = [];
  const symlinks: NewContent[] = [];
  for (const key of [...toSet].sort()) {
    if (fromSet.has(key)) continue;
    const { checksum, type } = parseObjectKey(key);
    if (type === 'commit') continue;
    if (type === 'dirtree' || type === 'dirmeta') {
      metadata.push({ type, checksum });
      continue;
    }
    const obj = await repo.loadContent(checksum);
    const entry = { checksum, header: obj.header, size: obj.size };
    (isSymlinkMode(obj.header.mode) ? symlinks : regularFiles).push(entry);
  }
  fromSet.clear();
  return { metadata, regularFiles, symlinks };
}
