/**
 * `ostree pull` over HTTP for archive-mode remotes, by objects (spec §6): summary (with
 * ostree's cache) or `refs/heads/REF`, then per commit `.commitmeta`, `.commit`, its parents
 * to the requested depth, and the tree it reaches (optionally only some subpaths). Every
 * object is verified before it is stored; refs move only once everything is present.
 * @module
 */
import {
  OstreeError,
  checksumFromBytes,
  decodeCommit,
  decodeCommitMeta,
  decodeDirMeta,
  decodeDirTree,
  decodeSummary,
  isChecksum,
  assertChecksumMatches,
  metadataChecksum,
  lookupTyped,
  isValidRef,
  isValidRemoteName,
  toHex,
  type Commit,
  type Metadata,
  type Summary,
  type ObjectType,
} from '@ostree-ts/core';
import { KeyFile } from '@ostree-ts/keyfile';
import { joinPath, withRepoLock, type Repo } from '@ostree-ts/repo';
import { resilientHttpClient } from './resilient.js';
import { abortError, fetchHttpClient, remoteUrl, transportError, type HttpClient } from './http.js';
import { Fetcher } from './fetcher.js';
import { TaskPool } from './pool.js';
import { ProgressTracker, type PullProgress } from './progress.js';
import { fileUrlPath, resolveRemote, type RemoteSpec } from './remote-config.js';
import { SummaryCache } from './summary-cache.js';
import { fetchSummary, type SummaryVerifier } from './summary-fetch.js';
import { verifyCommitSignature, verifySignedDeltaSuperblock, verifySummarySignature } from '@ostree-ts/sign';
import { checkSubpaths, wantedEntry } from './subpath.js';
import { deltaLabel, deltaSources, planFetch, requiredDeltaError, type DeltaSources } from './delta-plan.js';
import { configBoolean } from './remote-config.js';
import { applyStaticDelta, deltaSuperblockPath, openDeltaSuperblock, superblockCommitMeta, writeDeltaCommit } from '@ostree-ts/delta';
import { deltaPartReader } from './delta-fetch.js';
import { storeFilez } from './filez.js';
import { pullFromFileUrl } from './file-remote.js';

export type { PullProgress } from './progress.js';

/** ostree's OSTREE_MAX_METADATA_SIZE: cap for config, refs, summary and metadata objects. */
export const MAX_METADATA_SIZE = 10 * 1024 * 1024;
/** ostree's default number of requests in flight. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * Options of {@link pull}. CLI mapping: `ostree pull REMOTE REF…` → `{ remote, refs }`;
 * the remote's `url`/`contenturl` come from the repo config unless `url` is given.
 */
export interface PullOptions {
  /** Remote name (`[remote "NAME"]` in the config); refs are written to `refs/remotes/NAME/`. */
  readonly remote?: string;
  /**
   * Base URL, overriding the remote's `url` (and `contenturl`). Without `remote`, objects are
   * pulled and the commits returned, but no ref is written. `file://` URLs are pulled like
   * `pull-local` (any source mode).
   */
  readonly url?: string;
  /**
   * Refs to pull, or commit checksums (pulled without writing a ref). May be empty only with
   * `mirror`, which then pulls every ref of the remote's summary.
   */
  readonly refs: readonly string[];
  /** `--mirror`: write refs as local refs (`refs/heads/REF`); with no refs, pull all and copy the summary. */
  readonly mirror?: boolean;
  /** `--depth`: parent commits to pull too (-1: all; default 0). Missing parents on the server end the history quietly. */
  readonly depth?: number;
  /** `--commit-metadata-only`: fetch only commit objects (they stay marked partial). */
  readonly commitMetadataOnly?: boolean;
  /** `--subpath`: pull only these absolute paths of the tree (the commit stays marked partial). */
  readonly subpaths?: readonly string[];
  /** `--disable-verify-bindings`: skip the ref and collection binding checks. */
  readonly disableVerifyBindings?: boolean;
  /** `--disable-static-deltas`: always pull by objects. */
  readonly disableStaticDeltas?: boolean;
  /** `--require-static-deltas`: fail unless a static delta is available for every commit. */
  readonly requireStaticDeltas?: boolean;
  /** HTTP client (default {@link fetchHttpClient} on `globalThis.fetch`). */
  readonly http?: HttpClient;
  /** Requests in flight at most (default 8, as ostree). */
  readonly concurrency?: number;
  /** Cancels the pull: it rejects with ABORTED (or the reason, when it is an OstreeError); no ref moves. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: PullProgress) => void;
  /** Cap for metadata downloads (ostree `max-metadata-size`, default 10 MiB). */
  readonly maxMetadataSize?: number;
  /**
   * Retries after a failed request, a 5xx answer or a body broken mid-way, with exponential
   * backoff (default 5, ostree's `n-network-retries`); 0 disables them.
   */
  readonly retries?: number;
  /** Give up when no data arrives for this long (default 30 s), instead of hanging. */
  readonly stallTimeoutMs?: number;
}

