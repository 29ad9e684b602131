/**
 * Checking out a commit (or part of it) into a directory, as `ostree checkout` /
 * `ostree_repo_checkout_at` do: directories are created 0700 and given their mode, owner and
 * mtime 0 once their contents are complete; files are hardlinked into the object store when
 * the repository and checkout modes allow it, copied otherwise (inflated from archive
 * repos, reflinked where the filesystem can).
 *
 * Safety: every name is validated before it is used, the destination is never traversed
 * through a symlink (entries are created exclusively and inspected with lstat; in union
 * modes an existing symlink where the commit has a directory is replaced, not followed), and
 * nothing is written outside the destination (plus the repository's own `tmp/` and
 * `uncompressed-objects-cache/`, as ostree does).
 * @module
 */
import {
  OstreeError,
  S_IFDIR,
  S_IFMT,
  checksumFromBytes,
  createContentHasher,
  dirTreeProblem,
  xattrName,
  type DirMeta,
  type DirTree,
  type FileHeader,
  type RepoMode,
} from '@ostree-ts/core';
import { hasErrorCode, type Fs, type Stat } from '@ostree-ts/io';
import { joinPath, readDiskXattrs, type Repo } from '@ostree-ts/repo';
import { asOstreeError, errnoError, errnoOf, prefixed, withPrefix } from './errors.js';
import { resolveCheckoutOptions, type CheckoutOptions, type ResolvedOptions } from './options.js';
import { REFLINK_UNSUPPORTED_CODES, canKernelCopy, canReflink, type KernelCopyFs, type ReflinkFs } from './reflink.js';
import { Scheduler, type TaskKey } from './scheduler.js';
import { SourceReader, type SourceInfo } from './source.js';
import { resolveSubpath } from './subpath.js';

/** What a checkout did, by kind of operation. */
export interface CheckoutStats {
  /** Directories created (existing ones kept in union modes are not counted). */
  directories: number;
  /** Files hardlinked from the object store (or from the uncompressed-objects cache). */
  hardlinks: number;
  /** Regular files whose bytes were copied (or inflated). */
  copies: number;
  /** Regular files cloned with {@link ReflinkFs.cloneFile}. */
  reflinks: number;
  /** Symlinks created (bare-family repos in hardlink mode link them instead). */
  symlinks: number;
  /** Whiteouts processed (`--whiteouts`). */
  whiteouts: number;
  /** Files left as they were because they already existed (union-add) or were identical (union, union-identical). */
  existing: number;
  /** Entries skipped by `skipList` or `filter`. */
  filtered: number;
  /** Objects written to the uncompressed-objects cache (archive repos, user mode). */
  cacheWrites: number;
  /** Payload bytes copied or inflated. */
  bytesCopied: number;
}

/** Result of {@link checkout}. */
export interface CheckoutResult {
  /** The commit checked out (the resolved `rev`). */
  readonly commit: string;
  /** False when `allowNoent` applied: the subpath does not exist and nothing was done. */
  readonly checkedOut: boolean;
  readonly stats: CheckoutStats;
}

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_IRUSR = 0o400;
const PERMS = 0o7777;
const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_WHITEOUT_NAME = '.wh..wh..opq';
const OVERLAYFS_WHITEOUT_PREFIX = '.ostree-wh.';
const CACHE_DIR = 'uncompressed-objects-cache';

type HardlinkResult = 'linked' | 'skip-existed' | 'not-supported';

interface DirNode {
  /** Position of the directory in ostree's traversal order. */
  readonly key: TaskKey;
  readonly path: string;
  readonly name: string;
  readonly parent: DirNode | undefined;
  readonly meta: DirMeta;
  readonly didExist: boolean;
  /** Children not finished yet, plus one while the directory is still being expanded. */
  pending: number;
}

/** Index of a directory's finishing step among its children's keys: after all of them. */
const FINISH_INDEX = 2 ** 31;

/** Name problems ostree's ot_util_filename_validate reports (plus empty and NUL, which it cannot meet). */
function filenameError(name: string): OstreeError | undefined {
  let msg: string | undefined;
  if (name === '.') msg = "Invalid self-referential filename '.'";
  else if (name === '..') msg = "Invalid path uplink filename '..'";
  else if (name.includes('/')) msg = `Invalid / in filename ${name}`;
  else if (name.length === 0) msg = 'Invalid empty filename';
  else if (name.includes('\0')) msg = `Invalid NUL in filename ${JSON.stringify(name)}`;
  return msg === undefined ? undefined : new OstreeError('INVALID_FILENAME', msg);
}

