/**
 * `ostree pull-local`: copy commits from another repository on the same machine, in any
 * combination of modes (objects are re-stored as the destination's mode requires). Every
 * object is verified as it is copied — checksum and, for metadata, strict decoding — so a
 * corrupted or hostile source cannot put anything unverified into the destination. As with
 * network pulls, a commit is marked partial until its whole tree is present, and refs move last.
 * @module
 */
import {
  OstreeError,
  decodeCommit,
  decodeDirMeta,
  decodeDirTree,
  isChecksum,
  parseRefspec,
  type ObjectType,
} from '@ostree-ts/core';
import { Limiter, parseObjectKey, traverseCommit, withRepoLock, type ObjectKey, type Repo } from '@ostree-ts/repo';

/** Options for {@link pullLocal}; names follow `ostree pull-local`'s flags. */
export interface PullLocalOptions {
  /** Refs (or commit checksums) to copy; default: every local ref of the source. */
  readonly refs?: readonly string[];
  /** `--remote=NAME`: write refs as `refs/remotes/NAME/REF` instead of local refs. */
  readonly remote?: string;
  /** `--depth`: parent commits to copy too (-1: all; default 0). */
  readonly depth?: number;
  /** `--commit-metadata-only`: copy only the commit objects. */
  readonly commitMetadataOnly?: boolean;
  /** Objects copied at once (default 8). */
  readonly concurrency?: number;
  /** Set refs after copying (default true); false copies objects only. */
  readonly writeRefs?: boolean;
}

/** What {@link pullLocal} copied. */
export interface PullLocalResult {
  /** Each requested ref (or checksum) and the commit it now points at. */
  readonly commits: ReadonlyMap<string, string>;
  /** Objects copied (already-present ones are not counted). */
  readonly objectsCopied: number;
  /** Of those, metadata objects (commits, dirtrees, dirmeta). */
  readonly metadataCopied: number;
  /** Uncompressed size of the content objects copied. */
  readonly contentBytesCopied: number;
}

interface CopyCounts {
  objects: number;
  metadata: number;
  contentBytes: number;
}

async function copyMetadata(dest: Repo, source: Repo, checksum: string, type: ObjectType): Promise<void> {
  const bytes = await source.readMetadata(type, checksum);
  // Strict decoding: the source may be anyone's repository.
  if (type === 'dirtree') decodeDirTree(bytes);
  else if (type === 'dirmeta') decodeDirMeta(bytes);
  else if (type === 'commit') decodeCommit(bytes);
  await dest.writeMetadata(type, bytes, checksum);
}

async function copyContent(dest: Repo, source: Repo, checksum: string): Promise<number> {
  const obj = await source.loadContent(checksum);
  await dest.writeContent({ header: obj.header, size: obj.size, payload: obj.chunks() }, { expectedChecksum: checksum });
  return Number(obj.size);
}

// Copies one commit (and its tree unless commit-only), adding to `counts`.
async function copyCommit(dest: Repo, source: Repo, commit: string, options: PullLocalOptions, limiter: Limiter, counts: CopyCounts): Promise<void> {
  const complete = (await dest.hasObject(commit, 'commit')) && !(await dest.isCommitPartial(commit));
  if (complete) return;
  const meta = await source.loadCommitMeta(commit);
  if (meta !== undefined) await dest.writeCommitMeta(commit, meta);
  if (options.commitMetadataOnly) {
    if (!(await dest.hasObject(commit, 'commit'))) {
      await dest.setCommitPartial(commit, true);
      await copyMetadata(dest, source, commit, 'commit');
      counts.objects++;
      counts.metadata++;
    }
    return;
  }
  // Marked partial before the commit object lands, so an interruption is resumed, not trusted.
  await dest.setCommitPartial(commit, true);
  if (!(await dest.hasObject(commit, 'commit'))) {
    await copyMetadata(dest, source, commit, 'commit');
    counts.objects++;
    counts.metadata++;
  }
  const reachable = new Set<ObjectKey>();
  await traverseCommit(source, commit, reachable, { depth: 0 });
  // On a failure, copies in flight finish (or fail) before the error surfaces.
  await limiter.all(reachable, async (key) => {
    const { checksum, type } = parseObjectKey(key);
    if (type === 'commit' || (await dest.hasObject(checksum, type))) return;
    if (type === 'file') counts.contentBytes += await copyContent(dest, source, checksum);
    else {
      await copyMetadata(dest, source, checksum, type);
      counts.metadata++;
    }
    counts.objects++;
  });
  await dest.sync();
  await dest.setCommitPartial(commit, false);
}

/**
 * Copies refs and their commits from `source` into `dest`.
 * @throws {OstreeError} REF_NOT_FOUND for a ref the source lacks; CHECKSUM_MISMATCH or
 *   INVALID_OBJECT for a corrupted source object (nothing unverified is stored, no ref moves)
 */
export async function pullLocal(dest: Repo, source: Repo, options: PullLocalOptions = {}): Promise<PullLocalResult> {
  const wanted = options.refs ?? [...(await source.listRefs()).keys()].sort();
  const resolved = new Map<string, string>();
  for (const ref of wanted) {
    const checksum = await source.resolveRev(ref);
    if (checksum === undefined) throw new OstreeError('REF_NOT_FOUND', `Refspec '${ref}' not found`);
    resolved.set(ref, checksum);
  }
  return withRepoLock(dest, 'shared', async () => {
    const limiter = new Limiter(options.concurrency ?? 8);
    const counts: CopyCounts = { objects: 0, metadata: 0, contentBytes: 0 };
    for (const head of new Set(resolved.values())) {
      let depth = options.depth ?? 0;
      for (let c: string | undefined = head; c !== undefined; ) {
        if (!(await source.hasObject(c, 'commit'))) break; // history ends in the source
        await copyCommit(dest, source, c, options, limiter, counts);
        if (depth === 0) break;
        if (depth > 0) depth--;
        c = (await source.loadCommit(c)).parent;
      }
    }
    for (const [ref, checksum] of resolved) {
      if (isChecksum(ref) || options.writeRefs === false) continue; // a bare checksum moves no ref
      const { ref: name } = parseRefspec(ref);
      await dest.setRef({ remote: options.remote, ref: name }, checksum);
    }
    return { commits: resolved, objectsCopied: counts.objects, metadataCopied: counts.metadata, contentBytesCopied: counts.contentBytes };
  });
}