/** What a pull did. */
export interface PullResult {
  /** Requested ref (or checksum) → commit checksum now in the repo. */
  readonly commits: ReadonlyMap<string, string>;
  readonly progress: PullProgress;
  /** True when the objects came from a local repository (a `file://` remote). */
  readonly local?: boolean;
}

const decoder = new TextDecoder();

function objectRelPath(checksum: string, ext: string): string {
  return `objects/${checksum.slice(0, 2)}/${checksum.slice(2)}.${ext}`;
}

/**
 * The binding checks of ostree's `_ostree_repo_verify_bindings`: the commit's
 * `ostree.ref-binding` must list the requested ref (when it has one; required when the remote
 * has a `collection-id`), and with a remote `collection-id` its `ostree.collection-binding`
 * must equal it.
 */
function verifyBindings(commit: Commit, checksum: string, ref: string | undefined, collectionId: string | undefined): void {
  const fail = (detail: string) => new OstreeError('INVALID_OBJECT', `Commit ${checksum}: ${detail}`);
  const refs = lookupTyped<string[]>(commit.metadata, 'ostree.ref-binding', 'as');
  if (refs === undefined) {
    if (collectionId === undefined) return;
    throw fail('Expected commit metadata to have ref binding information, found none');
  }
  if (ref !== undefined && !refs.includes(ref)) {
    const list = refs.length > 0 ? refs.map((r) => `‘${r}’`).join(', ') : 'no refs';
    throw fail(`Commit has no requested ref ‘${ref}’ in ref binding metadata (${list})`);
  }
  if (collectionId === undefined) return;
  const bound = lookupTyped<string>(commit.metadata, 'ostree.collection-binding', 's');
  if (bound === undefined) throw fail('Expected commit metadata to have collection ID binding information, found none');
  if (bound !== collectionId) {
    throw fail(`Commit has collection ID ‘${bound}’ in collection binding metadata, while the remote it came from has collection ID ‘${collectionId}’`);
  }
}

/** A commit to pull: the ref it was asked for (if any) and the size cap of its object. */
interface Target {
  readonly ref: string | undefined;
  readonly requested: string;
  readonly checksum: string;
  readonly maxSize: number;
}

class Puller {
  readonly pool: TaskPool;
  readonly fetcher: Fetcher;
  readonly progress: ProgressTracker;
  private readonly seenTrees = new Set<string>();
  private readonly seenMeta = new Set<string>();
  private readonly seenContent = new Set<string>();
  private readonly seenCommits = new Set<string>();
  /** Commits reached (requested and parents): unmarked partial once everything is stored. */
  readonly reachedCommits = new Set<string>();
  readonly subpaths: string[] | undefined;

  constructor(
    readonly repo: Repo,
    readonly remote: RemoteSpec,
    http: HttpClient,
    readonly options: PullOptions,
    controller: AbortController,
  ) {
    this.pool = new TaskPool(options.concurrency ?? DEFAULT_CONCURRENCY, controller);
    this.fetcher = new Fetcher(http, controller.signal);
    this.progress = new ProgressTracker(() => this.fetcher.bytesTransferred, options.onProgress);
    this.subpaths = options.subpaths !== undefined && options.subpaths.length > 0 ? checkSubpaths(options.subpaths) : undefined;
  }