function assertFilename(name: string): void {
  const e = filenameError(name);
  if (e) throw e;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function randomName(prefix: string, length = 12): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let s = prefix;
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return s;
}

function isBareFamily(mode: RepoMode): boolean {
  return mode === 'bare' || mode === 'bare-user' || mode === 'bare-user-only';
}

/** ostree's `_ostree_stbuf_equal`: same mode, owner, and (regular files) size. */
function stbufEqual(a: Stat, b: Stat): boolean {
  if (a.mode !== b.mode) return false;
  if ((a.mode & S_IFMT) === 0o100000 && a.size !== b.size) return false;
  return a.uid === b.uid && a.gid === b.gid;
}

function newStats(): CheckoutStats {
  return { directories: 0, hardlinks: 0, copies: 0, reflinks: 0, symlinks: 0, whiteouts: 0, existing: 0, filtered: 0, cacheWrites: 0, bytesCopied: 0 };
}

/** @internal The per-checkout engine. */
class Engine {
  readonly stats = newStats();
  readonly fs: Fs;
  readonly repoFs: Fs;
  readonly scheduler: Scheduler;
  readonly sameFs: boolean;
  readonly objectsDir: string;
  readonly cacheDir: string;
  readonly treeCache = new Map<string, Promise<DirTree>>();
  readonly metaCache = new Map<string, Promise<DirMeta>>();
  readonly source: SourceReader;
  cacheDirExists = false;
  reflink: ReflinkFs | undefined;
  kernelCopy: KernelCopyFs | undefined;
  repoDev: bigint | undefined;
  /** ostree's is_hardlinkable for this repo and checkout mode. */
  readonly hardlinkable: boolean;
  readonly repoIsUsermode: boolean;
  readonly useCache: boolean;

  constructor(
    readonly repo: Repo,
    readonly opts: ResolvedOptions,
    destinationFs: Fs | undefined,
  ) {
    this.repoFs = repo.fs;
    this.fs = destinationFs ?? repo.fs;
    this.sameFs = this.fs === this.repoFs;
    this.scheduler = new Scheduler(opts.concurrency);
    this.objectsDir = joinPath(repo.path, 'objects');
    this.cacheDir = joinPath(repo.path, CACHE_DIR);
    const mode = repo.mode;
    this.repoIsUsermode = mode === 'bare-user' || mode === 'bare-user-only';
    this.hardlinkable = (mode === 'bare' && !opts.userMode) || (this.repoIsUsermode && opts.userMode);
    const repoCacheSetting = repo.config.hasKey('core', 'enable-uncompressed-cache') ? repo.config.getBoolean('core', 'enable-uncompressed-cache') : true;
    this.useCache = opts.enableUncompressedCache && repoCacheSetting && mode === 'archive' && opts.userMode;
    this.reflink = canReflink(this.fs) && this.sameFs && isBareFamily(mode) ? this.fs : undefined;
    this.kernelCopy = canKernelCopy(this.fs) && this.sameFs && isBareFamily(mode) ? this.fs : undefined;
    this.source = new SourceReader(repo, { hardlinkable: this.hardlinkable, forceCopy: opts.forceCopy, userMode: opts.userMode });
  }

  // ---- loading -----------------------------------------------------------------------

  loadTree(checksum: string): Promise<DirTree> {
    let p = this.treeCache.get(checksum);
    if (p === undefined) {
      p = this.repo.loadDirTree(checksum);
      // Only the (common) empty tree and the ones needed twice in a row are worth keeping.
      if (this.treeCache.size > 256) this.treeCache.clear();
      this.treeCache.set(checksum, p);
    }
    return p;
  }

  loadMeta(checksum: string): Promise<DirMeta> {
    let p = this.metaCache.get(checksum);
    if (p === undefined) {
      p = this.repo.loadDirMeta(checksum);
      if (this.metaCache.size > 4096) this.metaCache.clear();
      this.metaCache.set(checksum, p);
    }
    return p;
  }

  /** Loose path of a content object relative to `objects/` in bare form (`ab/cdef….file`), as ostree prints it. */
  static loosePath(checksum: string): string {
    return `${checksum.slice(0, 2)}/${checksum.slice(2)}.file`;
  }

  // ---- directories -------------------------------------------------------------------

