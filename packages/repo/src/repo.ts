/**
 * An open OSTree repository: its configuration, object store and refs. Higher-level
 * operations (committing trees, summaries, fsck, prune) are free functions taking a Repo.
 * @module
 */
import {
  OstreeError,
  decodeCommit,
  decodeCommitMeta,
  decodeDirMeta,
  decodeDirTree,
  defaultSha256,
  encodeCommitMeta,
  encodeTombstone,
  formatRefspec,
  parseLooseObjectName,
  type Commit,
  type DirMeta,
  type DirTree,
  type Metadata,
  type ObjectName,
  type ObjectType,
  type Refspec,
  type RepoMode,
  type Sha256Factory,
} from '@ostree-ts/core';
import { hasErrorCode, type Fs } from '@ostree-ts/io';
import { KeyFile } from '@ostree-ts/keyfile';
import { initialConfig, readCoreSettings, type CoreSettings } from './config.js';
import { ifExists } from './fs-errors.js';
import { loadContentObject, type ContentObject } from './objects/content-read.js';
import { writeContentObject, type ContentInput, type ContentWriteOptions } from './objects/content-write.js';
import { readMetadataObject, writeMetadataObject, type WriteResult } from './objects/metadata-objects.js';
import { objectDir, objectPath } from './objects/paths.js';
import type { AsyncDeflaterFactory, StoreContext } from './objects/store-context.js';
import { joinPath } from './path.js';
import { listLocalRefs, listRemoteRefs, parseRev, readRefspec, writeRef } from './refs.js';
import { tempPath } from './temp.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const LISTED_TYPES: ReadonlySet<ObjectType> = new Set(['file', 'dirtree', 'dirmeta', 'commit', 'payload-link']);

/** Options for opening or creating a repository. */
export interface RepoOptions {
  /** SHA-256 implementation (default: node:crypto on Node, @noble/hashes elsewhere). */
  readonly hash?: Sha256Factory;
  /**
   * Where archive-mode content is compressed (default: in this thread). On Node,
   * `createDeflatePool().open` from `@ostree-ts/compress-workers` spreads it over every core
   * with byte-identical output.
   */
  readonly deflater?: AsyncDeflaterFactory;
}

/** An open repository. Obtain one with {@link openRepo} or {@link initRepo}. */
export class Repo {
  /** The parsed `config`; call {@link Repo.saveConfig} after changing it. */
  config: KeyFile;
  /** Settings read from `config` when the repo was opened (or last saved). */
  settings: CoreSettings;
  private readonly createdDirs = new Set<string>();
  /** @internal */
  readonly store: StoreContext;

  /** @internal use {@link openRepo} */
  constructor(
    readonly fs: Fs,
    readonly path: string,
    config: KeyFile,
    readonly hash: Sha256Factory,
    deflater?: AsyncDeflaterFactory,
  ) {
    this.config = config;
    this.settings = readCoreSettings(config);
    const repo = this;
    this.store = {
      fs,
      repoPath: path,
      tmpDir: joinPath(path, 'tmp'),
      get mode() {
        return repo.settings.mode;
      },
      hash,
      get zlibLevel() {
        return repo.settings.zlibLevel;
      },
      get disableXattrs() {
        return repo.settings.disableXattrs;
      },
      deflater,
      ensureObjectDir: (checksum) => this.ensureObjectDir(checksum),
    };
  }

  /** The repository mode. */
  get mode(): RepoMode {
    return this.settings.mode;
  }

  /** Absolute path of the repo's `tmp/`. */
  get tmpDir(): string {
    return this.store.tmpDir;
  }

  private async ensureObjectDir(checksum: string): Promise<void> {
    const prefix = checksum.slice(0, 2);
    if (this.createdDirs.has(prefix)) return;
    try {
      await this.fs.mkdir(objectDir(this.path, checksum), { mode: 0o775 });
    } catch (e) {
      if (!hasErrorCode(e, 'EEXIST')) throw e;
    }
    this.createdDirs.add(prefix);
  }

  /** Writes `config` atomically and re-reads the settings from it. */
  async saveConfig(): Promise<void> {
    this.settings = readCoreSettings(this.config);
    const tmp = tempPath(this.tmpDir, 'config');
    await this.fs.writeFile(tmp, encoder.encode(this.config.toString()), { mode: 0o644 });
    await this.fs.rename(tmp, joinPath(this.path, 'config'));
  }

  /** True if the object exists. */
  async hasObject(checksum: string, type: ObjectType): Promise<boolean> {
    return (await this.fs.lstatIfExists(objectPath(this.path, this.mode, checksum, type))) !== undefined;
  }