  get maxMetadata(): number {
    return this.options.maxMetadataSize ?? MAX_METADATA_SIZE;
  }

  async fetchSummary(): Promise<{ summary: Summary | undefined; bytes: Uint8Array | undefined; signature: Uint8Array | undefined }> {
    const cache = this.remote.name !== undefined ? new SummaryCache(this.repo, this.remote.name) : undefined;
    const v = this.remote.summaryVerification;
    const verify: SummaryVerifier | undefined =
      v === undefined
        ? undefined
        : async (summary, signature) => {
            if (signature === undefined) {
              throw new OstreeError(
                'SIGNATURE_MISSING',
                'Signatures verification enabled, but no summary.sig found (use sign-verify-summary=false in remote config to disable)',
              );
            }
            if (summary !== undefined) verifySummarySignature(summary, signature, v.keys, { types: v.types });
          };
    const fetched = await fetchSummary(this.fetcher, this.remote.url, this.maxMetadata, cache, verify);
    return {
      summary: fetched.summary === undefined ? undefined : decodeSummary(fetched.summary),
      bytes: fetched.summary,
      signature: fetched.signature,
    };
  }

  private remoteConfig: KeyFile | null | undefined;

  /** The remote's `config` (fetched once; null when the server has none). */
  async loadRemoteConfig(): Promise<KeyFile | null> {
    if (this.remoteConfig !== undefined) return this.remoteConfig;
    const bytes = await this.fetcher.getBytes(remoteUrl(this.remote.url, 'config'), this.maxMetadata);
    if (bytes === undefined) return (this.remoteConfig = null);
    try {
      return (this.remoteConfig = KeyFile.parse(decoder.decode(bytes)));
    } catch (cause) {
      throw new OstreeError('INVALID_CONFIG', `Couldn't parse remote config: ${(cause as Error).message}`, { cause });
    }
  }

  /** Checks the remote's mode is archive (ostree's rule for HTTP pulls), from its config or summary. */
  async checkRemoteConfig(summary: Summary | undefined): Promise<void> {
    const kf = await this.loadRemoteConfig();
    let mode: string | undefined;
    if (kf !== null) {
      mode = kf.hasKey('core', 'mode') ? kf.getValue('core', 'mode') : 'bare';
    } else if (summary !== undefined) {
      mode = lookupTyped<string>(summary.metadata, 'ostree.summary.mode', 's');
    }
    if (mode !== undefined && mode !== 'archive-z2' && mode !== 'archive') {
      throw new OstreeError('UNSUPPORTED', `Can't pull from archives with mode "${mode}"`);
    }
  }

  /** Ref → commit checksum and the commit's size cap. */
  async resolveRef(ref: string, summary: Summary | undefined): Promise<{ checksum: string; maxSize: number }> {
    if (summary !== undefined) {
      const entry = summary.refs.find((r) => r.name === ref);
      if (entry === undefined) throw new OstreeError('REF_NOT_FOUND', `No such branch '${ref}' in repository summary`);
      const size = entry.commitSize;
      return { checksum: entry.checksum, maxSize: size > BigInt(this.maxMetadata) ? this.maxMetadata : Number(size) };
    }
    const url = remoteUrl(this.remote.url, `refs/heads/${ref}`);
    const bytes = await this.fetcher.getBytes(url, this.maxMetadata);
    if (bytes === undefined) throw new OstreeError('REF_NOT_FOUND', `Server returned HTTP 404 for ${url}: no such ref '${ref}'`);
    const text = decoder.decode(bytes).trim();
    if (!isChecksum(text)) throw new OstreeError('INVALID_CHECKSUM', `Invalid checksum in ${url}: ${JSON.stringify(text.slice(0, 80))}`);
    return { checksum: text, maxSize: this.maxMetadata };
  }

