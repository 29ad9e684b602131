/**
 * `ostree pull` over HTTP for archive-mode remotes, by objects (spec §6): summary or
 * `refs/heads/REF`, then per commit `.commitmeta`, `.commit`, and the tree it reaches. Every
 * object is verified before it is stored; refs move only once the whole tree is present.
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
  isSymlinkMode,
  assertChecksumMatches,
  metadataChecksum,
  parseArchiveObject,
  readHeaderFrame,
  HEADER_FRAME_BYTES,
  lookupTyped,
  isValidRef,
  isValidRemoteName,
  type Commit,
  type Summary,
  type ObjectType,
} from '@ostree-ts/core';
import { resilientHttpClient } from './resilient.js';
import { createRawInflate, isCompressError } from '@ostree-ts/compress';
import { KeyFile } from '@ostree-ts/keyfile';
import { remoteGroup, withRepoLock, type Repo } from '@ostree-ts/repo';
import {
  discardBody,
  fetchHttpClient,
  isNotFoundStatus,
  readBody,
  remoteUrl,
  statusError,
  transportError,
  type HttpClient,
  type HttpResponse,
} from './http.js';
import { TaskPool } from './pool.js';

/** ostree's OSTREE_MAX_METADATA_SIZE: cap for config, refs, summary and metadata objects. */
export const MAX_METADATA_SIZE = 10 * 1024 * 1024;
/** ostree's default number of requests in flight. */
export const DEFAULT_CONCURRENCY = 8;

/** Progress counters, reported after every object. */
export interface PullProgress {
  /** Objects queued for download so far (metadata and content). */
  readonly requestedObjects: number;
  /** Objects downloaded, verified and stored. */
  readonly fetchedObjects: number;
  readonly fetchedMetadata: number;
  readonly fetchedContent: number;
  /** Bytes received over HTTP (compressed size, as transferred). */
  readonly bytesTransferred: number;
}

/**
 * Options of {@link pull}. CLI mapping: `ostree pull REMOTE REF…` → `{ remote, refs }`;
 * the remote's `url`/`contenturl` come from the repo config unless `url` is given.
 */
export interface PullOptions {
  /** Remote name (`[remote "NAME"]` in the config); refs are written to `refs/remotes/NAME/`. */
  readonly remote?: string;
  /**
   * Base URL, overriding the remote's `url` (and `contenturl`). Without `remote`, objects are
   * pulled and the commits returned, but no ref is written.
   */
  readonly url?: string;
  /** Refs to pull, or commit checksums (pulled without writing a ref). */
  readonly refs: readonly string[];
  /** HTTP client (default {@link fetchHttpClient} on `globalThis.fetch`). */
  readonly http?: HttpClient;
  /** Requests in flight at most (default 8, as ostree). */
  readonly concurrency?: number;
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
  /** Requested ref (or checksum) → commit checksum now complete in the repo. */
  readonly commits: ReadonlyMap<string, string>;
  readonly progress: PullProgress;
}

interface RemoteSpec {
  readonly url: string;
  readonly contentUrl: string;
}

const decoder = new TextDecoder();

function configBoolean(kf: KeyFile, group: string, key: string, fallback: boolean): boolean {
  if (!kf.hasKey(group, key)) return fallback;
  try {
    return kf.getBoolean(group, key);
  } catch (cause) {
    throw new OstreeError('INVALID_CONFIG', `Invalid boolean ${key} for ${group}`, { cause });
  }
}

