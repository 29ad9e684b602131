/**
 * Commits a directory tree into the object store: every file and symlink becomes a content
 * object, every directory a dirtree plus a dirmeta, bottom-up. Files are hashed and written
 * concurrently (bounded), identical inodes (hardlinks) are hashed once, and small files whose
 * object already exists are never written again.
 * @module
 */
import {
  OstreeError,
  checksumToBytes,
  compareUtf8,
  contentChecksum,
  encodeDirMeta,
  encodeDirTree,
  type DirTreeDir,
  type DirTreeFile,
  type FileHeader,
} from '@ostree-ts/core';
import type { Fs, Stat } from '@ostree-ts/io';
import { joinPath } from '../path.js';
import type { Repo } from '../repo.js';
import { Limiter } from './limiter.js';
import { recordedStat, recordedXattrs, type CommitModifiers } from './source-metadata.js';

/**
 * (device, inode) → content checksum of files known to be hardlinks of repository objects,
 * e.g. a checkout made with hardlinks (`DevinoCache` from @ostree-ts/checkout fits).
 */
export interface DevinoLookup {
  get(dev: bigint, ino: bigint): string | undefined;
}

/** Options for {@link writeTree}. */
export interface WriteTreeOptions extends CommitModifiers {
  /**
   * `ostree commit --link-checkout-speedup`: files whose (device, inode) is in this cache are
   * recorded with the cached checksum instead of being read and hashed, when the commit's
   * modifiers would not change their metadata.
   */
  readonly devino?: DevinoLookup;
  /** `--devino-canonical`: trust every devino hit, whatever the modifiers. */
  readonly devinoCanonical?: boolean;
  /** Files hashed and written at once (default 16). */
  readonly concurrency?: number;
  /** Files up to this size are read whole and deduplicated before writing (default 1 MiB). */
  readonly smallFileBytes?: number;
}

/** What {@link writeTree} produced. */
export interface WriteTreeResult {
  readonly rootTree: string;
  readonly rootMeta: string;
  readonly stats: WriteStats;
}

/** Counters like those `ostree commit --stats` prints. */
export interface WriteStats {
  metadataTotal: number;
  metadataWritten: number;
  contentTotal: number;
  contentWritten: number;
  contentBytesWritten: number;
  /** Files taken from the devino cache without reading them. */
  devinoCacheHits: number;
}

interface Walker {
  readonly repo: Repo;
  readonly fs: Fs;
  readonly options: WriteTreeOptions;
  readonly limiter: Limiter;
  /** Bounds concurrent directory listings; never held while waiting on children. */
  readonly listLimiter: Limiter;
  readonly inodes: Map<string, Promise<string>>;
  readonly stats: WriteStats;
  /** File jobs started so far; settled before a failure is reported. */
  readonly jobs: Set<Promise<string>>;
  /** Set on the first failure: no new file job starts. */
  failed: boolean;
  readonly smallFileBytes: number;
}

async function writeFileObject(w: Walker, path: string, st: Stat): Promise<string> {
  const { repo, fs, options } = w;
  const rec = recordedStat(st, options);
  const xattrs = await recordedXattrs(fs, path, options);
  const base: Omit<FileHeader, 'symlinkTarget'> = { ...rec, rdev: 0, xattrs };
  w.stats.contentTotal++;
  if (st.type === 'symlink') {
    const header = { ...base, symlinkTarget: await fs.readlink(path) };
    const r = await repo.writeContent({ header, size: 0, payload: new Uint8Array(0) });
    if (r.written) w.stats.contentWritten++;
    return r.checksum;
  }
  const header = { ...base, symlinkTarget: '' };
  if (st.size <= w.smallFileBytes) {
    const data = await fs.readFile(path);
    const checksum = contentChecksum(header, data, repo.hash);
    if (await repo.hasObject(checksum, 'file')) return checksum;
    const r = await repo.writeContent({ header, size: data.length, payload: data }, { expectedChecksum: checksum });
    if (r.written) {
      w.stats.contentWritten++;
      w.stats.contentBytesWritten += data.length;
    }
    return checksum;
  }
  const r = await repo.writeContent({ header, size: st.size, payload: fs.readChunks(path) });
  if (r.written) {
    w.stats.contentWritten++;
    w.stats.contentBytesWritten += st.size;
  }
  return r.checksum;
}

// ostree's rule for trusting a devino hit: the commit modifiers change nothing it records.
// Dropping xattrs (--no-xattrs, canonical permissions, bare-user-only, core.disable-xattrs)
// always counts as a change for ostree; bare-user reloads the object's own metadata, so only
// owner overrides matter there.
async function devinoHit(w: Walker, st: Stat): Promise<string | undefined> {
  const o = w.options;
  const hit = o.devino?.get(st.dev, st.ino);
  if (hit === undefined || o.devinoCanonical) return hit;
  if (o.skipXattrs || o.canonicalPermissions) return undefined;
  if (o.ownerUid !== undefined || o.ownerGid !== undefined) {
    if (w.repo.mode === 'bare-user') return undefined;
    const rec = recordedStat(st, o);
    if (rec.uid !== st.uid || rec.gid !== st.gid) return undefined;
  }
  return hit;
}

