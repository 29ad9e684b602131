/**
 * Paths inside a commit, resolved the way ostree's OstreeRepoFile resolves them, because
 * `ostree ls` and `ostree cat` print its paths and its errors: components are looked up
 * literally (`.` and `..` are ordinary names), one trailing `/` per component is dropped, an
 * absolute component restarts at the root, and a failure names the first component that does
 * not exist.
 * @module
 */
import { checksumFromBytes, isSymlinkMode, type DirTree, type Xattr } from '@ostree-ts/core';
import type { ContentObject, Repo } from '@ostree-ts/repo';
import { CliError } from './errors.js';
import { loadCommitOrThrow, loadContentOrThrow } from './object-load.js';

/** What `ls` shows about one entry (GFileInfo of an OstreeRepoFile). */
export interface TreeEntryInfo {
  readonly type: 'directory' | 'file' | 'symlink';
  /** Full st_mode. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Payload size for regular files, else 0. */
  readonly size: number;
  readonly symlinkTarget: string;
}

/** A path in a commit's tree; resolved lazily, like OstreeRepoFile. */
export class RepoFile {
  private tree: DirTree | undefined;
  /** Dirtree checksum (directories) — ostree_repo_file_tree_get_contents_checksum. */
  treeChecksum: string | undefined;
  /** Dirmeta checksum (directories) or content checksum (files) — ostree_repo_file_get_checksum. */
  private objectChecksum: string | undefined;
  private resolved = false;
  private content: ContentObject | undefined;

  private constructor(
    readonly repo: Repo,
    readonly parent: RepoFile | undefined,
    readonly name: string,
    private readonly rootObjects?: { tree: string; meta: string },
  ) {}

  /** The root directory of a commit. */
  static async forCommit(repo: Repo, commit: string): Promise<RepoFile> {
    const c = await loadCommitOrThrow(repo, commit);
    return RepoFile.forTree(repo, c.rootTree, c.rootMeta);
  }

  /** The root directory given by a dirtree and dirmeta. */
  static forTree(repo: Repo, tree: string, meta: string): RepoFile {
    return new RepoFile(repo, undefined, '', { tree, meta });
  }

  /** The root of this file's tree. */
  get root(): RepoFile {
    return this.parent === undefined ? this : this.parent.root;
  }

  /** The path ostree prints (ostree_repo_file_get_path). */
  get path(): string {
    const names: string[] = [];
    for (let p = this.parent; p !== undefined && p.parent !== undefined; p = p.parent) names.unshift(p.name);
    return names.map((n) => `/${n}`).join('') + `/${this.name}`;
  }

  /** A child entry (one trailing `/` of the name is dropped). */
  child(name: string): RepoFile {
    return new RepoFile(this.repo, this, name.endsWith('/') ? name.slice(0, -1) : name);
  }

  /** ostree_repo_file_resolve_relative_path. */
  resolveRelative(relative: string): RepoFile {
    let rel = relative;
    if (rel.startsWith('/')) {
      if (rel === '/') return this.root;
      if (this.parent !== undefined) return this.root.resolveRelative(rel.slice(1));
      rel = rel.slice(1);
    }
    const slash = rel.indexOf('/');
    if (slash < 0) return this.child(rel);
    const next = this.child(rel.slice(0, slash + 1));
    return next.resolveRelative(rel.slice(slash + 1));
  }

  /** True once resolved as a directory. */
  get isDirectory(): boolean {
    return this.tree !== undefined;
  }

  /** Looks the entry up in its parent (ostree_repo_file_ensure_resolved). */
  async resolve(): Promise<void> {
    if (this.resolved) return;
    if (this.parent === undefined) {
      this.tree = await this.repo.loadDirTree(this.rootObjects!.tree);
      this.treeChecksum = this.rootObjects!.tree;
      this.objectChecksum = this.rootObjects!.meta;
      this.resolved = true;
      return;
    }
    await this.parent.resolve();
    const parentTree = this.parent.tree;
    if (parentTree === undefined) throw new CliError('Not a directory');
    const file = parentTree.files.find((f) => f.name === this.name);
    if (file !== undefined) {
      this.objectChecksum = checksumFromBytes(file.checksum);
    } else {
      const dir = parentTree.dirs.find((d) => d.name === this.name);
      if (dir === undefined) throw new CliError(`No such file or directory: ${this.path}`);
      this.treeChecksum = checksumFromBytes(dir.treeChecksum);
      this.objectChecksum = checksumFromBytes(dir.metaChecksum);
      this.tree = await this.repo.loadDirTree(this.treeChecksum);
    }
    this.resolved = true;
  }

  /** Dirmeta checksum for a directory, content checksum for a file. */
  async checksum(): Promise<string> {
    await this.resolve();
    return this.objectChecksum!;
  }

  /** The content object of a file. */
  async contentObject(): Promise<ContentObject> {
    await this.resolve();
    if (this.tree !== undefined) throw new CliError("Can't open directory");
    this.content ??= await loadContentOrThrow(this.repo, this.objectChecksum!);
    return this.content;
  }

  /** Owner, mode, size, symlink target. */
  async info(): Promise<TreeEntryInfo> {
    await this.resolve();
    if (this.tree !== undefined) {
      const meta = await this.repo.loadDirMeta(this.objectChecksum!);
      return { type: 'directory', mode: meta.mode, uid: meta.uid, gid: meta.gid, size: 0, symlinkTarget: '' };
    }
    const { header, size } = await this.contentObject();
    const symlink = isSymlinkMode(header.mode);
    return {
      type: symlink ? 'symlink' : 'file',
      mode: header.mode,
      uid: header.uid,
      gid: header.gid,
      size: symlink ? 0 : size,
      symlinkTarget: header.symlinkTarget,
    };
  }

  /** Extended attributes (ostree_repo_file_get_xattrs). */
  async xattrs(): Promise<readonly Xattr[]> {
    await this.resolve();
    if (this.tree !== undefined) return (await this.repo.loadDirMeta(this.objectChecksum!)).xattrs;
    return (await this.contentObject()).header.xattrs;
  }

  /** Entries of a directory in ostree's enumeration order: files, then directories. */
  async children(): Promise<RepoFile[]> {
    await this.resolve();
    const tree = this.tree;
    if (tree === undefined) throw new CliError('Not a directory');
    return [...tree.files.map((f) => this.child(f.name)), ...tree.dirs.map((d) => this.child(d.name))];
  }
}