  /** Downloads a hashed metadata object and checks its checksum (not yet its structure); undefined on 404. */
  async fetchMetadataIfExists(type: ObjectType, checksum: string, max: number): Promise<Uint8Array | undefined> {
    const url = remoteUrl(this.remote.contentUrl, objectRelPath(checksum, type));
    const bytes = await this.fetcher.getBytes(url, max);
    if (bytes === undefined) return undefined;
    assertChecksumMatches(checksum, metadataChecksum(bytes, this.repo.hash), `${type} object`);
    return bytes;
  }

  async fetchMetadata(type: ObjectType, checksum: string, max: number): Promise<Uint8Array> {
    const bytes = await this.fetchMetadataIfExists(type, checksum, max);
    if (bytes === undefined) {
      const url = remoteUrl(this.remote.contentUrl, objectRelPath(checksum, type));
      throw new OstreeError('OBJECT_NOT_FOUND', `Server returned HTTP 404 for ${url}: no ${type} object ${checksum}`);
    }
    return bytes;
  }

  /**
   * Fetches (if needed), verifies and stores a commit, marking it partial first; queues its
   * parent while `depth` allows, and its tree unless the commit is complete locally or only
   * commit metadata is wanted. A parent missing on the server ends the history quietly.
   */
  async fetchCommit(
    checksum: string,
    ref: string | undefined,
    maxSize: number,
    depth: number,
    isParent: boolean,
    how: { detachedFetched?: boolean } = {},
  ): Promise<void> {
    if (this.seenCommits.has(checksum)) return;
    this.seenCommits.add(checksum);
    // Detached metadata first (ostree re-fetches it to pick up new signatures), unless a delta
    // superblock just brought it.
    let detached;
    if (!how.detachedFetched) {
      const metaUrl = remoteUrl(this.remote.url, objectRelPath(checksum, 'commitmeta'));
      const metaBytes = await this.fetcher.getBytes(metaUrl, this.maxMetadata);
      this.progress.fetchedCommitMeta++;
      detached = metaBytes === undefined ? undefined : decodeCommitMeta(metaBytes);
    }

    let commit: Commit;
    let partial: boolean;
    if (await this.repo.hasObject(checksum, 'commit')) {
      commit = await this.repo.loadCommit(checksum);
      this.verifyBindings(commit, checksum, ref);
      if (this.remote.commitVerification !== undefined) {
        const bytes = await this.repo.readMetadata('commit', checksum);
        this.verifyCommit(checksum, bytes, detached ?? (await this.repo.loadCommitMeta(checksum)));
      }
      if (detached !== undefined) await this.repo.writeCommitMeta(checksum, detached);
      partial = await this.repo.isCommitPartial(checksum);
    } else {
      this.progress.requested++;
      const bytes = await this.fetchMetadataIfExists('commit', checksum, maxSize);
      if (bytes === undefined) {
        if (isParent) {
          this.progress.requested--;
          return;
        }
        const url = remoteUrl(this.remote.contentUrl, objectRelPath(checksum, 'commit'));
        throw new OstreeError('OBJECT_NOT_FOUND', `Server returned HTTP 404 for ${url}: no commit object ${checksum}`);
      }
      commit = decodeCommit(bytes);
      this.verifyBindings(commit, checksum, ref);
      // Verified before anything of it is written (ostree does the same).
      this.verifyCommit(checksum, bytes, detached);
      await this.repo.setCommitPartial(checksum, true);
      if (detached !== undefined) await this.repo.writeCommitMeta(checksum, detached);
      await this.repo.writeMetadata('commit', bytes, checksum);
      this.progress.fetchedMetadata++;
      this.progress.report();
      partial = true;
    }
    this.reachedCommits.add(checksum);
    if (commit.parent !== undefined && depth !== 0) {
      const parent = commit.parent;
      this.pool.add(() => this.fetchCommit(parent, undefined, this.maxMetadata, depth > 0 ? depth - 1 : -1, true));
    }
    if (!partial || this.options.commitMetadataOnly) return;
    this.queueDirMeta(commit.rootMeta);
    this.queueDirTree(commit.rootTree, '/');
  }

