/**
 * The `/etc` three-way merge of a new deployment, with ostree 2022.7's semantics:
 *
 * 1. diff the merge deployment's defaults (`usr/etc`) against its live `etc`, comparing
 *    type, owner, mode and content or link target — not xattrs, so a relabel alone is no change;
 * 2. in the new `etc` (a copy of the new defaults): remove every locally removed path
 *    (recursively, even if the defaults changed it), then copy every locally modified and then
 *    every locally added path over — the local version always wins, there is no content merge.
 *
 * Quirks kept on purpose, because they decide what ends up on disk: a locally modified
 * directory that still exists in the new defaults is left as the defaults have it, except that
 * copying a changed file inside gives its parent the local owner and mode; a local non-directory
 * where the new defaults have a directory is an error; special files (FIFOs, devices) are
 * skipped at the top of a change but refuse to copy inside a copied directory.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import type { Fs, Stat } from '@ostree-ts/io';

/** Where the merge reads and writes. All paths are absolute directories. */
export interface EtcMergeOptions {
  /** The merge deployment's defaults: `<merge>/usr/etc`. */
  readonly origDefaults: string;
  /** The merge deployment's live configuration: `<merge>/etc`. */
  readonly modifiedEtc: string;
  /** The new deployment's `etc`, already holding its defaults unless `newDefaults` is given. */
  readonly target: string;
  /** The new deployment's defaults (`<new>/usr/etc`): if given, `target` must not exist and is first made a copy of it. */
  readonly newDefaults?: string;
  /** Copy extended attributes with files and directories (default true; ostree's `no-xattrs` debug flag turns it off). */
  readonly copyXattrs?: boolean;
}

/** The local changes found (paths relative to `etc`, in ostree's diff order) and applied. */
export interface EtcMergeResult {
  readonly modified: readonly string[];
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

/** ostree's log line for a merge: `Copying /etc changes: N modified, N removed, N added`. */
export function etcMergeSummary(result: EtcMergeResult): string {
  return `Copying /etc changes: ${result.modified.length} modified, ${result.removed.length} removed, ${result.added.length} added`;
}

/**
 * Diffs `orig` against `modified` like `ostree_diff_dirs` with xattrs ignored: per directory,
 * first the entries of `orig` (removed, or modified — a directory is listed before its
 * children are compared, a type change is not descended into), then the entries only in
 * `modified` (added, a new directory followed by everything under it).
 */
export async function diffEtc(fs: Fs, orig: string, modified: string): Promise<EtcMergeResult> {
  const result = { modified: [] as string[], removed: [] as string[], added: [] as string[] };
  await diffDir(fs, orig, modified, '', result);
  return result;
}

async function diffDir(fs: Fs, a: string, b: string, rel: string, out: { modified: string[]; removed: string[]; added: string[] }): Promise<void> {
  for (const name of await fs.readdir(join(a, rel))) {
    const path = rel === '' ? name : `${rel}/${name}`;
    const sa = await fs.lstat(join(a, path));
    const sb = await fs.lstatIfExists(join(b, path));
    if (sb === undefined) {
      out.removed.push(path);
      continue;
    }
    if (sa.type !== sb.type) {
      out.modified.push(path);
      continue;
    }
    if (!(await sameObject(fs, join(a, path), sa, join(b, path), sb))) out.modified.push(path);
    if (sa.type === 'directory') await diffDir(fs, a, b, path, out);
  }
  for (const name of await fs.readdir(join(b, rel))) {
    const path = rel === '' ? name : `${rel}/${name}`;
    if ((await fs.lstatIfExists(join(a, path))) !== undefined) continue;
    out.added.push(path);
    if ((await fs.lstat(join(b, path))).type === 'directory') await addAll(fs, b, path, out.added);
  }
}

async function addAll(fs: Fs, root: string, rel: string, added: string[]): Promise<void> {
  for (const name of await fs.readdir(join(root, rel))) {
    const path = `${rel}/${name}`;
    added.push(path);
    if ((await fs.lstat(join(root, path))).type === 'directory') await addAll(fs, root, path, added);
  }
}

/** Equal ostree content checksums without xattrs: same owner and mode, and same bytes or link target. */
async function sameObject(fs: Fs, pathA: string, a: Stat, pathB: string, b: Stat): Promise<boolean> {
  if (a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid) return false;
  if (a.type === 'symlink') return (await fs.readlink(pathA)) === (await fs.readlink(pathB));
  if (a.type !== 'file') return true;
  if (a.size !== b.size) return false;
  return equalBytes(await fs.readFile(pathA), await fs.readFile(pathB));
}

function equalBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * Runs the merge (see the module description) and returns the changes it applied. With
 * `newDefaults`, first copies it to `target` the way ostree prepares a deployment's `etc`.
 * @throws {OstreeError} `INVALID_SYSROOT` when a local non-directory meets a directory in the
 *   new defaults, or a copied directory holds a special file; `ALREADY_EXISTS` when `target`
 *   exists although `newDefaults` was given.
 */
export async function mergeEtc(fs: Fs, options: EtcMergeOptions): Promise<EtcMergeResult> {
  const copier = new EtcCopier(fs, options.copyXattrs ?? true);
  if (options.newDefaults !== undefined) {
    if ((await fs.lstatIfExists(options.target)) !== undefined)
      throw new OstreeError('ALREADY_EXISTS', `${options.target} already exists`);
    // Like ostree's force-copy checkout of usr/etc: owners, modes and xattrs, fresh mtimes.
    await copier.copyDir(options.newDefaults, options.target, false);
  }
  const diff = await diffEtc(fs, options.origDefaults, options.modifiedEtc);
  for (const path of diff.removed) await removeLikeOstree(fs, options.target, path);
  for (const path of [...diff.modified, ...diff.added]) await copier.copyModified(options.modifiedEtc, options.target, path);
  return diff;
}

/** The copy primitives of the merge: files with owner, mode, xattrs and mtime; directories with owner, mode and xattrs. */
class EtcCopier {
  constructor(
    private readonly fs: Fs,
    private readonly copyXattrs: boolean,
  ) {}