  /** Creates (or, in union modes, adopts) a directory; ostree's mkdirat + opendirat step. */
  async makeDirectory(path: string, name: string, isRoot: boolean): Promise<boolean> {
    try {
      await this.fs.mkdir(path, { mode: 0o700 });
      return false;
    } catch (e) {
      if (!hasErrorCode(e, 'EEXIST')) throw prefixed('mkdirat', e);
      if (this.opts.overwrite === 'none') throw prefixed('mkdirat', e);
    }
    // The destination itself is the caller's path and may be a symlink to a directory, as
    // with ostree; anything inside it is inspected without following.
    const st = isRoot ? await this.fs.stat(path) : await this.fs.lstat(path);
    if (st.type === 'directory') return true;
    if (st.type === 'symlink') {
      // ostree would follow it (opendirat) and write wherever it points. Never follow: in
      // union and union-add modes the symlink is replaced by the directory, and
      // union-identical refuses it (a symlink is not the directory the commit has).
      if (this.opts.overwrite === 'union-identical') {
        throw new OstreeError('ALREADY_EXISTS', `existing destination ${name} is a symlink, not a directory`);
      }
      await withPrefix(`unlinkat(${name})`, () => this.fs.unlink(path));
      await withPrefix('mkdirat', () => this.fs.mkdir(path, { mode: 0o700 }));
      return false;
    }
    throw errnoError(`opendir(${name})`, 'ENOTDIR');
  }

  async checkDevice(path: string): Promise<void> {
    if (!this.opts.noCopyFallback) return;
    this.repoDev ??= (await this.repoFs.stat(this.repo.path)).dev;
    const destDev = (await this.fs.stat(path)).dev;
    if (!this.sameFs || destDev !== this.repoDev) {
      throw new OstreeError(
        'UNSUPPORTED',
        `Unable to do hardlink checkout across devices (src=${this.repoDev} destination=${destDev})`,
      );
    }
  }

  /** Expands one directory of the commit: creates it, then queues its files and subdirectories. */
  async checkoutDirectory(
    parent: DirNode | undefined,
    key: TaskKey,
    path: string,
    name: string,
    treeChecksum: string,
    metaChecksum: string,
    filterPath: string,
  ): Promise<void> {
    const tree = await this.loadTree(treeChecksum);
    const meta = await this.loadMeta(metaChecksum);
    // Validate every name of this directory (and that none repeats, even as file and
    // directory) before creating it or any of its entries; decodeDirTree did too, this is the
    // boundary check.
    for (const f of tree.files) assertFilename(f.name);
    for (const d of tree.dirs) assertFilename(d.name);
    const problem = dirTreeProblem(tree);
    if (problem !== undefined) throw new OstreeError('INVALID_OBJECT', `invalid dirtree ${treeChecksum}: ${problem}`);
    const { filter } = this.opts;
    if (filter !== undefined && !filter(filterPath, { mode: meta.mode, uid: meta.uid, gid: meta.gid, size: 0 })) {
      this.stats.filtered++;
      this.childDone(parent);
      return;
    }
    if (this.opts.processWhiteouts && tree.files.some((f) => f.name === OPAQUE_WHITEOUT_NAME)) {
      await this.fs.removeTree(path);
    }
    const didExist = await this.makeDirectory(path, name, parent === undefined);
    if (!didExist) this.stats.directories++;
    await this.checkDevice(path);
    if (!didExist && !this.opts.userMode) {
      for (const x of meta.xattrs) await this.fs.setXattr(path, xattrName(x), x[1]);
    }
    const node: DirNode = { key, path, name, parent, meta, didExist, pending: 1 };
    const nFiles = tree.files.length;
    const subdirs = () => {
      // Pushed in reverse so that the LIFO queue takes them in tree order.
      for (let i = tree.dirs.length - 1; i >= 0; i--) {
        const d = tree.dirs[i]!;
        node.pending++;
        const childKey: TaskKey = { parent: key, index: nFiles + i };
        const childPath = `${path}/${d.name}`;
        const childFilter = filter === undefined ? '' : `${filterPath}${d.name}/`;
        const treeCs = checksumFromBytes(d.treeChecksum);
        const metaCs = checksumFromBytes(d.metaChecksum);
        this.scheduler.push(childKey, () => this.checkoutDirectory(node, childKey, childPath, d.name, treeCs, metaCs, childFilter));
      }
    };
    const whiteoutOrder = this.opts.processWhiteouts && tree.files.some((f) => f.name.startsWith(WHITEOUT_PREFIX));
    if (whiteoutOrder) {
      // Whiteouts delete siblings: keep ostree's order (files in name order, then directories).
      node.pending++;
      this.scheduler.push({ parent: key, index: 0 }, async () => {
        for (const f of tree.files) {
          await this.checkoutFile(path, f.name, checksumFromBytes(f.checksum), `${filterPath}${f.name}`);
        }
        subdirs();
        this.childDone(node);
      });
    } else {
      subdirs();
      for (let i = nFiles - 1; i >= 0; i--) {
        const f = tree.files[i]!;
        node.pending++;
        const fp = filter === undefined ? '' : `${filterPath}${f.name}`;
        const cs = checksumFromBytes(f.checksum);
        this.scheduler.push({ parent: key, index: i }, async () => {
          await this.checkoutFile(path, f.name, cs, fp);
          this.childDone(node);
        });
      }
    }
    this.childDone(node);
  }