  verifyBindings(commit: Commit, checksum: string, ref: string | undefined): void {
    if (!this.options.disableVerifyBindings) verifyBindings(commit, checksum, ref, this.remote.collectionId);
  }

  /**
   * `sign-verify`: the commit must carry a signature (in its detached metadata) that verifies
   * with one of the remote's keys.
   * @throws {OstreeError} SIGNATURE_MISSING or SIGNATURE_INVALID, with ostree's messages
   */
  verifyCommit(checksum: string, bytes: Uint8Array, detached: Metadata | undefined): void {
    const v = this.remote.commitVerification;
    if (v === undefined) return;
    if (detached === undefined) throw new OstreeError('SIGNATURE_MISSING', "Can't verify commit without detached metadata");
    try {
      verifyCommitSignature(bytes, detached, v.keys, { types: v.types });
    } catch (e) {
      if (e instanceof OstreeError) throw new OstreeError(e.code, `Can't verify commit ${checksum}: ${e.message}`, { cause: e });
      throw e;
    }
  }

  /**
   * Fetches the superblock of `from`→`to` (scratch when `from` is undefined), checks it against
   * its listed digest, and applies the delta. Returns false when the server has no such delta
   * (the caller falls back to objects).
   */
  async pullByDelta(from: string | undefined, to: string, digest: string | undefined, ref: string | undefined, required: boolean): Promise<boolean> {
    const path = deltaSuperblockPath(from, to);
    const bytes = await this.fetcher.getBytes(remoteUrl(this.remote.contentUrl, path), this.maxMetadata);
    this.progress.fetchedDeltaMetadata++;
    if (bytes === undefined) {
      if (required) throw requiredDeltaError(from ?? '', to);
      return false;
    }
    if (digest !== undefined && toHex(this.repo.hash().update(bytes).digest()) !== digest) {
      throw new OstreeError('CHECKSUM_MISMATCH', `Invalid checksum for static delta ${deltaLabel(from, to)}`);
    }
    const opened = openDeltaSuperblock(bytes, undefined, this.repo.hash);
    if (opened.signed !== undefined) this.verifySignedSuperblock(bytes);
    const sb = opened.superblock;
    if (sb.to !== to || sb.from !== from) {
      throw new OstreeError('INVALID_DELTA', `Static delta ${deltaLabel(from, to)} is for ${deltaLabel(sb.from, sb.to)}`);
    }
    // The target commit is checked (ref binding, signature) before anything of the delta is stored.
    if (!(await this.repo.hasObject(to, 'commit'))) {
      this.verifyBindings(sb.commit, to, ref);
      this.verifyCommit(to, sb.commitBytes, superblockCommitMeta(sb));
      // Written first and marked partial, as ostree does: an interrupted delta is resumed, not trusted.
      await writeDeltaCommit(this.repo, sb, true);
    } else {
      await this.repo.setCommitPartial(to, true);
    }
    this.progress.totalDeltaParts += sb.parts.length;
    for (const h of sb.parts) this.progress.totalDeltaPartBytes += Number(h.size);
    this.progress.report();
    await applyStaticDelta(this.repo, sb, {
      writeCommit: false,
      signal: this.fetcher.signal,
      readPart: deltaPartReader(this.repo, this.fetcher, this.remote.contentUrl, sb, (n) => {
        this.fetcher.bytesTransferred += n;
      }),
      onProgress: (p) => {
        this.progress.fetchedDeltaParts++;
        this.progress.fetchedDeltaPartBytes += Number(sb.parts[p.part]!.size);
        this.progress.report();
      },
    });
    return true;
  }

  /**
   * A signed delta superblock: verified with the remote's keys when the repository sets
   * `core.sign-verify-deltas` (the commit inside is verified by `sign-verify` regardless).
   */
  verifySignedSuperblock(bytes: Uint8Array): void {
    if (!configBoolean(this.repo.config, 'core', 'sign-verify-deltas', false)) return;
    const v = this.remote.commitVerification ?? this.remote.summaryVerification;
    if (v === undefined) throw new OstreeError('SIGNATURE_INVALID', 'Key is mandatory to check delta signature');
    let last: unknown;
    for (const type of v.types) {
      try {
        verifySignedDeltaSuperblock(bytes, v.keys, { type });
        return;
      } catch (e) {
        last ??= e;
      }
    }
    throw last;
  }