function resolveRemote(repo: Repo, options: PullOptions): RemoteSpec {
  if (options.url !== undefined) return { url: options.url, contentUrl: options.url };
  const name = options.remote;
  if (name === undefined) throw new OstreeError('INVALID_ARGUMENT', 'pull needs a remote or a url');
  const kf = repo.config;
  const group = remoteGroup(name);
  if (!kf.hasGroup(group)) throw new OstreeError('REF_NOT_FOUND', `Remote "${name}" not found`);
  if (kf.hasKey(group, 'unconfigured-state')) {
    throw new OstreeError('INVALID_CONFIG', `remote unconfigured-state: ${kf.getValue(group, 'unconfigured-state')}`);
  }
  if (!kf.hasKey(group, 'url')) throw new OstreeError('INVALID_CONFIG', `No "url" option in remote "${name}"`);
  const url = kf.getValue(group, 'url');
  const contentUrl = kf.hasKey(group, 'contenturl') ? kf.getValue(group, 'contenturl') : url;
  for (const u of [url, contentUrl]) {
    if (u.startsWith('mirrorlist=')) throw new OstreeError('UNSUPPORTED', `mirrorlist URLs are not supported yet (remote "${name}")`);
    if (u.startsWith('file:')) throw new OstreeError('UNSUPPORTED', `file:// remotes are not supported yet (remote "${name}")`);
  }
  // Not verifying signatures that ostree would verify would silently weaken security: refuse.
  if (configBoolean(kf, group, 'gpg-verify', true) || configBoolean(kf, group, 'gpg-verify-summary', false)) {
    throw new OstreeError('UNSUPPORTED', `GPG verification is not implemented; remote "${name}" needs gpg-verify=false`);
  }
  for (const key of ['sign-verify', 'sign-verify-summary']) {
    if (kf.hasKey(group, key) && !['false', '0'].includes(kf.getValue(group, key).trim())) {
      throw new OstreeError('UNSUPPORTED', `signature verification (${key}) is not implemented (remote "${name}")`);
    }
  }
  return { url, contentUrl };
}

function objectRelPath(checksum: string, ext: string): string {
  return `objects/${checksum.slice(0, 2)}/${checksum.slice(2)}.${ext}`;
}

/** The binding check of ostree's `_ostree_repo_verify_bindings` (no collection ids yet). */
function verifyRefBinding(commit: Commit, checksum: string, ref: string | undefined): void {
  if (ref === undefined) return;
  const refs = lookupTyped<string[]>(commit.metadata, 'ostree.ref-binding', 'as');
  if (refs === undefined || refs.includes(ref)) return;
  const list = refs.length > 0 ? refs.map((r) => `‘${r}’`).join(', ') : 'no refs';
  throw new OstreeError(
    'INVALID_OBJECT',
    `Commit ${checksum}: Commit has no requested ref ‘${ref}’ in ref binding metadata (${list})`,
  );
}

class Puller {
  readonly pool: TaskPool;
  private readonly seenTrees = new Set<string>();
  private readonly seenMeta = new Set<string>();
  private readonly seenContent = new Set<string>();
  private requested = 0;
  private fetchedMetadata = 0;
  private fetchedContent = 0;
  private bytes = 0;

  constructor(
    readonly repo: Repo,
    readonly remote: RemoteSpec,
    readonly http: HttpClient,
    readonly options: PullOptions,
    controller: AbortController,
  ) {
    this.pool = new TaskPool(options.concurrency ?? DEFAULT_CONCURRENCY, controller);
  }

  get signal(): AbortSignal {
    return this.pool.signal;
  }

  get maxMetadata(): number {
    return this.options.maxMetadataSize ?? MAX_METADATA_SIZE;
  }

  progress(): PullProgress {
    return {
      requestedObjects: this.requested,
      fetchedObjects: this.fetchedMetadata + this.fetchedContent,
      fetchedMetadata: this.fetchedMetadata,
      fetchedContent: this.fetchedContent,
      bytesTransferred: this.bytes,
    };
  }

  private report(): void {
    this.options.onProgress?.(this.progress());
  }

  /** GET; undefined for not-found statuses; IO_ERROR for transport failures and other statuses. */
  async get(url: string): Promise<HttpResponse | undefined> {
    this.signal.throwIfAborted();
    let res: HttpResponse;
    try {
      res = await this.http.request(url, { signal: this.signal });
    } catch (e) {
      throw transportError(url, e, this.signal);
    }
    if (res.status >= 200 && res.status < 300) return res;
    await discardBody(res.body);
    if (isNotFoundStatus(res.status)) return undefined;
    throw statusError(url, res.status);
  }