  childDone(node: DirNode | undefined): void {
    if (node === undefined) return;
    if (--node.pending === 0) this.scheduler.push({ parent: node.key, index: FINISH_INDEX }, () => this.finishDirectory(node));
  }

  /** chmod, chown and mtime 0, once everything inside exists (ostree's last step per directory). */
  async finishDirectory(node: DirNode): Promise<void> {
    const { path, meta, didExist } = node;
    if (!didExist) {
      const canonical = this.repo.mode === 'bare-user-only' || this.opts.bareuseronlyDirs;
      const mode = canonical ? (meta.mode & 0o775) | S_IFDIR : meta.mode;
      await withPrefix('fchmod', () => this.fs.chmod(path, mode & PERMS));
      if (!this.opts.userMode) await withPrefix('fchown', () => this.fs.lchown(path, meta.uid, meta.gid));
      if (!this.opts.forceCopy) await withPrefix('futimens', () => this.fs.lutimes(path, Date.now(), 0));
    }
    if (this.opts.enableFsync) await withPrefix('fsync', () => this.fs.fsync(path));
    this.childDone(node.parent);
  }

  // ---- files -------------------------------------------------------------------------

  /** ostree's checkout_one_file_at. */
  async checkoutFile(dir: string, name: string, checksum: string, filterPath: string): Promise<void> {
    assertFilename(name);
    const info = await this.source.info(checksum);
    const { opts } = this;
    if (opts.filter !== undefined && !opts.filter(filterPath, { mode: info.mode, uid: info.uid, gid: info.gid, size: info.size })) {
      this.stats.filtered++;
      return;
    }
    const isSymlink = info.isSymlink;
    const isUnreadable = !isSymlink && (info.mode & S_IRUSR) === 0;
    const isWhiteout = !isSymlink && opts.processWhiteouts && name.startsWith(WHITEOUT_PREFIX);
    const isOverlayWhiteout = !isSymlink && name.startsWith(OVERLAYFS_WHITEOUT_PREFIX);
    const isZeroSized = !isSymlink && info.size === 0;
    const overrideUnreadable = opts.userMode && isUnreadable;
    const path = `${dir}/${name}`;

    if (isWhiteout) {
      const target = name.slice(WHITEOUT_PREFIX.length);
      if (target.length === 0) throw new OstreeError('INVALID_FILENAME', `Invalid empty whiteout '${target}'`);
      // ".wh..." would name ".." (ostree would then empty the parent): refuse it.
      assertFilename(target);
      await this.fs.removeTree(`${dir}/${target}`);
      this.stats.whiteouts++;
      return;
    }
    if (isOverlayWhiteout && opts.passthroughWhiteouts) {
      const target = name.slice(OVERLAYFS_WHITEOUT_PREFIX.length);
      if (target.length === 0) throw new OstreeError('INVALID_FILENAME', `Invalid empty overlayfs whiteout '${target}'`);
      throw new OstreeError('UNSUPPORTED', `Creating whiteout char device ${target}: the Fs interface cannot create device nodes`);
    }

    let needCopy = true;
    if (!(isZeroSized || overrideUnreadable) && !opts.forceCopy) {
      const isBareUserSymlink = this.repoIsUsermode && isSymlink;
      if (opts.noCopyFallback && !this.hardlinkable && !isBareUserSymlink) {
        throw new OstreeError(
          'INVALID_ARGUMENT',
          this.repoIsUsermode
            ? 'User repository mode requires user checkout mode to hardlink'
            : 'Bare repository mode cannot hardlink in user checkout mode',
        );
      }
      const isBare = this.hardlinkable && !isBareUserSymlink;
      const archiveWithCache = this.useCache;
      if (isBare || archiveWithCache) {
        const source = isBare ? this.objectsDir : this.cacheDirExists ? this.cacheDir : undefined;
        const result = source === undefined ? 'not-supported' : await this.hardlink(source, checksum, dir, name, true);
        if (result === 'linked') await this.recordDevino(info, path, checksum);
        needCopy = result === 'not-supported';
      }
    }

    if (this.useCache && !isSymlink && !(isZeroSized || overrideUnreadable) && needCopy) {
      await withPrefix(`Unpacking loose object ${checksum}`, () => this.writeCacheObject(checksum, info));
      const result = await withPrefix(`Using new cached uncompressed hardlink of ${checksum} to ${name}`, () =>
        this.hardlink(this.cacheDir, checksum, dir, name, false),
      );
      if (result === 'linked') await this.recordDevino(info, path, checksum);
      needCopy = result === 'not-supported';
    }

    if (needCopy) {
      const mode = overrideUnreadable ? info.mode | S_IRUSR : info.mode;
      await withPrefix(`Copy checkout of ${checksum} to ${name}`, () => this.copyFile(info, mode, dir, name));
    }
  }