  /**
   * Pulls one requested commit: by a static delta when `sources` (deltas enabled) offer one
   * that fits, else (or for what the delta did not bring) by objects.
   */
  async pullTarget(t: Target, sources: DeltaSources | undefined): Promise<void> {
    const depth = this.options.depth ?? 0;
    if (sources === undefined) return this.fetchCommit(t.checksum, t.ref, t.maxSize, depth, false);
    const required = this.options.requireStaticDeltas === true;
    // The delta's starting point: where the ref is now in this repository (remote ref as ostree).
    const localRef = t.ref === undefined ? undefined : this.remote.name !== undefined ? `${this.remote.name}:${t.ref}` : t.ref;
    const localFrom = localRef === undefined ? undefined : await this.repo.resolveRev(localRef, { allowNoent: true });
    const plan = await planFetch(this.repo, this.fetcher, this.remote.contentUrl, sources, t.checksum, t.ref, localFrom, required, this.maxMetadata, () => {
      this.progress.fetchedDeltaMetadata++;
    });
    if (plan.kind === 'nothing') {
      this.reachedCommits.add(t.checksum);
      return;
    }
    if (plan.kind === 'delta' && (await this.pullByDelta(plan.from, plan.to, plan.digest, t.ref, required))) {
      // The commit's tree is walked afterwards: anything the delta did not bring is fetched as objects.
      return this.fetchCommit(t.checksum, t.ref, t.maxSize, depth, false, { detachedFetched: true });
    }
    return this.fetchCommit(t.checksum, t.ref, t.maxSize, depth, false);
  }

  queueDirMeta(checksum: string): void {
    if (this.seenMeta.has(checksum)) return;
    this.seenMeta.add(checksum);
    this.pool.add(async () => {
      if (await this.repo.hasObject(checksum, 'dirmeta')) return;
      this.progress.requested++;
      const bytes = await this.fetchMetadata('dirmeta', checksum, this.maxMetadata);
      decodeDirMeta(bytes);
      await this.repo.writeMetadata('dirmeta', bytes, checksum);
      this.progress.fetchedMetadata++;
      this.progress.report();
    });
  }

  /** Queues a dirtree at `path` (ending in `/`); with subpaths, the path decides what is walked. */
  queueDirTree(checksum: string, path: string): void {
    const key = this.subpaths === undefined ? checksum : `${checksum}:${path}`;
    if (this.seenTrees.has(key)) return;
    this.seenTrees.add(key);
    this.pool.add(async () => {
      let tree;
      if (await this.repo.hasObject(checksum, 'dirtree')) {
        tree = await this.repo.loadDirTree(checksum);
      } else {
        this.progress.requested++;
        const bytes = await this.fetchMetadata('dirtree', checksum, this.maxMetadata);
        tree = decodeDirTree(bytes);
        await this.repo.writeMetadata('dirtree', bytes, checksum);
        this.progress.fetchedMetadata++;
        this.progress.report();
      }
      for (const f of tree.files) {
        if (wantedEntry(this.subpaths, path, f.name, false)) this.queueContent(checksumFromBytes(f.checksum));
      }
      for (const d of tree.dirs) {
        if (!wantedEntry(this.subpaths, path, d.name, true)) continue;
        this.queueDirMeta(checksumFromBytes(d.metaChecksum));
        this.queueDirTree(checksumFromBytes(d.treeChecksum), `${path}${d.name}/`);
      }
    });
  }

  queueContent(checksum: string): void {
    if (this.seenContent.has(checksum)) return;
    this.seenContent.add(checksum);
    this.pool.add(async () => {
      if (await this.repo.hasObject(checksum, 'file')) return;
      this.progress.requested++;
      const size = await this.fetchContent(checksum); // (not `+= await`: concurrent tasks would lose updates)
      this.progress.contentBytesWritten += size;
      this.progress.fetchedContent++;
      this.progress.report();
    });
  }