  /** Raw bytes of a metadata object. @throws {OstreeError} OBJECT_NOT_FOUND */
  readMetadata(type: ObjectType, checksum: string): Promise<Uint8Array> {
    return readMetadataObject(this.store, type, checksum);
  }

  /** A commit. @throws {OstreeError} OBJECT_NOT_FOUND, INVALID_OBJECT */
  async loadCommit(checksum: string): Promise<Commit> {
    return decodeCommit(await this.readMetadata('commit', checksum));
  }

  /** A dirtree. @throws {OstreeError} OBJECT_NOT_FOUND, INVALID_OBJECT */
  async loadDirTree(checksum: string): Promise<DirTree> {
    return decodeDirTree(await this.readMetadata('dirtree', checksum));
  }

  /** A dirmeta. @throws {OstreeError} OBJECT_NOT_FOUND, INVALID_OBJECT */
  async loadDirMeta(checksum: string): Promise<DirMeta> {
    return decodeDirMeta(await this.readMetadata('dirmeta', checksum));
  }

  /** Detached metadata of a commit, or undefined if it has none. */
  async loadCommitMeta(checksum: string): Promise<Metadata | undefined> {
    const bytes = await ifExists(() => this.fs.readFile(objectPath(this.path, this.mode, checksum, 'commitmeta')));
    return bytes === undefined ? undefined : decodeCommitMeta(bytes);
  }

  /** Replaces (or with undefined, removes) a commit's detached metadata. */
  async writeCommitMeta(checksum: string, meta: Metadata | undefined): Promise<void> {
    if (meta === undefined) {
      await ifExists(() => this.fs.unlink(objectPath(this.path, this.mode, checksum, 'commitmeta')));
      return;
    }
    await writeMetadataObject(this.store, 'commitmeta', encodeCommitMeta(meta), checksum, true);
  }

  /** A content object: header now, payload on demand. @throws {OstreeError} OBJECT_NOT_FOUND */
  loadContent(checksum: string): Promise<ContentObject> {
    return loadContentObject(this.store, checksum);
  }

  /**
   * Writes a metadata object (idempotent: an existing object is kept).
   * @param name - expected checksum for hashed types; the commit checksum for commitmeta/tombstones
   */
  writeMetadata(type: ObjectType, bytes: Uint8Array, name?: string): Promise<WriteResult> {
    return writeMetadataObject(this.store, type, bytes, name);
  }

  /** Writes a content object (idempotent). */
  writeContent(input: ContentInput, options?: ContentWriteOptions): Promise<WriteResult> {
    return writeContentObject(this.store, input, options);
  }

  /**
   * Removes an object (no error if absent). Deleting a commit also deletes its detached
   * metadata and, with `core.tombstone-commits`, leaves a tombstone, as ostree does.
   */
  async deleteObject(checksum: string, type: ObjectType): Promise<void> {
    if (type === 'commit') await ifExists(() => this.fs.unlink(objectPath(this.path, this.mode, checksum, 'commitmeta')));
    await ifExists(() => this.fs.unlink(objectPath(this.path, this.mode, checksum, type)));
    if (type === 'commit' && this.settings.tombstoneCommits) {
      await writeMetadataObject(this.store, 'tombstone-commit', encodeTombstone(checksum), checksum, true);
    }
  }

  /** Size in bytes of a stored object (what removing it frees). */
  async objectStorageSize(checksum: string, type: ObjectType): Promise<number> {
    return (await this.fs.lstat(objectPath(this.path, this.mode, checksum, type))).size;
  }