// Every file job goes through here: it is tracked, and none starts once the walk has failed,
// so writeTree never leaves writes running behind its rejection.
function track(w: Walker, work: () => Promise<string>): Promise<string> {
  const job = w.limiter.run(() => {
    if (w.failed) return Promise.reject(new OstreeError('INVALID_ARGUMENT', 'commit aborted'));
    return work();
  });
  w.jobs.add(job);
  return job;
}

function fileObject(w: Walker, path: string, st: Stat): Promise<string> {
  if (w.options.devino !== undefined) {
    return track(w, async () => {
      const hit = await devinoHit(w, st);
      if (hit === undefined) return writeFileObject(w, path, st);
      w.stats.devinoCacheHits++; // ostree counts hits apart from the content totals
      return hit;
    });
  }
  // Hardlinks share an inode and therefore owner, mode, xattrs and content: hash them once.
  const key = `${st.dev}:${st.ino}`;
  const known = st.type === 'file' && st.nlink > 1 ? w.inodes.get(key) : undefined;
  if (known) return known;
  const job = track(w, () => writeFileObject(w, path, st));
  if (st.type === 'file' && st.nlink > 1) w.inodes.set(key, job);
  return job;
}

async function writeMeta(w: Walker, type: 'dirtree' | 'dirmeta', bytes: Uint8Array): Promise<string> {
  w.stats.metadataTotal++;
  const r = await w.repo.writeMetadata(type, bytes);
  if (r.written) w.stats.metadataWritten++;
  return r.checksum;
}

async function writeDirectory(w: Walker, path: string, st: Stat): Promise<{ tree: string; meta: string }> {
  const { fs } = w;
  const { names, stats } = await w.listLimiter.run(async () => {
    const names = (await fs.readdir(path)).sort(compareUtf8);
    return { names, stats: await Promise.all(names.map((n) => fs.lstat(joinPath(path, n)))) };
  });
  // Refuse what cannot be committed before any job of this directory starts.
  names.forEach((name, i) => {
    const t = stats[i]!.type;
    if (t !== 'directory' && t !== 'file' && t !== 'symlink') {
      throw new OstreeError('UNSUPPORTED', `Unsupported file type for ${joinPath(path, name)}: only regular files, symlinks and directories can be committed`);
    }
  });
  const files: Promise<DirTreeFile>[] = [];
  const dirs: Promise<DirTreeDir>[] = [];
  names.forEach((name, i) => {
    const child = joinPath(path, name);
    const cst = stats[i]!;
    if (cst.type === 'directory') {
      dirs.push(
        writeDirectory(w, child, cst).then(({ tree, meta }) => ({ name, treeChecksum: checksumToBytes(tree), metaChecksum: checksumToBytes(meta) })),
      );
    } else {
      files.push(fileObject(w, child, cst).then((c) => ({ name, checksum: checksumToBytes(c) })));
    }
  });
  const rec = recordedStat(st, w.options);
  const metaBytes = encodeDirMeta({ ...rec, xattrs: await recordedXattrs(fs, path, w.options) });
  const [fileEntries, dirEntries, meta] = await Promise.all([Promise.all(files), Promise.all(dirs), writeMeta(w, 'dirmeta', metaBytes)]);
  const tree = await writeMeta(w, 'dirtree', encodeDirTree({ files: fileEntries, dirs: dirEntries }));
  return { tree, meta };
}

/**
 * Writes the tree under `dir` (on filesystem `fs`, which may differ from the repo's) into
 * `repo` and returns the root dirtree and dirmeta checksums.
 * @throws {OstreeError} UNSUPPORTED for device nodes, fifos and sockets; INVALID_MODE for modes
 *   the repository mode cannot hold
 */
export async function writeTree(repo: Repo, fs: Fs, dir: string, options: WriteTreeOptions = {}): Promise<WriteTreeResult> {
  const userOnly = repo.mode === 'bare-user-only';
  const effective: WriteTreeOptions = {
    ...options,
    canonicalPermissions: options.canonicalPermissions || userOnly,
    skipXattrs: options.skipXattrs || userOnly || repo.settings.disableXattrs,
  };
  if (effective.canonicalPermissions && ((options.ownerUid ?? 0) > 0 || (options.ownerGid ?? 0) > 0)) {
    throw new OstreeError('INVALID_ARGUMENT', 'Cannot specify both --canonical-permissions and non-zero --owner-uid/--owner-gid');
  }
  const st = await fs.lstat(dir);
  if (st.type !== 'directory') throw new OstreeError('INVALID_ARGUMENT', `${dir} is not a directory`);
  const w: Walker = {
    repo,
    fs,
    options: effective,
    limiter: new Limiter(options.concurrency ?? 16),
    listLimiter: new Limiter(4),
    inodes: new Map(),
    stats: { metadataTotal: 0, metadataWritten: 0, contentTotal: 0, contentWritten: 0, contentBytesWritten: 0, devinoCacheHits: 0 },
    jobs: new Set(),
    failed: false,
    smallFileBytes: options.smallFileBytes ?? 1024 * 1024,
  };
  let root;
  try {
    root = await writeDirectory(w, dir, st);
  } catch (e) {
    w.failed = true;
    await Promise.allSettled(w.jobs);
    throw e;
  }
  const { tree, meta } = root;
  return { rootTree: tree, rootMeta: meta, stats: w.stats };
}