  /** A whole small file; undefined when the server does not have it. */
  async getBytes(url: string, max: number): Promise<Uint8Array | undefined> {
    const res = await this.get(url);
    if (res === undefined) return undefined;
    const bytes = await readBody(url, res.body, max, this.signal);
    this.bytes += bytes.length;
    return bytes;
  }

  async fetchSummary(): Promise<Summary | undefined> {
    const bytes = await this.getBytes(remoteUrl(this.remote.url, 'summary'), this.maxMetadata);
    return bytes === undefined ? undefined : decodeSummary(bytes);
  }

  /** Fetches the remote config and checks its mode is archive (ostree's rule for HTTP pulls). */
  async checkRemoteConfig(summary: Summary | undefined): Promise<void> {
    const bytes = await this.getBytes(remoteUrl(this.remote.url, 'config'), this.maxMetadata);
    let mode: string | undefined;
    if (bytes !== undefined) {
      let kf: KeyFile;
      try {
        kf = KeyFile.parse(decoder.decode(bytes));
      } catch (cause) {
        throw new OstreeError('INVALID_CONFIG', `Couldn't parse remote config: ${(cause as Error).message}`, { cause });
      }
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
    const bytes = await this.getBytes(url, this.maxMetadata);
    if (bytes === undefined) throw new OstreeError('REF_NOT_FOUND', `Server returned HTTP 404 for ${url}: no such ref '${ref}'`);
    const text = decoder.decode(bytes).trim();
    if (!isChecksum(text)) throw new OstreeError('INVALID_CHECKSUM', `Invalid checksum in ${url}: ${JSON.stringify(text.slice(0, 80))}`);
    return { checksum: text, maxSize: this.maxMetadata };
  }

  /** Downloads a hashed metadata object and checks its checksum (not yet its structure). */
  async fetchMetadata(type: ObjectType, checksum: string, max: number): Promise<Uint8Array> {
    const url = remoteUrl(this.remote.contentUrl, objectRelPath(checksum, type));
    const bytes = await this.getBytes(url, max);
    if (bytes === undefined) throw new OstreeError('OBJECT_NOT_FOUND', `Server returned HTTP 404 for ${url}: no ${type} object ${checksum}`);
    assertChecksumMatches(checksum, metadataChecksum(bytes, this.repo.hash), `${type} object`);
    return bytes;
  }

  /**
   * Fetches (if needed), verifies and stores a commit, marking it partial first, and queues
   * its tree unless the commit is already complete locally.
   */
  async fetchCommit(checksum: string, ref: string | undefined, maxSize: number): Promise<void> {
    // Detached metadata first, always (ostree re-fetches it to pick up new signatures).
    const metaUrl = remoteUrl(this.remote.url, objectRelPath(checksum, 'commitmeta'));
    const metaBytes = await this.getBytes(metaUrl, this.maxMetadata);
    const detached = metaBytes === undefined ? undefined : decodeCommitMeta(metaBytes);

    let commit: Commit;
    const present = await this.repo.hasObject(checksum, 'commit');
    if (present) {
      commit = await this.repo.loadCommit(checksum);
      verifyRefBinding(commit, checksum, ref);
      if (detached !== undefined) await this.repo.writeCommitMeta(checksum, detached);
      if (!(await this.repo.isCommitPartial(checksum))) return;
    } else {
      this.requested++;
      const bytes = await this.fetchMetadata('commit', checksum, maxSize);
      commit = decodeCommit(bytes);
      verifyRefBinding(commit, checksum, ref);
      await this.repo.setCommitPartial(checksum, true);
      if (detached !== undefined) await this.repo.writeCommitMeta(checksum, detached);
      await this.repo.writeMetadata('commit', bytes, checksum);
      this.fetchedMetadata++;
      this.report();
    }
    this.queueDirMeta(commit.rootMeta);
    this.queueDirTree(commit.rootTree);
  }

  queueDirMeta(checksum: string): void {
    if (this.seenMeta.has(checksum)) return;
    this.seenMeta.add(checksum);
    this.pool.add(async () => {
      if (await this.repo.hasObject(checksum, 'dirmeta')) return;
      this.requested++;
      const bytes = await this.fetchMetadata('dirmeta', checksum, this.maxMetadata);
      decodeDirMeta(bytes);
      await this.repo.writeMetadata('dirmeta', bytes, checksum);
      this.fetchedMetadata++;
      this.report();
    });
  }

  queueDirTree(checksum: string): void {
    if (this.seenTrees.has(checksum)) return;
    this.seenTrees.add(checksum);
    this.pool.add(async () => {
      let tree;
      if (await this.repo.hasObject(checksum, 'dirtree')) {
        tree = await this.repo.loadDirTree(checksum);
      } else {
        this.requested++;
        const bytes = await this.fetchMetadata('dirtree', checksum, this.maxMetadata);
        tree = decodeDirTree(bytes);
        await this.repo.writeMetadata('dirtree', bytes, checksum);
        this.fetchedMetadata++;
        this.report();
      }
      for (const f of tree.files) this.queueContent(checksumFromBytes(f.checksum));
      for (const d of tree.dirs) {
        this.queueDirMeta(checksumFromBytes(d.metaChecksum));
        this.queueDirTree(checksumFromBytes(d.treeChecksum));
      }
    });
  }

  queueContent(checksum: string): void {
    if (this.seenContent.has(checksum)) return;
    this.seenContent.add(checksum);
    this.pool.add(async () => {
      if (await this.repo.hasObject(checksum, 'file')) return;
      this.requested++;
      await this.fetchContent(checksum);
      this.fetchedContent++;
      this.report();
    });
  }

  /**
   * Streams a `.filez`: header, then the raw-deflate payload inflated (capped at the declared
   * size) into the repository, which re-hashes it and stores it only if the checksum matches.
   */
  async fetchContent(checksum: string): Promise<void> {
    const url = remoteUrl(this.remote.contentUrl, objectRelPath(checksum, 'filez'));
    const res = await this.get(url);
    if (res === undefined) throw new OstreeError('OBJECT_NOT_FOUND', `Server returned HTTP 404 for ${url}: no content object ${checksum}`);
    const it = res.body[Symbol.asyncIterator]();
    const next = async (): Promise<Uint8Array | undefined> => {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await it.next();
      } catch (e) {
        throw transportError(url, e, this.signal);
      }
      if (r.done) return undefined;
      this.bytes += r.value.length;
      return r.value;
    };
    const invalid = (detail: string, cause?: unknown) =>
      new OstreeError('INVALID_OBJECT', `Corrupted content object ${checksum} from ${url}: ${detail}`, { cause });
    try {
      // The framed header: 8 bytes of frame, then its length.
      let prefix = new Uint8Array(0);
      let need = HEADER_FRAME_BYTES;
      let headerKnown = false;
      for (;;) {
        if (!headerKnown && prefix.length >= HEADER_FRAME_BYTES) {
          need = HEADER_FRAME_BYTES + readHeaderFrame(prefix);
          headerKnown = true;
        }
        if (headerKnown && prefix.length >= need) break;
        const chunk = await next();
        if (chunk === undefined) throw invalid('truncated header');
        const grown = new Uint8Array(prefix.length + chunk.length);
        grown.set(prefix);
        grown.set(chunk, prefix.length);
        prefix = grown;
      }
      const archive = parseArchiveObject(prefix);
      if (archive.size > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`declared size ${archive.size} too large`);
      const size = Number(archive.size);
      const header = archive.header;
      const rest = prefix.subarray(archive.payloadOffset);
      const symlink = isSymlinkMode(header.mode);
      if (symlink && size !== 0) throw invalid('symlink with a payload size');
      async function* payload(): AsyncGenerator<Uint8Array> {
        if (symlink) {
          if (rest.length > 0) throw invalid('bytes after a symlink header');
          for (let c = await next(); c !== undefined; c = await next()) if (c.length > 0) throw invalid('bytes after a symlink header');
          return;
        }
        const inflate = createRawInflate({ maxOutputBytes: size });
        try {
          if (rest.length > 0) yield* inflate.push(rest);
          for (let c = await next(); c !== undefined; c = await next()) yield* inflate.push(c);
          yield* inflate.end();
        } catch (e) {
          if (isCompressError(e)) throw invalid(e.message, e);
          throw e;
        }
      }
      try {
        await this.repo.writeContent({ header, size, payload: payload() }, { expectedChecksum: checksum });
      } catch (e) {
        // A payload shorter than its declared size.
        if (e instanceof OstreeError && e.code === 'INVALID_ARGUMENT') throw invalid(e.message, e);
        throw e;
      }
    } finally {
      await it.return?.().catch(() => undefined);
    }
  }
}