  /** Streams a `.filez` into the repository (see {@link storeFilez}); returns its content size. */
  async fetchContent(checksum: string): Promise<number> {
    const url = remoteUrl(this.remote.contentUrl, objectRelPath(checksum, 'filez'));
    const res = await this.fetcher.get(url);
    if (res === undefined) throw new OstreeError('OBJECT_NOT_FOUND', `Server returned HTTP 404 for ${url}: no content object ${checksum}`);
    const it = res.body[Symbol.asyncIterator]();
    const next = async (): Promise<Uint8Array | undefined> => {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await it.next();
      } catch (e) {
        throw transportError(url, e, this.fetcher.signal);
      }
      if (r.done) return undefined;
      this.fetcher.bytesTransferred += r.value.length;
      return r.value;
    };
    try {
      return await storeFilez(this.repo, checksum, url, next);
    } finally {
      await it.return?.().catch(() => undefined);
    }
  }
}

function checkOptions(options: PullOptions): { ref: string | undefined; requested: string }[] {
  if (options.remote !== undefined && !isValidRemoteName(options.remote)) {
    throw new OstreeError('INVALID_REF', `Invalid remote name ${options.remote}`);
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new OstreeError('INVALID_ARGUMENT', `concurrency must be a positive integer, got ${String(concurrency)}`);
  }
  const depth = options.depth ?? 0;
  if (!Number.isSafeInteger(depth) || depth < -1) throw new OstreeError('INVALID_ARGUMENT', `Invalid depth ${String(depth)}`);
  const targets: { ref: string | undefined; requested: string }[] = [];
  for (const r of options.refs) {
    if (isChecksum(r)) targets.push({ ref: undefined, requested: r });
    else if (isValidRef(r)) targets.push({ ref: r, requested: r });
    else throw new OstreeError('INVALID_REF', `Invalid ref name ${r}`);
  }
  if (targets.length === 0 && !options.mirror) throw new OstreeError('INVALID_ARGUMENT', 'No refs to pull');
  return targets;
}

/**
 * Pulls refs (or commits) from an HTTP(S) remote serving an archive-mode repository, like
 * `ostree pull REMOTE REF…` without deltas. Objects already in the repository are not
 * fetched, so an interrupted pull resumes where it stopped. Each commit is marked partial
 * (`state/C.commitpartial`) before it is written; the marker is removed and
 * `refs/remotes/REMOTE/REF` set only once every object of its tree is stored (with
 * `commitMetadataOnly` or `subpaths`, refs move but the marker stays, as in ostree).
 *
 * @throws {OstreeError} REF_NOT_FOUND (unknown remote or ref), OBJECT_NOT_FOUND (the server lacks
 *   an object), NETWORK_ERROR (transport failure, HTTP error status, oversized download, stall),
 *   CHECKSUM_MISMATCH / INVALID_OBJECT (bad bytes: nothing from them is stored), ABORTED,
 *   UNSUPPORTED (non-archive remote, GPG/sign verification, mirrorlist remotes)
 */