  async recordDevino(info: SourceInfo, path: string, checksum: string): Promise<void> {
    const cache = this.opts.devinoCache;
    if (cache === undefined) return;
    if (info.dev !== undefined && info.ino !== undefined) {
      cache.add(info.dev, info.ino, checksum);
    } else {
      const st = await this.fs.lstat(path);
      cache.add(st.dev, st.ino, checksum);
    }
  }

  /** ostree's checkout_file_hardlink: link `sourceRoot/ab/cdef….file` to `dir/name`. */
  async hardlink(sourceRoot: string, checksum: string, dir: string, name: string, allowNoent: boolean): Promise<HardlinkResult> {
    const loose = Engine.loosePath(checksum);
    const src = `${sourceRoot}/${loose}`;
    const dest = `${dir}/${name}`;
    const what = `Hardlinking ${loose} to ${name}`;
    let errno: string | undefined;
    let error: unknown;
    if (!this.sameFs) {
      errno = 'EXDEV'; // different Fs instances: as good as different devices
    } else {
      try {
        await this.fs.link(src, dest);
        this.stats.hardlinks++;
        return 'linked';
      } catch (e) {
        error = e;
        errno = errnoOf(e);
        if (errno === undefined) throw e;
      }
    }
    if (!this.opts.noCopyFallback && (errno === 'EMLINK' || errno === 'EXDEV' || errno === 'EPERM')) return 'not-supported';
    if (allowNoent && errno === 'ENOENT') return 'not-supported';
    if (errno !== 'EEXIST') throw error !== undefined ? prefixed(what, error) : errnoError(what, errno);
    switch (this.opts.overwrite) {
      case 'none':
        throw prefixed(what, error);
      case 'add-files':
        this.stats.existing++;
        return 'skip-existed';
      case 'union-files':
      case 'union-identical': {
        const srcSt = await this.fs.lstat(src);
        const destSt = await this.fs.lstat(dest);
        let identical = srcSt.dev === destSt.dev && srcSt.ino === destSt.ino;
        if (!identical && stbufEqual(srcSt, destSt)) identical = (await this.checksumExisting(dest, destSt)) === checksum;
        if (identical) {
          this.stats.existing++;
          return 'skip-existed';
        }
        if (this.opts.overwrite === 'union-identical') throw prefixed(what, error);
        // Link under a temporary name in the repo's tmp/, then rename over the existing entry
        // (rename replaces a symlink itself, never what it points to).
        const tmp = await this.linkTemp(src);
        try {
          if (this.opts.processWhiteouts) await this.fs.removeTree(dest);
          await withPrefix(`renameat(${tmp.slice(tmp.lastIndexOf('/') + 1)}, ${name})`, () => this.fs.rename(tmp, dest));
        } catch (e) {
          await this.fs.unlink(tmp).catch(() => undefined);
          throw e;
        }
        this.stats.hardlinks++;
        return 'linked';
      }
    }
  }

  async linkTemp(src: string): Promise<string> {
    for (let i = 0; i < 128; i++) {
      const tmp = joinPath(this.repo.tmpDir, randomName('checkout-union-', 6));
      try {
        await this.fs.link(src, tmp);
        return tmp;
      } catch (e) {
        if (!hasErrorCode(e, 'EEXIST')) throw prefixed('linkat', e);
      }
    }
    throw new OstreeError('IO_ERROR', 'Exhausted attempts to make temporary hardlink');
  }