/**
 * Pulls refs (or commits) from an HTTP(S) remote serving an archive-mode repository, like
 * `ostree pull REMOTE REF…` without deltas. Objects already in the repository are not
 * fetched, so an interrupted pull resumes where it stopped. Each commit is marked partial
 * (`state/C.commitpartial`) before it is written; the marker is removed and
 * `refs/remotes/REMOTE/REF` set only once every object of its tree is stored.
 *
 * @throws {OstreeError} REF_NOT_FOUND (unknown remote or ref), OBJECT_NOT_FOUND (the server lacks
 *   an object), IO_ERROR (transport failure, HTTP error status, oversized download),
 *   CHECKSUM_MISMATCH / INVALID_OBJECT (bad bytes: nothing from them is stored),
 *   UNSUPPORTED (non-archive remote, GPG/sign verification, file:// or mirrorlist remotes)
 */
export async function pull(repo: Repo, options: PullOptions): Promise<PullResult> {
  if (options.remote !== undefined && !isValidRemoteName(options.remote)) {
    throw new OstreeError('INVALID_REF', `Invalid remote name ${options.remote}`);
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new OstreeError('INVALID_ARGUMENT', `concurrency must be a positive integer, got ${String(concurrency)}`);
  }
  const targets: { ref: string | undefined; requested: string }[] = [];
  for (const r of options.refs) {
    if (isChecksum(r)) targets.push({ ref: undefined, requested: r });
    else if (isValidRef(r)) targets.push({ ref: r, requested: r });
    else throw new OstreeError('INVALID_REF', `Invalid ref name ${r}`);
  }
  if (targets.length === 0) throw new OstreeError('INVALID_ARGUMENT', 'No refs to pull');
  const remote = resolveRemote(repo, options);

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
      const needSummary = targets.some((t) => t.ref !== undefined);
      const summary = needSummary ? await puller.fetchSummary() : undefined;
      await puller.checkRemoteConfig(summary);
      const resolved: { ref: string | undefined; requested: string; checksum: string; maxSize: number }[] = [];
      for (const t of targets) {
        if (t.ref === undefined) resolved.push({ ...t, checksum: t.requested, maxSize: puller.maxMetadata });
        else resolved.push({ ...t, ...(await puller.resolveRef(t.ref, summary)) });
      }
      try {
        for (const t of resolved) await puller.fetchCommit(t.checksum, t.ref, t.maxSize);
      } catch (e) {
        puller.pool.fail(e);
      }
      await puller.pool.drain();
      if (controller.signal.aborted) throw controller.signal.reason;
      await repo.sync();
      const commits = new Map<string, string>();
      for (const t of resolved) {
        await repo.setCommitPartial(t.checksum, false);
        commits.set(t.requested, t.checksum);
      }
      if (options.remote !== undefined) {
        for (const t of resolved) if (t.ref !== undefined) await repo.setRef({ remote: options.remote, ref: t.ref }, t.checksum);
      }
      return { commits, progress: puller.progress() };
    });
  } finally {
    outer?.removeEventListener('abort', onAbort);
  }
}