  /**
   * Every loose object ostree counts: content, dirtree, dirmeta, commit and payload-link
   * objects (detached metadata and tombstones belong to their commit and are not listed).
   */
  async *listObjects(): AsyncIterable<ObjectName> {
    const base = joinPath(this.path, 'objects');
    for (const prefix of (await this.fs.readdir(base)).sort()) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of (await this.fs.readdir(joinPath(base, prefix))).sort()) {
        const obj = parseLooseObjectName(prefix, name);
        if (obj !== undefined && LISTED_TYPES.has(obj.type)) yield obj;
      }
    }
  }

  /** True if `state/CHECKSUM.commitpartial` marks the commit's tree as incomplete. */
  async isCommitPartial(checksum: string): Promise<boolean> {
    return (await this.fs.lstatIfExists(joinPath(this.path, 'state', `${checksum}.commitpartial`))) !== undefined;
  }

  /** Marks or unmarks a commit as partial (`state/CHECKSUM.commitpartial`). */
  async setCommitPartial(checksum: string, partial: boolean, reason = ''): Promise<void> {
    const p = joinPath(this.path, 'state', `${checksum}.commitpartial`);
    if (partial) await this.fs.writeFile(p, encoder.encode(reason), { mode: 0o644, exclusive: false });
    else await ifExists(() => this.fs.unlink(p));
  }

  /** Local refs (ref name → checksum), optionally under a prefix. */
  listRefs(prefix?: string): Promise<Map<string, string>> {
    return listLocalRefs(this.fs, this.path, prefix);
  }

  /** Remote refs (`remote:ref` → checksum), for one remote or all. */
  listRemoteRefs(remote?: string): Promise<Map<string, string>> {
    return listRemoteRefs(this.fs, this.path, remote);
  }

  /**
   * Resolves a revision: a checksum, `[remote:]ref`, each optionally followed by `^` for parents.
   * @throws {OstreeError} REF_NOT_FOUND when it does not resolve (unless `allowNoent`)
   */
  async resolveRev(rev: string, options: { allowNoent?: boolean } = {}): Promise<string | undefined> {
    const { spec, parents } = parseRev(rev);
    let csum = await readRefspec(this.fs, this.path, spec, true);
    if (csum === undefined) {
      if (options.allowNoent && parents === 0) return undefined;
      throw new OstreeError('REF_NOT_FOUND', `Refspec '${formatRefspec(spec)}' not found`);
    }
    for (let i = 0; i < parents; i++) {
      const parent: string | undefined = (await this.loadCommit(csum)).parent;
      if (parent === undefined) throw new OstreeError('REF_NOT_FOUND', `Commit ${csum} has no parent`);
      csum = parent;
    }
    return csum;
  }

  /** Points a ref at a commit, or deletes it when `checksum` is undefined. */
  async setRef(spec: Refspec | string, checksum: string | undefined): Promise<void> {
    const s = typeof spec === 'string' ? parseRev(spec).spec : spec;
    await writeRef(this.fs, this.path, this.tmpDir, s, checksum);
  }

  /** Flushes the filesystem if `core.fsync` is on (before refs move, as ostree does). */
  async sync(): Promise<void> {
    if (this.settings.fsync) await this.fs.syncfs(this.path);
  }
}

/**
 * Opens an existing repository.
 * @throws {OstreeError} REPO_NOT_FOUND when there is no repository at `path`; INVALID_CONFIG for a bad config
 */
export async function openRepo(fs: Fs, path: string, options: RepoOptions = {}): Promise<Repo> {
  const objects = await fs.lstatIfExists(joinPath(path, 'objects'));
  if (objects === undefined) throw new OstreeError('REPO_NOT_FOUND', `opening repo: No such repository at ${path}`);
  let text: string;
  try {
    text = decoder.decode(await fs.readFile(joinPath(path, 'config')));
  } catch (cause) {
    throw new OstreeError('REPO_NOT_FOUND', `opening repo: Couldn't read ${path}/config`, { cause });
  }
  let kf: KeyFile;
  try {
    // ostree reads config without comments, so every write it makes drops them; so do we.
    kf = KeyFile.parse(text, { keepComments: false });
  } catch (cause) {
    throw new OstreeError('INVALID_CONFIG', `Couldn't parse config file: ${(cause as Error).message}`, { cause });
  }
  return new Repo(fs, path, kf, options.hash ?? defaultSha256, options.deflater);
}

/** Options for {@link initRepo}. */
export interface InitOptions extends RepoOptions {
  readonly mode: RepoMode;
  readonly collectionId?: string;
}

/**
 * Creates a repository as `ostree init` does (config first, `objects/` last, so a repo exists
 * only once it is complete). Like ostree, initialising where a repository already exists
 * changes nothing and opens it (whatever its mode), and only the last path component is
 * created.
 */
export async function initRepo(fs: Fs, path: string, options: InitOptions): Promise<Repo> {
  if ((await fs.lstatIfExists(joinPath(path, 'objects'))) !== undefined) return openRepo(fs, path, options);
  try {
    await fs.mkdir(path, { mode: 0o775 });
  } catch (e) {
    if (!hasErrorCode(e, 'EEXIST')) throw e;
  }
  const kf = initialConfig(options.mode, options.collectionId);
  const configPath = joinPath(path, 'config');
  if ((await fs.lstatIfExists(configPath)) === undefined) await fs.writeFile(configPath, encoder.encode(kf.toString()), { mode: 0o644 });
  for (const dir of ['tmp', 'tmp/cache', 'extensions', 'state', 'refs', 'refs/heads', 'refs/mirrors', 'refs/remotes', 'objects']) {
    await fs.mkdir(joinPath(path, dir), { recursive: true, mode: 0o775 });
  }
  return openRepo(fs, path, options);
}
