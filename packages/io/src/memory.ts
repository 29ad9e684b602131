/**
 * An in-memory {@link Fs} with Linux semantics: inodes shared by hard links, symlinks
 * resolved component by component (so `..` after a symlink goes to the physical parent),
 * extended attributes with the kernel's namespace rules, ownership, modes, and the errno
 * codes a Linux filesystem (ext4) returns. Every capability is available, so storage code
 * can be tested without root, xattr support or a disk; it also runs in browsers.
 * @module
 */
import { FsError } from './errors.js';
import { utf8Length } from './utf8.js';
import { checkLockArguments, lockBusy } from './lock-arguments.js';
import type {
  CreateOptions,
  FileLock,
  Fs,
  FsCapabilities,
  FsXattr,
  LockKind,
  LockOptions,
  ReadHandle,
  Stat,
  WriteHandle,
} from './fs.js';

/** Options of {@link memoryFs}. */
export interface MemoryFsOptions {
  /**
   * uid of the simulated caller, owner of new files (default 0). With 0 the caller is root:
   * no permission checks, any owner, `trusted.*` xattrs. Any other uid gets Unix
   * permission checks (`EACCES`/`EPERM`) and `capabilities.chown` is false.
   */
  readonly uid?: number;
  /** gid of the simulated caller, group of new files outside setgid directories (default 0). */
  readonly gid?: number;
  /** Bits cleared from the mode of new files and directories (default 0o022). */
  readonly umask?: number;
  /** Clock for modification times, in ms since the epoch (default `Date.now`). */
  readonly now?: () => number;
  /**
   * Turn capabilities off to emulate a filesystem without them: without `xattrs` every
   * xattr call fails with `ENOTSUP`; without `hardlinks`, `link` fails with `EPERM`.
   */
  readonly capabilities?: { readonly xattrs?: boolean; readonly hardlinks?: boolean };
}

/** The caller a {@link MemoryFs} acts as. */
export interface MemoryFsCaller {
  readonly uid: number;
  readonly gid: number;
  /** Default: the umask of the filesystem it derives from. */
  readonly umask?: number;
}

/** An in-memory {@link Fs}; {@link MemoryFs.withCaller} gives views of the same tree for other users. */
export interface MemoryFs extends Fs {
  /**
   * Another view of the same tree (same inodes, clock and capabilities) acting as a
   * different caller: build a tree as root, then check what an unprivileged user may do.
   */
  withCaller(caller: MemoryFsCaller): MemoryFs;
}

/** Creates an empty in-memory filesystem: only `/`, mode 0o755, owned by the caller (`uid`/`gid`). */
export function memoryFs(options: MemoryFsOptions = {}): MemoryFs {
  const now = options.now ?? Date.now;
  const t = now();
  const root = {
    kind: 'directory',
    ino: 2n,
    mode: S_IFDIR | 0o755,
    uid: options.uid ?? 0,
    gid: options.gid ?? 0,
    nlink: 2,
    mtimeMs: t,
    atimeMs: t,
    xattrs: new Map(),
    entries: new Map(),
  } as Omit<DirInode, 'parent'> as DirInode;
  root.parent = root;
  const tree: Tree = {
    root,
    nextIno: 3n,
    now,
    xattrs: options.capabilities?.xattrs ?? true,
    hardlinks: options.capabilities?.hardlinks ?? true,
    locks: new WeakMap(),
  };
  return new MemoryFsImpl(tree, { uid: options.uid ?? 0, gid: options.gid ?? 0, umask: options.umask ?? 0o022 });
}

/** State shared by every view of one filesystem. */
interface Tree {
  readonly root: DirInode;
  nextIno: bigint;
  readonly now: () => number;
  readonly xattrs: boolean;
  readonly hardlinks: boolean;
  /** The lock table: who holds a lock on a file, and who waits for one. */
  readonly locks: WeakMap<FileInode, InodeLocks>;
}

/** Locks on one inode, as the kernel keeps them per open file description. */
interface InodeLocks {
  /** Each {@link FileLock} handle is one holder (one open file description). */
  readonly holders: Map<object, LockKind>;
  /** Retry callbacks of waiting lockFile calls, run whenever a lock is released. */
  readonly waiters: Set<() => void>;
}

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;
const S_IXGRP = 0o010;
const R = 4;
const W = 2;
const X = 1;
/** Linux MAXSYMLINKS: symlinks followed in one path resolution. */
const MAX_SYMLINKS = 40;
const NAME_MAX = 255;
const PATH_MAX = 4096;
const XATTR_NAME_MAX = 255;
const XATTR_SIZE_MAX = 65536;
const DEV = 0x6d656dn;
const EMPTY = new Uint8Array(0);
/** Mode of a lock file created by lockFile (ostree's DEFAULT_REGFILE_MODE), before the umask. */
const LOCK_FILE_MODE = 0o660;
/** setTimeout's limit (2^31-1 ms, about 24.8 days); longer waits are unbounded. */
const MAX_TIMER_MS = 0x7fffffff;
/** Path component standing for a trailing slash: the previous component must be a directory (followed). */
const TRAILING_SLASH = '';