export async function pull(repo: Repo, options: PullOptions): Promise<PullResult> {
  let targets = checkOptions(options);
  const remote = await resolveRemote(repo, options.remote, options.url);
  if (options.requireStaticDeltas && repo.mode === 'archive') {
    throw new OstreeError('UNSUPPORTED', "Can't use static deltas in an archive repo");
  }
  // ostree never applies deltas into archive repos, nor for commit-only pulls.
  const deltasEnabled = !options.disableStaticDeltas && repo.mode !== 'archive' && !options.commitMetadataOnly;
  const localPath = fileUrlPath(remote.url);
  if (localPath !== undefined) {
    if (remote.commitVerification !== undefined || remote.summaryVerification !== undefined) {
      throw new OstreeError('UNSUPPORTED', 'signature verification of file:// remotes is not implemented yet');
    }
    return pullFromFileUrl(repo, localPath, remote, options);
  }

  const controller = new AbortController();
  const outer = options.signal;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  outer?.addEventListener('abort', onAbort, { once: true });
  const http = resilientHttpClient(options.http ?? fetchHttpClient(), {
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.stallTimeoutMs !== undefined ? { stallTimeoutMs: options.stallTimeoutMs } : {}),
  });
  const puller = new Puller(repo, remote, http, options, controller);
  try {
    return await withRepoLock(repo, 'shared', async () => {
      const pullAll = targets.length === 0; // mirror of every ref
      let needSummary = pullAll || targets.some((t) => t.ref !== undefined);
      let configIndexed = false;
      if (!needSummary && deltasEnabled) {
        // Commits only: the summary is needed just for its delta list, unless the remote indexes deltas.
        const kf = await puller.loadRemoteConfig();
        configIndexed = kf !== null && configBoolean(kf, 'core', 'indexed-deltas', false);
        needSummary = !configIndexed;
      }
      const fetched = needSummary ? await puller.fetchSummary() : undefined;
      const summary = fetched?.summary;
      if (pullAll) {
        if (summary === undefined) {
          throw new OstreeError('REF_NOT_FOUND', 'Fetching all refs was requested in mirror mode, but remote repository does not have a summary');
        }
        targets = summary.refs.map((r) => ({ ref: r.name, requested: r.name }));
      }
      const sources = deltaSources(summary, configIndexed);
      if (options.requireStaticDeltas && !sources.indexed && sources.summaryDeltas.length === 0) {
        throw new OstreeError('OBJECT_NOT_FOUND', 'Fetch configured to require static deltas, but no summary deltas or delta index found');
      }
      await puller.checkRemoteConfig(summary);
      const resolved: Target[] = [];
      for (const t of targets) {
        if (t.ref === undefined) resolved.push({ ...t, checksum: t.requested, maxSize: puller.maxMetadata });
        else resolved.push({ ...t, ...(await puller.resolveRef(t.ref, summary)) });
      }
      try {
        for (const t of resolved) await puller.pullTarget(t, deltasEnabled ? sources : undefined);
      } catch (e) {
        puller.pool.fail(e);
      }
      await puller.pool.drain().catch((e: unknown) => {
        throw controller.signal.aborted && !(e instanceof OstreeError) ? abortError(controller.signal) : e;
      });
      if (controller.signal.aborted) throw abortError(controller.signal);
      await repo.sync();
      const commits = new Map<string, string>();
      for (const t of resolved) commits.set(t.requested, t.checksum);
      // A commit-only or subpath pull leaves the commits partial, as ostree does.
      if (!options.commitMetadataOnly && puller.subpaths === undefined) {
        for (const c of puller.reachedCommits) await repo.setCommitPartial(c, false);
      }
      for (const t of resolved) {
        if (t.ref === undefined) continue;
        if (options.mirror) await repo.setRef({ remote: undefined, ref: t.ref }, t.checksum);
        else if (options.remote !== undefined) await repo.setRef({ remote: options.remote, ref: t.ref }, t.checksum);
      }
      if (options.mirror && pullAll && fetched?.bytes !== undefined) {
        // A mirror of everything also mirrors the summary (and its signature).
        await writeRepoFile(repo, 'summary', fetched.bytes);
        if (fetched.signature !== undefined) await writeRepoFile(repo, 'summary.sig', fetched.signature);
      }
      return { commits, progress: puller.progress.snapshot() };
    });
  } catch (e) {
    if (controller.signal.aborted && !(e instanceof OstreeError)) throw abortError(controller.signal);
    throw e;
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
}

async function writeRepoFile(repo: Repo, name: string, bytes: Uint8Array): Promise<void> {
  const tmp = joinPath(repo.tmpDir, `ostree-ts-${name}-${Math.random().toString(36).slice(2)}`);
  await repo.fs.writeFile(tmp, bytes, { mode: 0o644 });
  await repo.fs.rename(tmp, joinPath(repo.path, name));
}