  /**
   * ostree_checksum_file_at of an existing destination entry, with the flags a checkout uses
   * (no xattrs for bare-user-only and disable-xattrs repos; owner 0 for bare-user-only).
   */
  async checksumExisting(path: string, st: Stat): Promise<string> {
    const ignoreXattrs = this.repo.settings.disableXattrs || this.repo.mode === 'bare-user-only';
    const canonical = this.repo.mode === 'bare-user-only';
    const isReg = st.type === 'file';
    const xattrs = ignoreXattrs || !this.fs.capabilities.xattrs ? [] : await readDiskXattrs(this.fs, path);
    const header: FileHeader = {
      uid: isReg && canonical ? 0 : st.uid,
      gid: isReg && canonical ? 0 : st.gid,
      mode: st.mode,
      rdev: 0,
      symlinkTarget: st.type === 'symlink' ? await this.fs.readlink(path) : '',
      xattrs,
    };
    let hasher;
    try {
      hasher = createContentHasher(header, this.repo.hash);
    } catch {
      return ''; // not something a content object can be (a directory, a device…): never identical
    }
    if (isReg) for await (const chunk of this.fs.readChunks(path)) hasher.update(chunk);
    return hasher.digest();
  }

  // ---- copies ------------------------------------------------------------------------

  /** ostree's create_file_copy_from_input_at. */
  async copyFile(info: SourceInfo, mode: number, dir: string, name: string): Promise<void> {
    const header = await this.source.header(info);
    const path = `${dir}/${name}`;
    if (info.isSymlink) {
      await this.copySymlink(header, path, name);
      return;
    }
    const fileMode = (this.opts.userMode ? mode & ~(S_ISUID | S_ISGID) : mode) & PERMS;
    switch (this.opts.overwrite) {
      case 'none':
        await this.writeRegular(info, header, fileMode, path, () => errnoError('linkat', 'EEXIST'));
        return;
      case 'add-files':
        await this.writeRegular(info, header, fileMode, path, () => undefined);
        return;
      case 'union-identical': {
        const st = await this.fs.lstatIfExists(path);
        if (st !== undefined && (await this.checksumExisting(path, st)) === info.checksum) {
          this.stats.existing++;
          return;
        }
        await this.writeRegular(info, header, fileMode, path, () => errnoError('linkat', 'EEXIST'));
        return;
      }
      case 'union-files': {
        if (this.opts.processWhiteouts) {
          await this.fs.removeTree(path);
          await this.writeRegular(info, header, fileMode, path, () => errnoError('linkat', 'EEXIST'));
          return;
        }
        // Write under a temporary name beside it, then rename over whatever is there
        // (glnx_link_tmpfile_at's GLNX_LINK_TMPFILE_REPLACE).
        for (let attempt = 0; ; attempt++) {
          const tmpName = randomName('tmp.', 6);
          const tmp = `${dir}/${tmpName}`;
          let exists = false;
          await this.writeRegular(info, header, fileMode, tmp, () => {
            exists = true;
            return undefined;
          });
          if (exists) {
            this.stats.existing--; // writeRegular counted a kept file; this was only a name clash
            if (attempt < 100) continue;
            throw new OstreeError('IO_ERROR', 'Exhausted attempts to make a temporary file');
          }
          try {
            await withPrefix(`renameat(./${tmpName}, ${name})`, () => this.fs.rename(tmp, path));
          } catch (e) {
            await this.fs.unlink(tmp).catch(() => undefined);
            throw e;
          }
          return;
        }
      }
    }
  }