interface InodeBase {
  readonly ino: bigint;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  mtimeMs: number;
  atimeMs: number;
  readonly xattrs: Map<string, Uint8Array>;
}
interface FileInode extends InodeBase {
  readonly kind: 'file';
  /** Backing store; bytes past `size` are spare capacity. */
  data: Uint8Array;
  size: number;
}
interface DirInode extends InodeBase {
  readonly kind: 'directory';
  readonly entries: Map<string, Inode>;
  /** Physical parent (the root is its own parent). */
  parent: DirInode;
}
interface LinkInode extends InodeBase {
  readonly kind: 'symlink';
  readonly target: string;
}
type Inode = FileInode | DirInode | LinkInode;

/** Result of a path walk: the directory holding the last component, its name and inode. */
interface Found {
  readonly dir: DirInode;
  /** Last component; '' when the path named the root, '.'/'..' when it ended so. */
  readonly name: string;
  readonly node: Inode | undefined;
}

/** A path split for an operation that creates or removes the last component. */
interface Entry extends Found {
  /** The path had a trailing slash. */
  readonly trailing: boolean;
  /** The last component is '.', '..' or the root: there is no entry to create or remove. */
  readonly special: boolean;
}

function isSpecial(name: string): boolean {
  return name === '' || name === '.' || name === '..';
}

class MemoryFsImpl implements MemoryFs {
  readonly capabilities: FsCapabilities;
  readonly #tree: Tree;
  readonly #uid: number;
  readonly #gid: number;
  readonly #umask: number;
  readonly #now: () => number;
  readonly #root: DirInode;

  constructor(tree: Tree, caller: Required<MemoryFsCaller>) {
    this.#tree = tree;
    this.#uid = caller.uid;
    this.#gid = caller.gid;
    this.#umask = caller.umask & 0o777;
    this.#now = tree.now;
    this.#root = tree.root;
    this.capabilities = Object.freeze({
      xattrs: tree.xattrs,
      chown: this.#uid === 0,
      hardlinks: tree.hardlinks,
      atomicNoReplace: true,
      locks: true,
    });
  }

  withCaller(caller: MemoryFsCaller): MemoryFs {
    return new MemoryFsImpl(this.#tree, { uid: caller.uid, gid: caller.gid, umask: caller.umask ?? this.#umask });
  }

  // ---- path resolution ---------------------------------------------------------------

  /** Splits a path into components (without empty ones) and says whether it ended in a slash. */
  #split(path: string, syscall: string): { comps: string[]; trailing: boolean } {
    if (typeof path !== 'string') throw new TypeError(`path must be a string, got ${typeof path}`);
    if (path === '') throw new FsError('ENOENT', syscall, path);
    if (path.includes('\0')) throw new FsError('EINVAL', syscall, path);
    if (path.length >= PATH_MAX / 3 && utf8Length(path) >= PATH_MAX) throw new FsError('ENAMETOOLONG', syscall, path);
    const comps = path.split('/').filter((c) => c !== '');
    const trailing = path.endsWith('/') && comps.length > 0;
    return { comps, trailing };
  }

