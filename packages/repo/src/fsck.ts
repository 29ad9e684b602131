/**
 * `ostree fsck`: every ref's commit must load; every object reachable from every complete
 * commit is re-read and re-hashed. Missing objects are reported and the check goes on;
 * a corrupted object stops it unless `delete` (remove it, mark its commits partial) or `all`
 * (report and go on) is set — the same policy as ostree 2022.7.
 * @module
 */
import {
  OstreeError,
  assertFileMode,
  createContentHasher,
  decodeCommit,
  decodeDirMeta,
  decodeDirTree,
  isMetadataObjectType,
  metadataChecksum,
  type ObjectType,
} from '@ostree-ts/core';
import { isCompressError } from '@ostree-ts/compress';
import { Limiter } from './commit/limiter.js';
import type { Repo } from './repo.js';
import { objectKey, parseObjectKey, traverseCommit, type ObjectKey } from './traverse.js';

/** Options for {@link fsckRepo}. */
export interface FsckOptions {
  /** Delete corrupted objects and mark the commits that need them partial. */
  readonly delete?: boolean;
  /** Report every corrupted object instead of stopping at the first. */
  readonly all?: boolean;
  /** Objects verified at once (default 8). */
  readonly concurrency?: number;
  /** Called as the check moves through its phases (the CLI prints ostree's lines). */
  readonly onPhase?: (phase: 'refs' | 'collection-refs' | 'commits' | 'objects', commitsToVerify?: number) => void;
  /** Called after each object is verified. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called for each problem as it is found. */
  readonly onIssue?: (issue: FsckIssue) => void;
}

/** A problem fsck found. */
export type FsckIssue =
  | { readonly kind: 'missing'; readonly checksum: string; readonly type: ObjectType; readonly commits: readonly string[] }
  | { readonly kind: 'corrupted'; readonly checksum: string; readonly type: ObjectType; readonly commits: readonly string[]; readonly message: string; readonly deleted: boolean }
  | { readonly kind: 'marked-partial'; readonly commit: string };

/** What fsck found. */
export interface FsckResult {
  /** Complete commits whose objects were verified. */
  readonly commitsVerified: number;
  /** Commits marked partial before this run (not verified). */
  readonly partialCommits: number;
  /** Of those, commits a previous fsck marked partial after finding corruption. */
  readonly fsckPartialCommits: number;
  readonly objectsVerified: number;
  readonly issues: readonly FsckIssue[];
  /** True if anything was missing or corrupted. */
  readonly corruptionFound: boolean;
}

/**
 * Verifies one object; returns undefined if it is fine, or why not.
 * @throws {OstreeError} OBJECT_NOT_FOUND when it is missing
 */
export async function verifyObject(repo: Repo, checksum: string, type: ObjectType): Promise<string | undefined> {
  if (isMetadataObjectType(type)) {
    const bytes = await repo.readMetadata(type, checksum);
    try {
      if (type === 'commit') decodeCommit(bytes);
      else if (type === 'dirtree') decodeDirTree(bytes);
      else if (type === 'dirmeta') decodeDirMeta(bytes);
    } catch (e) {
      if (e instanceof OstreeError) return `fsck ${checksum}.${type}: ${e.message}`;
      throw e;
    }
    const actual = metadataChecksum(bytes, repo.hash);
    return actual === checksum ? undefined : `fsck ${checksum}.${type}: Corrupted ${type} object; checksum expected='${checksum}' actual='${actual}'`;
  }
  const prefix = `fsck content object ${checksum}`;
  try {
    const obj = await repo.loadContent(checksum);
    assertFileMode(obj.header.mode);
    const hasher = createContentHasher(obj.header, repo.hash);
    let total = 0;
    for await (const chunk of obj.chunks()) {
      total += chunk.length;
      hasher.update(chunk);
    }
    if (total !== obj.size) return `${prefix}: Corrupted file object; payload is ${total} bytes, expected ${obj.size}`;
    const actual = hasher.digest();
    return actual === checksum ? undefined : `${prefix}: Corrupted file object; checksum expected='${checksum}' actual='${actual}'`;
  } catch (e) {
    if (e instanceof OstreeError && e.code !== 'OBJECT_NOT_FOUND') return `${prefix}: ${e.message}`;
    if (e instanceof OstreeError) throw e;
    // A payload that does not inflate is corruption too.
    if (isCompressError(e)) return `${prefix}: ${e.message}`;
    throw e;
  }
}

