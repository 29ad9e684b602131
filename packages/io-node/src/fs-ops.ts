/**
 * The part of `node:fs/promises` that nodeFs uses, as an interface with two implementations:
 * the real asynchronous one, and one that makes the same calls synchronously.
 *
 * Why a synchronous flavour: each asynchronous call is a hop through libuv's thread pool
 * (queue, futex wake-up, epoll), which costs more CPU than the system call itself for the
 * small metadata operations a commit or checkout makes by the hundred thousand (measured with
 * `strace -c`: ~330k futex calls for a 6k-file commit). A command-line process doing one job
 * gains from calling the kernel directly; a server that must stay responsive keeps the default.
 * @module
 */
import * as fs from 'node:fs';
import type { BigIntStats, Dirent, Stats } from 'node:fs';

/** The file-handle subset nodeFs uses. */
export interface FileHandleLike {
  readonly fd: number;
  read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  stat(options: { bigint: true }): Promise<BigIntStats>;
  stat(options?: { bigint?: false }): Promise<Stats>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The `fs/promises` subset nodeFs uses. */
export interface FsOps {
  lstat(path: string, options: { bigint: true }): Promise<BigIntStats>;
  lstat(path: string): Promise<Stats>;
  stat(path: string, options: { bigint: true }): Promise<BigIntStats>;
  stat(path: string): Promise<Stats>;
  readdir(path: string): Promise<string[]>;
  readdir(path: string, options: { withFileTypes: true }): Promise<Dirent[]>;
  readFile(path: string, options: { flag: number }): Promise<Buffer>;
  readlink(path: string): Promise<string>;
  writeFile(path: string, data: Uint8Array, options: { flag: number; mode: number }): Promise<void>;
  open(path: string, flags: number, mode?: number): Promise<FileHandleLike>;
  mkdir(path: string, options: { mode: number }): Promise<string | undefined>;
  symlink(target: string, path: string): Promise<void>;
  link(existingPath: string, newPath: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  lchown(path: string, uid: number, gid: number): Promise<void>;
  lutimes(path: string, atime: number, mtime: number): Promise<void>;
}

/** The real asynchronous calls. */
export const asyncOps: FsOps = fs.promises as unknown as FsOps;

// Runs a synchronous call and settles a promise with its result or error, so callers keep
// one code path; the work itself happens before the promise is returned.
function settle<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (e) {
    return Promise.reject(e);
  }
}

class SyncFileHandle implements FileHandleLike {
  #fd: number;
  constructor(fd: number) {
    this.#fd = fd;
  }
  get fd(): number {
    return this.#fd;
  }
  // A closed handle fails with EBADF, as fs/promises FileHandles do (not with a range error).
  #open(syscall: string): number {
    if (this.#fd < 0) throw Object.assign(new Error(`EBADF: file closed, ${syscall}`), { code: 'EBADF', syscall });
    return this.#fd;
  }
  read(buffer: Uint8Array, offset: number, length: number, position: number | null) {
    return settle(() => ({ bytesRead: fs.readSync(this.#open('read'), buffer, offset, length, position) }));
  }
  write(buffer: Uint8Array, offset: number, length: number) {
    return settle(() => ({ bytesWritten: fs.writeSync(this.#open('write'), buffer, offset, length) }));
  }
  stat(options?: { bigint?: boolean }): Promise<never> {
    return settle(() => fs.fstatSync(this.#open('fstat'), options as { bigint: true })) as Promise<never>;
  }
  sync() {
    return settle(() => fs.fsyncSync(this.#open('fsync')));
  }
  close() {
    // Closing twice is harmless, as with fs/promises FileHandles.
    return settle(() => {
      if (this.#fd >= 0) fs.closeSync(this.#fd);
      this.#fd = -1;
    });
  }
}

/** The same calls made synchronously (see the module comment for when to use them). */
export const syncOps: FsOps = {
  lstat: ((p: string, o?: { bigint: true }) => settle(() => fs.lstatSync(p, o))) as FsOps['lstat'],
  stat: ((p: string, o?: { bigint: true }) => settle(() => fs.statSync(p, o))) as FsOps['stat'],
  readdir: ((p: string, o?: { withFileTypes: true }) => settle(() => fs.readdirSync(p, o as { withFileTypes: true }))) as FsOps['readdir'],
  // Numeric open flags (O_NOFOLLOW…) are accepted at run time; @types/node only lists strings.
  readFile: (p, o) => settle(() => fs.readFileSync(p, o as unknown as { flag: string })),
  readlink: (p) => settle(() => fs.readlinkSync(p)),
  writeFile: (p, d, o) => settle(() => fs.writeFileSync(p, d, o as unknown as { flag: string; mode: number })),
  open: (p, flags, mode) => settle(() => new SyncFileHandle(fs.openSync(p, flags, mode))),
  mkdir: (p, o) => settle(() => fs.mkdirSync(p, o) ?? undefined),
  symlink: (t, p) => settle(() => fs.symlinkSync(t, p)),
  link: (a, b) => settle(() => fs.linkSync(a, b)),
  rename: (a, b) => settle(() => fs.renameSync(a, b)),
  unlink: (p) => settle(() => fs.unlinkSync(p)),
  rmdir: (p) => settle(() => fs.rmdirSync(p)),
  chmod: (p, m) => settle(() => fs.chmodSync(p, m)),
  lchown: (p, u, g) => settle(() => fs.lchownSync(p, u, g)),
  lutimes: (p, a, m) => settle(() => fs.lutimesSync(p, a, m)),
};