  /**
   * Walks `comps` from the root (relative paths start at '/', the simulated cwd), following
   * every symlink in intermediate components and, if `follow`, in the last one too.
   * The last component may be missing (node undefined); any other missing one is ENOENT.
   */
  #walk(comps: readonly string[], follow: boolean, syscall: string, path: string): Found {
    let dir = this.#root;
    const stack = comps.slice().reverse();
    let links = 0;
    while (stack.length > 0) {
      const name = stack.pop() as string;
      const last = stack.length === 0;
      if (name === TRAILING_SLASH) {
        // `dir` was reached as a directory (else ENOTDIR already): no search permission needed.
        if (last) return { dir, name: '.', node: dir };
        continue;
      }
      if (!this.#may(dir, X)) throw new FsError('EACCES', syscall, path);
      if (name.length > NAME_MAX / 3 && (name.length > NAME_MAX || utf8Length(name) > NAME_MAX)) {
        throw new FsError('ENAMETOOLONG', syscall, path);
      }
      if (name === '.') {
        if (last) return { dir, name, node: dir };
        continue;
      }
      if (name === '..') {
        if (last) return { dir, name, node: dir.parent };
        dir = dir.parent;
        continue;
      }
      const child = dir.entries.get(name);
      if (child === undefined) {
        if (last) return { dir, name, node: undefined };
        throw new FsError('ENOENT', syscall, path);
      }
      if (child.kind === 'symlink' && (!last || follow)) {
        if (++links > MAX_SYMLINKS) throw new FsError('ELOOP', syscall, path);
        const target = child.target;
        if (target.startsWith('/')) dir = this.#root;
        const tcomps = target.split('/').filter((c) => c !== '');
        // A target ending in '/' must name a directory.
        if (target.endsWith('/') && tcomps.length > 0) tcomps.push(TRAILING_SLASH);
        for (let i = tcomps.length - 1; i >= 0; i--) stack.push(tcomps[i] as string);
        if (stack.length === 0) return { dir, name: '', node: dir };
        continue;
      }
      if (last) return { dir, name, node: child };
      if (child.kind !== 'directory') throw new FsError('ENOTDIR', syscall, path);
      dir = child;
    }
    return { dir, name: '', node: dir };
  }