/** Runs fsck over the whole repository. */
export async function fsckRepo(repo: Repo, options: FsckOptions = {}): Promise<FsckResult> {
  const issues: FsckIssue[] = [];
  const report = (i: FsckIssue): void => {
    issues.push(i);
    options.onIssue?.(i);
  };
  let corruptionFound = false;

  // One object: missing → report; corrupted → stop, delete, or report per options.
  const check = async (checksum: string, type: ObjectType, commits: readonly string[]): Promise<boolean> => {
    let problem: string | undefined;
    try {
      problem = await verifyObject(repo, checksum, type);
    } catch (e) {
      if (e instanceof OstreeError && e.code === 'OBJECT_NOT_FOUND') {
        corruptionFound = true;
        report({ kind: 'missing', checksum, type, commits });
        return false;
      }
      throw e;
    }
    if (problem === undefined) return true;
    const message = commits.length > 0 ? `In commits ${commits.join(', ')}: ${problem}` : problem;
    if (!options.delete && !options.all) throw new OstreeError('CHECKSUM_MISMATCH', message);
    corruptionFound = true;
    if (options.delete) await repo.deleteObject(checksum, type);
    report({ kind: 'corrupted', checksum, type, commits, message, deleted: options.delete === true });
    return !options.delete;
  };

  options.onPhase?.('refs');
  const refs = new Map([...(await repo.listRefs()), ...(await repo.listRemoteRefs())]);
  for (const [ref, checksum] of refs) {
    await check(checksum, 'commit', []);
    try {
      await repo.loadCommit(checksum);
    } catch (e) {
      if (e instanceof OstreeError) throw new OstreeError(e.code, `Loading commit for ref ${ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  options.onPhase?.('collection-refs');

  options.onPhase?.('commits');
  const complete: string[] = [];
  let partialCommits = 0;
  let fsckPartialCommits = 0;
  for await (const obj of repo.listObjects()) {
    if (obj.type !== 'commit') continue;
    await repo.loadCommit(obj.checksum);
    if (await repo.isCommitPartial(obj.checksum)) {
      partialCommits++;
      const reason = new TextDecoder().decode(await repo.fs.readFile(`${repo.path}/state/${obj.checksum}.commitpartial`));
      if (reason === 'f') fsckPartialCommits++;
    } else complete.push(obj.checksum);
  }

  options.onPhase?.('objects', complete.length);
  const reachable = new Set<ObjectKey>();
  const parents = new Map<ObjectKey, Set<string>>();
  for (const c of complete) await traverseCommit(repo, c, reachable, { depth: 0, parents, skipInvalidTrees: true });
  const keys = [...reachable];
  const limiter = new Limiter(options.concurrency ?? 8);
  let done = 0;
  const toMarkPartial = new Set<string>();
  await limiter.all(keys, async (key) => {
    const { checksum, type } = parseObjectKey(key);
    const commits = [...(parents.get(key) ?? [])];
    const ok = await check(checksum, type, commits);
    if (!ok && type !== 'commit') for (const c of commits) toMarkPartial.add(c);
    options.onProgress?.(++done, keys.length);
  });
  for (const c of toMarkPartial) {
    if (await repo.isCommitPartial(c)) continue;
    report({ kind: 'marked-partial', commit: c });
    await repo.setCommitPartial(c, true, 'f');
  }
  return {
    commitsVerified: complete.length,
    partialCommits,
    fsckPartialCommits,
    objectsVerified: keys.length,
    issues,
    corruptionFound,
  };
}