  /** Copies `modified/path` over `target/path` (ostree's copy_modified_config_file). */
  async copyModified(modified: string, target: string, path: string): Promise<void> {
    const fs = this.fs;
    const source = await fs.lstat(join(modified, path));
    const parent = dirnameRel(path);
    if (parent !== undefined) await this.ensureDirFromTemplate(modified, target, parent);
    const existing = await fs.lstatIfExists(join(target, path));
    if (existing?.type === 'directory') {
      if (source.type !== 'directory')
        throw new OstreeError('INVALID_SYSROOT', `During /etc merge: Modified config file newly defaults to directory '${path}', cannot merge`);
      // The directory is already there (defaults, or copied with its parent): left as is.
      return;
    }
    if (existing !== undefined) await fs.unlink(join(target, path));
    if (source.type === 'directory') await this.copyDir(join(modified, path), join(target, path));
    else if (source.type === 'file' || source.type === 'symlink') await this.copyLeaf(join(modified, path), source, join(target, path));
    // Other file types are ignored, as ostree does (it only logs them).
  }

  /**
   * Makes `target/path` a directory (creating missing parents the same way) with the owner,
   * mode and xattrs of `modified/path`. Like ostree, an existing symlink to a directory is
   * followed, and a non-directory there is an error.
   */
  private async ensureDirFromTemplate(modified: string, target: string, path: string): Promise<void> {
    const fs = this.fs;
    let existing = await lstatOrThrow(fs, join(target, path), 'mkdirat');
    if (existing === undefined) {
      const parent = dirnameRel(path);
      if (parent !== undefined && (await lstatOrThrow(fs, join(target, parent), 'mkdirat')) === undefined)
        await this.ensureDirFromTemplate(modified, target, parent);
      await fs.mkdir(join(target, path), { mode: 0o700 });
      existing = await fs.lstat(join(target, path));
    }
    const dir = existing.type === 'symlink' ? await followLinks(fs, join(target, path)) : join(target, path);
    const resolved = await fs.lstatIfExists(dir);
    if (resolved === undefined) throw mergeError(`opendir(${path}): No such file or directory`);
    if (resolved.type !== 'directory') throw mergeError(`opendir(${path}): Not a directory`);
    await this.copyDirAttributes(join(modified, path), dir);
  }