  /**
   * Creates `path` exclusively (mode 0600 while it is written) with the object's bytes, then
   * its owner and xattrs (unless user mode) and `mode`. If the path exists, `onExists` returns
   * the error to throw, or undefined to keep what is there.
   */
  async writeRegular(info: SourceInfo, header: FileHeader, mode: number, path: string, onExists: () => OstreeError | undefined): Promise<void> {
    const { fs } = this;
    let created = false;
    try {
      if (this.reflink !== undefined && info.size > 0) {
        try {
          await this.reflink.cloneFile(info.path, path);
          created = true;
          this.stats.reflinks++;
        } catch (e) {
          const errno = errnoOf(e);
          if (errno === undefined || !REFLINK_UNSUPPORTED_CODES.has(errno)) throw e;
          this.reflink = undefined; // this filesystem cannot clone: stop trying
        }
      }
      if (!created && this.kernelCopy !== undefined && info.size > 0) {
        try {
          await this.kernelCopy.copyFile(info.path, path);
          created = true;
          this.stats.copies++;
          this.stats.bytesCopied += info.size;
          if (this.opts.enableFsync) await fs.fsync(path);
        } catch (e) {
          const errno = errnoOf(e);
          if (created || errno === undefined || !REFLINK_UNSUPPORTED_CODES.has(errno)) throw e;
          this.kernelCopy = undefined;
        }
      }
      if (!created) {
        const data = await this.source.whole(info);
        if (data !== undefined) {
          await fs.writeFile(path, data, { mode: 0o600, exclusive: true });
          created = true;
          if (this.opts.enableFsync) await fs.fsync(path);
          this.stats.bytesCopied += data.length;
        } else {
          const handle = await fs.openWrite(path, { mode: 0o600, exclusive: true });
          created = true;
          try {
            for await (const chunk of this.source.chunks(info)) {
              await handle.write(chunk);
              this.stats.bytesCopied += chunk.length;
            }
            if (this.opts.enableFsync) await handle.sync();
          } finally {
            await handle.close();
          }
        }
        this.stats.copies++;
      }
      if (!this.opts.userMode) {
        await withPrefix('fchown', () => fs.lchown(path, header.uid, header.gid));
        for (const x of header.xattrs) await fs.setXattr(path, xattrName(x), x[1]);
      }
      await withPrefix('fchmod', () => fs.chmod(path, mode));
    } catch (e) {
      if (!created && hasErrorCode(e, 'EEXIST')) {
        const err = onExists();
        if (err === undefined) {
          this.stats.existing++;
          return;
        }
        throw err;
      }
      if (created) await fs.unlink(path).catch(() => undefined);
      throw e;
    }
  }

  async copySymlink(h: FileHeader, path: string, name: string): Promise<void> {
    const { fs } = this;
    const target = h.symlinkTarget;
    try {
      await fs.symlink(target, path);
    } catch (e) {
      if (!hasErrorCode(e, 'EEXIST')) throw prefixed('symlinkat', e);
      switch (this.opts.overwrite) {
        case 'none':
          throw prefixed('symlinkat', e);
        case 'union-files':
          if (this.opts.processWhiteouts) await fs.removeTree(path);
          else {
            try {
              await fs.unlink(path);
            } catch (u) {
              if (!hasErrorCode(u, 'ENOENT')) throw prefixed(`unlinkat(${name})`, u);
            }
          }
          await withPrefix('symlinkat', () => fs.symlink(target, path));
          // ostree returns here without setting the owner or xattrs of the new link.
          this.stats.symlinks++;
          return;
        case 'add-files':
          this.stats.existing++;
          return;
        case 'union-identical': {
          const st = await fs.lstat(path);
          if (st.type === 'symlink' && (await fs.readlink(path)) === target) {
            this.stats.existing++;
            return;
          }
          throw prefixed('symlinkat', e);
        }
      }
    }
    this.stats.symlinks++;
    if (!this.opts.userMode) {
      await withPrefix('fchownat', () => fs.lchown(path, h.uid, h.gid));
      for (const x of h.xattrs) await fs.setXattr(path, xattrName(x), x[1]);
    }
  }

  // ---- uncompressed-objects cache (archive repos, user mode) --------------------------