  /** Resolves a path to an existing inode (ENOENT otherwise). A trailing slash follows and requires a directory. */
  #lookup(path: string, syscall: string, follow: boolean): Inode {
    const { comps, trailing } = this.#split(path, syscall);
    if (trailing) comps.push(TRAILING_SLASH);
    const found = this.#walk(comps, follow, syscall, path);
    if (found.node === undefined) throw new FsError('ENOENT', syscall, path);
    return found.node;
  }

  /** Resolves everything but the last component (which is not followed), for create/remove. */
  #entry(path: string, syscall: string): Entry {
    const { comps, trailing } = this.#split(path, syscall);
    const found = this.#walk(comps, false, syscall, path);
    return { ...found, trailing, special: isSpecial(found.name) };
  }

  // ---- permissions ---------------------------------------------------------------

  #may(node: Inode, want: number): boolean {
    if (this.#uid === 0) return true;
    const m = node.mode;
    const bits = node.uid === this.#uid ? m >> 6 : node.gid === this.#gid ? m >> 3 : m;
    return (bits & want) === want;
  }

  #need(node: Inode, want: number, syscall: string, path: string): void {
    if (!this.#may(node, want)) throw new FsError('EACCES', syscall, path);
  }

  #isOwner(node: Inode): boolean {
    return this.#uid === 0 || node.uid === this.#uid;
  }

  /** Checks that `node` may be removed from (or renamed out of / over in) `dir`. */
  #mayDelete(dir: DirInode, node: Inode, syscall: string, path: string): void {
    this.#need(dir, W | X, syscall, path);
    if ((dir.mode & S_ISVTX) !== 0 && this.#uid !== 0 && dir.uid !== this.#uid && node.uid !== this.#uid) {
      throw new FsError('EPERM', syscall, path);
    }
  }

  // ---- inode helpers ---------------------------------------------------------------

  #newInode<K extends Inode['kind']>(kind: K, dir: DirInode, mode: number): InodeBase & { kind: K } {
    const t = this.#now();
    return {
      kind,
      ino: this.#tree.nextIno++,
      mode,
      uid: this.#uid,
      gid: (dir.mode & S_ISGID) !== 0 ? dir.gid : this.#gid,
      nlink: 1,
      mtimeMs: t,
      atimeMs: t,
      xattrs: new Map(),
    };
  }

  #addEntry(dir: DirInode, name: string, node: Inode): void {
    dir.entries.set(name, node);
    if (node.kind === 'directory') {
      node.parent = dir;
      dir.nlink++;
    }
    dir.mtimeMs = this.#now();
  }

  #removeEntry(dir: DirInode, name: string, node: Inode): void {
    dir.entries.delete(name);
    if (node.kind === 'directory') {
      dir.nlink--;
      node.nlink = 0;
    } else {
      node.nlink--;
    }
    dir.mtimeMs = this.#now();
  }

  #statOf(n: Inode): Stat {
    return {
      type: n.kind,
      mode: n.mode,
      uid: n.uid,
      gid: n.gid,
      size: n.kind === 'file' ? n.size : n.kind === 'symlink' ? utf8Length(n.target) : 4096,
      dev: DEV,
      ino: n.ino,
      nlink: n.nlink,
      mtimeMs: n.mtimeMs,
    };
  }

  /** Opens (creating or truncating) a regular file like open(O_WRONLY|O_CREAT|O_NOFOLLOW|(O_EXCL or O_TRUNC)). */
  #create(path: string, options: CreateOptions | undefined, syscall: string): FileInode {
    const e = this.#entry(path, syscall);
    if (e.special || e.trailing) throw new FsError('EISDIR', syscall, path);
    const exclusive = options?.exclusive ?? true;
    const existing = e.node;
    if (existing !== undefined) {
      if (exclusive) throw new FsError('EEXIST', syscall, path);
      if (existing.kind === 'symlink') throw new FsError('ELOOP', syscall, path);
      if (existing.kind === 'directory') throw new FsError('EISDIR', syscall, path);
      this.#need(existing, W, syscall, path);
      existing.data = EMPTY;
      existing.size = 0;
      existing.mtimeMs = this.#now();
      this.#killPrivs(existing);
      return existing;
    }
    return this.#newFile(e, options?.mode ?? 0o644, syscall, path);
  }

  /** Creates the missing regular file `e` names with `mode` (minus the umask). */
  #newFile(e: Entry, mode: number, syscall: string, path: string): FileInode {
    this.#need(e.dir, W | X, syscall, path);
    const bits = mode & 0o7777 & ~this.#umask;
    const file: FileInode = { ...this.#newInode('file', e.dir, S_IFREG | bits), data: EMPTY, size: 0 };
    // inode_init_owner(): no setgid for a group (inherited from the directory) the caller is not in.
    if (this.#uid !== 0 && file.gid !== this.#gid) file.mode &= ~S_ISGID;
    this.#addEntry(e.dir, e.name, file);
    return file;
  }

  /** Opens an existing regular file for reading, not following a final symlink (O_NOFOLLOW). */
  #openExisting(path: string, syscall: string): FileInode | DirInode {
    const node = this.#lookup(path, syscall, false);
    if (node.kind === 'symlink') throw new FsError('ELOOP', syscall, path);
    this.#need(node, R, syscall, path);
    return node;
  }

  /**
   * Linux's file_remove_privs(): a write or truncate by an unprivileged caller clears
   * setuid, and setgid when group-executable or the caller is not in the file's group.
   */
  #killPrivs(file: FileInode): void {
    if (this.#uid === 0) return;
    if ((file.mode & S_ISUID) !== 0) file.mode &= ~S_ISUID;
    if ((file.mode & S_ISGID) !== 0 && ((file.mode & S_IXGRP) !== 0 || file.gid !== this.#gid)) file.mode &= ~S_ISGID;
  }

  #write(file: FileInode, data: Uint8Array, position: number): void {
    if (data.length === 0) return;
    this.#killPrivs(file);
    const end = position + data.length;
    if (end > file.data.length) {
      const grown = new Uint8Array(Math.max(end, file.data.length * 2, 64));
      grown.set(file.data.subarray(0, file.size));
      file.data = grown;
    }
    file.data.set(data, position);
    if (end > file.size) file.size = end;
    file.mtimeMs = this.#now();
  }

  // ---- metadata ---------------------------------------------------------------

  async lstat(path: string): Promise<Stat> {
    return this.#statOf(this.#lookup(path, 'lstat', false));
  }

  async stat(path: string): Promise<Stat> {
    return this.#statOf(this.#lookup(path, 'stat', true));
  }

  async lstatIfExists(path: string): Promise<Stat | undefined> {
    try {
      return this.#statOf(this.#lookup(path, 'lstat', false));
    } catch (e) {
      if (e instanceof FsError && e.code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async readdir(path: string): Promise<string[]> {
    const node = this.#lookup(path, 'scandir', false);
    if (node.kind !== 'directory') throw new FsError('ENOTDIR', 'scandir', path);
    this.#need(node, R, 'scandir', path);
    return [...node.entries.keys()];
  }

  async readFile(path: string): Promise<Uint8Array> {
    const node = this.#openExisting(path, 'open');
    if (node.kind !== 'file') throw new FsError('EISDIR', 'read', path);
    node.atimeMs = this.#now();
    return node.data.slice(0, node.size);
  }

  async *readChunks(path: string, chunkSize = 65536): AsyncIterable<Uint8Array> {
    if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) throw new FsError('EINVAL', 'read', path);
    const node = this.#openExisting(path, 'open');
    if (node.kind !== 'file') throw new FsError('EISDIR', 'read', path);
    // Like a file descriptor: the inode stays readable even if it is unlinked meanwhile.
    for (let pos = 0; pos < node.size; pos += chunkSize) {
      yield node.data.slice(pos, Math.min(pos + chunkSize, node.size));
    }
  }

  async openRead(path: string): Promise<ReadHandle> {
    const node = this.#openExisting(path, 'open');
    let closed = false;
    const check = (syscall: string): void => {
      if (closed) throw new FsError('EBADF', syscall, path);
    };
    return {
      read: async (buffer, offset, length, position) => {
        check('read');
        if (!validRange(buffer, offset, length) || !Number.isSafeInteger(position) || position < 0) {
          throw new FsError('EINVAL', 'read', path);
        }
        if (node.kind !== 'file') throw new FsError('EISDIR', 'read', path);
        if (position >= node.size) return 0;
        const n = Math.min(length, node.size - position);
        buffer.set(node.data.subarray(position, position + n), offset);
        return n;
      },
      stat: async () => {
        check('fstat');
        return this.#statOf(node);
      },
      close: async () => {
        closed = true; // closing twice is harmless, as with Node's FileHandle
      },
    };
  }

  async readlink(path: string): Promise<string> {
    const node = this.#lookup(path, 'readlink', false);
    if (node.kind !== 'symlink') throw new FsError('EINVAL', 'readlink', path);
    return node.target;
  }

  // ---- creation ---------------------------------------------------------------

  async writeFile(path: string, data: Uint8Array, options?: CreateOptions): Promise<void> {
    const file = this.#create(path, options, 'open');
    if (data.length > 0) this.#killPrivs(file);
    file.data = data.slice();
    file.size = data.length;
    file.mtimeMs = this.#now();
  }

  async openWrite(path: string, options?: CreateOptions): Promise<WriteHandle> {
    const file = this.#create(path, options, 'open');
    let position = 0;
    let closed = false;
    const check = (syscall: string): void => {
      if (closed) throw new FsError('EBADF', syscall, path);
    };
    return {
      write: async (data) => {
        check('write');
        this.#write(file, data, position);
        position += data.length;
      },
      sync: async () => check('fsync'),
      close: async () => {
        closed = true; // closing twice is harmless, as with Node's FileHandle
      },
    };
  }

  async mkdir(path: string, options?: { mode?: number; recursive?: boolean }): Promise<void> {
    const mode = options?.mode ?? 0o777;
    if (options?.recursive) {
      this.#mkdirRecursive(path, mode);
      return;
    }
    this.#mkdir(path, mode);
  }

  #mkdir(path: string, mode: number): void {
    const e = this.#entry(path, 'mkdir');
    if (e.special || e.node !== undefined) throw new FsError('EEXIST', 'mkdir', path);
    this.#need(e.dir, W | X, 'mkdir', path);
    let bits = mode & 0o1777 & ~this.#umask;
    if ((e.dir.mode & S_ISGID) !== 0) bits |= S_ISGID;
    const dir = { ...this.#newInode('directory', e.dir, S_IFDIR | bits), nlink: 2, entries: new Map() } as Omit<
      DirInode,
      'parent'
    > as DirInode;
    this.#addEntry(e.dir, e.name, dir);
  }

  /** `mkdir -p`: create, or create the parent first on ENOENT; an existing directory (followed) is fine. */
  #mkdirRecursive(path: string, mode: number): void {
    try {
      this.#mkdir(path, mode);
      return;
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      if (e.code === 'EEXIST') {
        this.#checkExistingDir(path, e);
        return;
      }
      if (e.code !== 'ENOENT') throw e;
    }
    const parent = lexicalDirname(path);
    if (parent === path) throw new FsError('ENOENT', 'mkdir', path);
    this.#mkdirRecursive(parent, mode);
    try {
      this.#mkdir(path, mode);
    } catch (e) {
      if (e instanceof FsError && e.code === 'EEXIST') this.#checkExistingDir(path, e);
      else throw e;
    }
  }

  #checkExistingDir(path: string, eexist: FsError): void {
    let node: Inode;
    try {
      node = this.#lookup(path, 'stat', true);
    } catch {
      throw eexist;
    }
    if (node.kind !== 'directory') throw eexist;
  }

  async symlink(target: string, path: string): Promise<void> {
    if (target === '') throw new FsError('ENOENT', 'symlink', path);
    if (target.includes('\0')) throw new FsError('EINVAL', 'symlink', path);
    if (utf8Length(target) >= PATH_MAX) throw new FsError('ENAMETOOLONG', 'symlink', path);
    const e = this.#entry(path, 'symlink');
    if (e.special || e.node !== undefined) throw new FsError('EEXIST', 'symlink', path);
    if (e.trailing) throw new FsError('ENOENT', 'symlink', path);
    this.#need(e.dir, W | X, 'symlink', path);
    const link: LinkInode = { ...this.#newInode('symlink', e.dir, S_IFLNK | 0o777), target };
    this.#addEntry(e.dir, e.name, link);
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    const node = this.#lookup(existingPath, 'link', false);
    const e = this.#entry(newPath, 'link');
    if (e.special || e.node !== undefined) throw new FsError('EEXIST', 'link', newPath);
    if (e.trailing) throw new FsError('ENOENT', 'link', newPath);
    this.#need(e.dir, W | X, 'link', newPath);
    if (node.kind === 'directory') throw new FsError('EPERM', 'link', existingPath);
    if (!this.capabilities.hardlinks) throw new FsError('EPERM', 'link', existingPath);
    node.nlink++;
    this.#addEntry(e.dir, e.name, node);
  }

  async rename(from: string, to: string, options?: { noReplace?: boolean }): Promise<void> {
    const src = this.#entry(from, 'rename');
    const dst = this.#entry(to, 'rename');
    if (src.special || dst.special) throw new FsError('EBUSY', 'rename', from);
    const node = src.node;
    if (node === undefined) throw new FsError('ENOENT', 'rename', from);
    const target = dst.node;
    if (options?.noReplace && target !== undefined) throw new FsError('EEXIST', 'rename', to);
    if (node.kind !== 'directory' && (src.trailing || dst.trailing)) throw new FsError('ENOTDIR', 'rename', from);
    if (node.kind === 'directory' && isAncestor(node, dst.dir)) throw new FsError('EINVAL', 'rename', from);
    if (target !== undefined && target.kind === 'directory' && isAncestor(target, src.dir)) {
      throw new FsError('ENOTEMPTY', 'rename', to);
    }
    if (target === node) return; // two names of one inode: POSIX says do nothing
    this.#mayDelete(src.dir, node, 'rename', from);
    if (target !== undefined) this.#mayDelete(dst.dir, target, 'rename', to);
    else this.#need(dst.dir, W | X, 'rename', to);
    if (target !== undefined) {
      if (node.kind === 'directory' && target.kind !== 'directory') throw new FsError('ENOTDIR', 'rename', to);
      if (node.kind !== 'directory' && target.kind === 'directory') throw new FsError('EISDIR', 'rename', to);
      if (target.kind === 'directory' && target.entries.size > 0) throw new FsError('ENOTEMPTY', 'rename', to);
    }
    // Moving a directory to another parent rewrites its '..': needs write access to it.
    if (node.kind === 'directory' && src.dir !== dst.dir) this.#need(node, W, 'rename', from);
    if (target !== undefined) this.#removeEntry(dst.dir, dst.name, target);
    src.dir.entries.delete(src.name);
    if (node.kind === 'directory') src.dir.nlink--;
    src.dir.mtimeMs = this.#now();
    this.#addEntry(dst.dir, dst.name, node);
  }

  // ---- removal ---------------------------------------------------------------

  async unlink(path: string): Promise<void> {
    const e = this.#entry(path, 'unlink');
    if (e.special) throw new FsError('EISDIR', 'unlink', path);
    const node = e.node;
    if (node === undefined) throw new FsError('ENOENT', 'unlink', path);
    if (e.trailing) throw new FsError(node.kind === 'directory' ? 'EISDIR' : 'ENOTDIR', 'unlink', path);
    this.#mayDelete(e.dir, node, 'unlink', path);
    if (node.kind === 'directory') throw new FsError('EISDIR', 'unlink', path);
    this.#removeEntry(e.dir, e.name, node);
  }

  async rmdir(path: string): Promise<void> {
    const e = this.#entry(path, 'rmdir');
    if (e.name === '') throw new FsError('EBUSY', 'rmdir', path);
    if (e.name === '.') throw new FsError('EINVAL', 'rmdir', path);
    if (e.name === '..') throw new FsError('ENOTEMPTY', 'rmdir', path);
    const node = e.node;
    if (node === undefined) throw new FsError('ENOENT', 'rmdir', path);
    this.#mayDelete(e.dir, node, 'rmdir', path);
    if (node.kind !== 'directory') throw new FsError('ENOTDIR', 'rmdir', path);
    if (node.entries.size > 0) throw new FsError('ENOTEMPTY', 'rmdir', path);
    this.#removeEntry(e.dir, e.name, node);
  }

  async removeTree(path: string): Promise<void> {
    let e: Entry;
    try {
      e = this.#entry(path, 'rm');
    } catch (err) {
      if (err instanceof FsError && err.code === 'ENOENT') return;
      throw err;
    }
    if (e.name === '') throw new FsError('EBUSY', 'rm', path);
    if (e.special) throw new FsError('EINVAL', 'rm', path);
    if (e.node === undefined) return;
    this.#removeRecursive(e.dir, e.name, e.node, path);
  }

  #removeRecursive(dir: DirInode, name: string, node: Inode, path: string): void {
    if (node.kind === 'directory') {
      this.#need(node, R, 'scandir', path); // listing it, even to find it empty
      if (node.entries.size > 0) this.#need(node, W | X, 'rm', path);
      for (const [childName, child] of [...node.entries]) {
        this.#removeRecursive(node, childName, child, `${path}/${childName}`);
      }
    }
    this.#mayDelete(dir, node, 'rm', path);
    this.#removeEntry(dir, name, node);
  }

  // ---- attributes ---------------------------------------------------------------

  async chmod(path: string, mode: number): Promise<void> {
    const node = this.#lookup(path, 'chmod', false);
    if (node.kind === 'symlink') throw new FsError('ENOTSUP', 'chmod', path);
    if (!this.#isOwner(node)) throw new FsError('EPERM', 'chmod', path);
    let bits = mode & 0o7777;
    // Like Linux: an unprivileged caller cannot set setgid on a file of a group it is not in.
    if (this.#uid !== 0 && node.kind === 'file' && node.gid !== this.#gid) bits &= ~S_ISGID;
    node.mode = (node.mode & ~0o7777) | bits;
  }

  async lchown(path: string, uid: number, gid: number): Promise<void> {
    const node = this.#lookup(path, 'lchown', false);
    const newUid = uid === -1 ? node.uid : uid;
    const newGid = gid === -1 ? node.gid : gid;
    if (this.#uid !== 0) {
      const ok = node.uid === this.#uid && newUid === node.uid && (newGid === node.gid || newGid === this.#gid);
      if (!ok) throw new FsError('EPERM', 'lchown', path);
    }
    node.uid = newUid;
    node.gid = newGid;
    // Linux clears setuid (and setgid when group-executable) of non-directories on every chown, root's too.
    if (node.kind !== 'directory') {
      node.mode &= ~S_ISUID;
      if ((node.mode & S_IXGRP) !== 0) node.mode &= ~S_ISGID;
    }
  }

  async lutimes(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    const node = this.#lookup(path, 'lutime', false);
    if (!this.#isOwner(node)) throw new FsError('EPERM', 'lutime', path);
    node.atimeMs = atimeMs;
    node.mtimeMs = mtimeMs;
  }

  // ---- extended attributes ---------------------------------------------------------------

  #xattrsEnabled(syscall: string, path: string): void {
    if (!this.capabilities.xattrs) throw new FsError('ENOTSUP', syscall, path);
  }

  /**
   * The kernel's xattr_permission(): `undefined` if the attribute is invisible to the caller
   * (reads then find nothing), else throws for a refused write or unreadable inode.
   */
  #xattrPermission(node: Inode, name: string, write: boolean, syscall: string, path: string): boolean {
    if (name.startsWith('security.') || name.startsWith('system.')) return true;
    if (name.startsWith('trusted.')) {
      if (this.#uid === 0) return true;
      if (write) throw new FsError('EPERM', syscall, path);
      return false;
    }
    if (name.startsWith('user.')) {
      // user.* exists only on regular files and directories.
      if (node.kind === 'symlink') {
        if (write) throw new FsError('EPERM', syscall, path);
        return false;
      }
      if (write && node.kind === 'directory' && (node.mode & S_ISVTX) !== 0 && !this.#isOwner(node)) {
        throw new FsError('EPERM', syscall, path);
      }
    }
    this.#need(node, write ? W : R, syscall, path);
    return true;
  }

  /** The namespace handler lookup: ERANGE for bad lengths, ENOTSUP for unknown namespaces, EINVAL for an empty suffix. */
  #checkName(name: string, syscall: string, path: string): void {
    const dot = name.indexOf('.');
    const ns = dot < 0 ? '' : name.slice(0, dot);
    if (ns !== 'user' && ns !== 'trusted' && ns !== 'security') throw new FsError('ENOTSUP', syscall, path);
    if (dot === name.length - 1) throw new FsError('EINVAL', syscall, path);
  }

  #checkNameLength(name: string, syscall: string, path: string): void {
    const len = utf8Length(name);
    if (len === 0 || len > XATTR_NAME_MAX) throw new FsError('ERANGE', syscall, path);
  }

  async getXattrs(path: string): Promise<FsXattr[]> {
    this.#xattrsEnabled('llistxattr', path);
    const node = this.#lookup(path, 'llistxattr', false);
    const out: FsXattr[] = [];
    for (const [name, value] of node.xattrs) {
      if (this.#xattrPermission(node, name, false, 'lgetxattr', path)) out.push([name, value.slice()]);
    }
    return out;
  }

  async getXattr(path: string, name: string): Promise<Uint8Array | undefined> {
    this.#xattrsEnabled('lgetxattr', path);
    this.#checkNameLength(name, 'lgetxattr', path);
    const node = this.#lookup(path, 'lgetxattr', false);
    if (!this.#xattrPermission(node, name, false, 'lgetxattr', path)) return undefined;
    this.#checkName(name, 'lgetxattr', path);
    return node.xattrs.get(name)?.slice();
  }

  async setXattr(path: string, name: string, value: Uint8Array): Promise<void> {
    this.#xattrsEnabled('lsetxattr', path);
    this.#checkNameLength(name, 'lsetxattr', path);
    if (value.length > XATTR_SIZE_MAX) throw new FsError('E2BIG', 'lsetxattr', path);
    const node = this.#lookup(path, 'lsetxattr', false);
    this.#xattrPermission(node, name, true, 'lsetxattr', path);
    // The security module: only a privileged caller writes security.*.
    if (name.startsWith('security.') && this.#uid !== 0) throw new FsError('EPERM', 'lsetxattr', path);
    this.#checkName(name, 'lsetxattr', path);
    node.xattrs.set(name, value.slice());
  }

  // ---- durability ---------------------------------------------------------------

  async fsync(path: string): Promise<void> {
    this.#openExisting(path, 'open');
  }

  async syncfs(path: string): Promise<void> {
    const node = this.#lookup(path, 'open', true);
    this.#need(node, R, 'open', path);
  }

  // ---- locks ---------------------------------------------------------------

  async lockFile(path: string, kind: LockKind, options?: LockOptions): Promise<FileLock> {
    const waitMs = checkLockArguments(kind, options, path);
    const file = this.#openLockFile(path);
    let locks = this.#tree.locks.get(file);
    if (locks === undefined) {
      locks = { holders: new Map(), waiters: new Set() };
      this.#tree.locks.set(file, locks);
    }
    const table = locks;
    const holder = {};
    const tryLock = (): boolean => {
      for (const held of table.holders.values()) {
        if (kind === 'exclusive' || held === 'exclusive') return false;
      }
      table.holders.set(holder, kind);
      return true;
    };
    if (!tryLock()) {
      if (waitMs === 0) throw lockBusy(path, 0);
      // Queue a retry that every release runs; a timer gives up. Nothing polls.
      await new Promise<void>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const retry = (): void => {
          if (!tryLock()) return;
          table.waiters.delete(retry);
          if (timer !== undefined) clearTimeout(timer);
          resolve();
        };
        table.waiters.add(retry);
        if (waitMs <= MAX_TIMER_MS) {
          timer = setTimeout(() => {
            table.waiters.delete(retry);
            reject(lockBusy(path, waitMs));
          }, waitMs);
        }
      });
    }
    let released: Promise<void> | undefined;
    return {
      release: () =>
        (released ??= (async () => {
          table.holders.delete(holder);
          for (const retry of [...table.waiters]) retry();
        })()),
    };
  }

  /** open(O_RDWR|O_CREAT|O_NOFOLLOW, 0o660) for lockFile: creates a missing file, never truncates. */
  #openLockFile(path: string): FileInode {
    const e = this.#entry(path, 'open');
    if (e.special || e.trailing) throw new FsError('EISDIR', 'open', path);
    const node = e.node;
    if (node === undefined) return this.#newFile(e, LOCK_FILE_MODE, 'open', path);
    if (node.kind === 'symlink') throw new FsError('ELOOP', 'open', path);
    if (node.kind === 'directory') throw new FsError('EISDIR', 'open', path);
    this.#need(node, R | W, 'open', path);
    return node;
  }
}

function validRange(buffer: Uint8Array, offset: number, length: number): boolean {
  return (
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(length) &&
    offset >= 0 &&
    length >= 0 &&
    offset + length <= buffer.length
  );
}

/** True if `a` is `b` or one of its ancestors. */
function isAncestor(a: DirInode, b: DirInode): boolean {
  for (let d = b; ; d = d.parent) {
    if (d === a) return true;
    if (d.parent === d) return false;
  }
}

/** The path without its last component (lexically), keeping it absolute: '/a/b/' -> '/a'. */
function lexicalDirname(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  const slash = path.lastIndexOf('/', end - 1);
  if (slash < 0) return '.';
  if (slash === 0) return '/';
  return path.slice(0, slash);
}