  /** Recursive copy of a directory (ostree's copy_dir_recurse): the directory's attributes first, then its entries. */
  async copyDir(from: string, to: string, keepMtimes = true): Promise<void> {
    const fs = this.fs;
    const existing = await fs.lstatIfExists(to);
    if (existing === undefined) await fs.mkdir(to, { mode: 0o700 });
    else if (existing.type !== 'directory') throw new OstreeError('INVALID_SYSROOT', `During /etc merge: ${to} is not a directory`);
    await this.copyDirAttributes(from, to);
    for (const name of await fs.readdir(from)) {
      const stat = await fs.lstat(join(from, name));
      if (stat.type === 'directory') await this.copyDir(join(from, name), join(to, name), keepMtimes);
      else if (stat.type === 'file' || stat.type === 'symlink') await this.copyLeaf(join(from, name), stat, join(to, name), keepMtimes);
      else throw new OstreeError('INVALID_SYSROOT', `During /etc merge: Copying ${name}: Cannot copy non-regular/non-symlink file: ${name}`);
    }
  }

  private async copyDirAttributes(from: string, to: string): Promise<void> {
    const fs = this.fs;
    // Like ostree, follow a symlinked template directory.
    const stat = await fs.stat(from);
    if (this.copyXattrs) for (const [name, value] of await fs.getXattrs(from)) await fs.setXattr(to, name, value);
    await fs.lchown(to, stat.uid, stat.gid);
    await fs.chmod(to, stat.mode & 0o7777);
  }

  /** A regular file or symlink, replacing whatever non-directory is at `to`; written beside it and renamed in. */
  private async copyLeaf(from: string, stat: Stat, to: string, keepMtime = true): Promise<void> {
    const fs = this.fs;
    const tmp = `${dirnameAbs(to)}/.etc-merge-tmp-${tmpCounter++}`;
    await fs.removeTree(tmp);
    if (stat.type === 'symlink') {
      await fs.symlink(await fs.readlink(from), tmp);
      await fs.lchown(tmp, stat.uid, stat.gid);
      if (this.copyXattrs) for (const [name, value] of await fs.getXattrs(from)) await fs.setXattr(tmp, name, value);
    } else {
      await fs.writeFile(tmp, await fs.readFile(from), { mode: 0o600 });
      await fs.lchown(tmp, stat.uid, stat.gid);
      if (this.copyXattrs) for (const [name, value] of await fs.getXattrs(from)) await fs.setXattr(tmp, name, value);
      // chmod after the xattrs: a 0400 file (think /etc/shadow) would refuse them otherwise.
      await fs.chmod(tmp, stat.mode & 0o7777);
      if (keepMtime) await fs.lutimes(tmp, stat.mtimeMs, stat.mtimeMs);
    }
    await fs.rename(tmp, to);
  }
}

let tmpCounter = 0;

function mergeError(message: string): OstreeError {
  return new OstreeError('INVALID_SYSROOT', `During /etc merge: ${message}`);
}

/** lstat that maps a non-directory in the path to ostree's error for the operation `op`. */
async function lstatOrThrow(fs: Fs, path: string, op: string): Promise<Stat | undefined> {
  try {
    return await fs.lstatIfExists(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOTDIR') throw mergeError(`${op}: Not a directory`);
    throw e;
  }
}

/** glnx_shutil_rm_rf_at: a missing path is fine; a non-directory on the way is an `unlinkat` error. */
async function removeLikeOstree(fs: Fs, root: string, path: string): Promise<void> {
  try {
    if ((await fs.lstatIfExists(join(root, path))) === undefined) return;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOTDIR') throw mergeError(`unlinkat(${path}): Not a directory`);
    throw e;
  }
  await fs.removeTree(join(root, path));
}

/** Follows symlinks in the last component (relative targets against the link's directory). */
async function followLinks(fs: Fs, path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const stat = await fs.lstatIfExists(current);
    if (stat?.type !== 'symlink') return current;
    const target = await fs.readlink(current);
    current = target.startsWith('/') ? target : `${dirnameAbs(current)}/${target}`;
  }
  throw mergeError(`${path}: Too many levels of symbolic links`);
}

function join(a: string, b: string): string {
  return b === '' ? a : `${a.replace(/\/+$/, '')}/${b}`;
}

/** Parent of a relative path, or undefined for a top-level name. */
function dirnameRel(path: string): string | undefined {
  const i = path.lastIndexOf('/');
  return i < 0 ? undefined : path.slice(0, i);
}

function dirnameAbs(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