  /** ostree's checkout_object_for_uncompressed_cache: inflate into `uncompressed-objects-cache/ab/cdef….file`. */
  async writeCacheObject(checksum: string, info: SourceInfo): Promise<void> {
    const fs = this.repoFs;
    const tmp = joinPath(this.repo.tmpDir, randomName('ostree-ts-uncompressed-'));
    try {
      const data = await this.source.whole(info);
      const handle = await fs.openWrite(tmp, { mode: 0o600, exclusive: true });
      try {
        if (data !== undefined) {
          await handle.write(data);
          this.stats.bytesCopied += data.length;
        } else {
          for await (const chunk of this.source.chunks(info)) {
            await handle.write(chunk);
            this.stats.bytesCopied += chunk.length;
          }
        }
        if (this.opts.cacheFsync && this.repo.settings.fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      // Don't make setuid files in the cache.
      await fs.chmod(tmp, info.mode & ~(S_ISUID | S_ISGID) & PERMS);
      if (!this.cacheDirExists) {
        await fs.mkdir(this.cacheDir, { mode: 0o775 }).catch((e: unknown) => {
          if (!hasErrorCode(e, 'EEXIST')) throw e;
        });
        this.cacheDirExists = true;
      }
      await fs.mkdir(`${this.cacheDir}/${checksum.slice(0, 2)}`, { mode: 0o775 }).catch((e: unknown) => {
        if (!hasErrorCode(e, 'EEXIST')) throw e;
      });
      try {
        await fs.rename(tmp, `${this.cacheDir}/${Engine.loosePath(checksum)}`, { noReplace: true });
        this.stats.cacheWrites++;
      } catch (e) {
        if (!hasErrorCode(e, 'EEXIST')) throw e;
        await fs.unlink(tmp);
      }
    } catch (e) {
      await fs.unlink(tmp).catch(() => undefined);
      throw e;
    }
  }
}

/**
 * Checks out `rev` (a ref, `remote:ref`, or checksum, optionally with `^`) of `repo` into
 * `destination`, like `ostree checkout [OPTIONS] REV DESTINATION`.
 *
 * Without union options the destination must not exist. With `subpath` naming a file, the
 * destination is a directory (created if needed, mode 0700) that receives that one file, or
 * `.` for the current directory.
 *
 * Files go through a bounded pool of parallel filesystem operations (`concurrency`); each
 * copy streams its payload in chunks of at most 1 MiB, so memory stays bounded whatever the
 * file sizes.
 *
 * @throws {OstreeError} REF_NOT_FOUND for an unknown rev; INVALID_ARGUMENT for refused option
 *   combinations (ostree's messages) and for a subpath through a file; OBJECT_NOT_FOUND for a
 *   missing subpath (`No such file or directory: /x`) or object; ALREADY_EXISTS when an
 *   entry exists and the mode does not allow it (`mkdirat: File exists`, `Hardlinking … to
 *   …: File exists`, union-identical differences); INVALID_FILENAME / INVALID_OBJECT for
 *   hostile or corrupt trees; UNSUPPORTED for hardlinks across devices with
 *   `requireHardlinks`, SELinux labeling and overlayfs passthrough whiteouts; IO_ERROR for
 *   other filesystem failures (the errno name stays in `cause.code`).
 */
export async function checkout(repo: Repo, rev: string, destination: string, options: CheckoutOptions = {}): Promise<CheckoutResult> {
  try {
    const commit = (await repo.resolveRev(rev))!;
    const opts = resolveCheckoutOptions(options, repo.mode);
    return await checkoutResolved(repo, commit, destination, opts, options.destinationFs);
  } catch (e) {
    throw asOstreeError(e);
  }
}

async function checkoutResolved(repo: Repo, commit: string, destination: string, opts: ResolvedOptions, destinationFs: Fs | undefined): Promise<CheckoutResult> {
  const engine = new Engine(repo, opts, destinationFs);
  const c = await repo.loadCommit(commit);
  let target;
  if (opts.subpath === '/') {
    target = { kind: 'dir' as const, name: '/', tree: c.rootTree, meta: c.rootMeta };
  } else {
    // Resolving loads the root dirtree and dirmeta first, as ostree does.
    await engine.loadMeta(c.rootMeta);
    target = await resolveSubpath(c.rootTree, c.rootMeta, opts.subpath, (cs) => engine.loadTree(cs));
  }
  if (target.kind === 'missing') {
    if (opts.allowNoent) return { commit, checkedOut: false, stats: engine.stats };
    throw new OstreeError('OBJECT_NOT_FOUND', target.message);
  }
  if (engine.useCache) {
    const st = await repo.fs.lstatIfExists(engine.cacheDir);
    engine.cacheDirExists = st?.type === 'directory';
  }
  const dest = destination.length > 1 ? destination.replace(/\/+$/, '') : destination;
  if (target.kind === 'file') {
    // A single file: the destination is a directory to put it in (ostree keeps it 0700).
    if (dest !== '.') {
      try {
        await engine.fs.mkdir(dest, { mode: 0o700 });
      } catch (e) {
        if (!hasErrorCode(e, 'EEXIST')) throw prefixed('mkdirat', e);
        const st = await engine.fs.stat(dest);
        if (st.type !== 'directory') throw errnoError(`opendir(${dest})`, 'ENOTDIR');
      }
    }
    // ostree ignores any filter when checking out a single file.
    const single = new Engine(repo, { ...opts, filter: undefined }, destinationFs);
    single.cacheDirExists = engine.cacheDirExists;
    await single.checkoutFile(dest, target.name, target.checksum, '');
    return { commit, checkedOut: true, stats: single.stats };
  }
  const tree = target.tree;
  const meta = target.meta;
  const rootKey: TaskKey = { parent: undefined, index: 0 };
  engine.scheduler.push(rootKey, () => engine.checkoutDirectory(undefined, rootKey, dest, dest, tree, meta, '/'));
  await engine.scheduler.wait();
  return { commit, checkedOut: true, stats: engine.stats };
}
