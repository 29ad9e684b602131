/**
 * Extended attributes through lgetxattr/llistxattr/lsetxattr: the `l` variants act on a
 * symlink itself and never read through it.
 * @module
 * @internal
 */
import type { FsXattr } from '@ostree-ts/io';
import { ENODATA, ERANGE, checkCString, errnoError, type Libc } from './native.js';

/**
 * Scratch buffer for the first attempt of every read. 4 KiB holds almost every attribute
 * (ext4 keeps all of a file's attributes in one block); the kernel zero-fills a buffer of
 * the size we pass, so a 64 KiB scratch would cost ~3x more per call. Calls are
 * synchronous, so one module-wide buffer is safe.
 */
const scratch = new Uint8Array(4096);
/** Retries when the value keeps growing between the size query and the read. */
const MAX_ATTEMPTS = 8;
const decoder = new TextDecoder();

/** Calls `call(buf)`, growing `buf` on ERANGE; returns the bytes read (a fresh copy) or undefined on ENODATA. */
function readGrowing(
  libc: Libc,
  call: (buf: Uint8Array | null, size: number) => number,
  syscall: string,
  path: string,
): Uint8Array | undefined {
  let buf = scratch;
  for (let attempt = 1; ; attempt++) {
    const n = call(buf, buf.length);
    if (n >= 0) return n === buf.length && buf !== scratch ? buf : buf.slice(0, n);
    const errno = libc.errno();
    if (errno === ENODATA) return undefined;
    if (errno !== ERANGE || attempt >= MAX_ATTEMPTS) throw errnoError(errno, syscall, path);
    // Too small: ask for the size, then try again (the value may still grow meanwhile).
    const size = call(null, 0);
    if (size < 0) {
      const e = libc.errno();
      if (e === ENODATA) return undefined;
      throw errnoError(e, syscall, path);
    }
    buf = new Uint8Array(Math.max(size, buf.length * 2));
  }
}

/** One attribute of `path` itself, or undefined if absent. */
export function getXattr(libc: Libc, path: string, name: string): Uint8Array | undefined {
  checkCString(path, 'lgetxattr', path);
  checkCString(name, 'lgetxattr', path);
  return readGrowing(libc, (buf, size) => libc.lgetxattr(path, name, buf, size), 'lgetxattr', path);
}

/** Attribute names of `path` itself. */
export function listXattrs(libc: Libc, path: string): string[] {
  checkCString(path, 'llistxattr', path);
  const list = readGrowing(libc, (buf, size) => libc.llistxattr(path, buf, size), 'llistxattr', path);
  const names: string[] = [];
  if (list === undefined) return names;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === 0) {
      if (i > start) names.push(decoder.decode(list.subarray(start, i)));
      start = i + 1;
    }
  }
  return names;
}

/** Every attribute of `path` itself; names that vanish between listing and reading are skipped. */
export function getXattrs(libc: Libc, path: string): FsXattr[] {
  const out: FsXattr[] = [];
  for (const name of listXattrs(libc, path)) {
    const value = getXattr(libc, path, name);
    if (value !== undefined) out.push([name, value]);
  }
  return out;
}

export function setXattr(libc: Libc, path: string, name: string, value: Uint8Array): void {
  checkCString(path, 'lsetxattr', path);
  checkCString(name, 'lsetxattr', path);
  if (libc.lsetxattr(path, name, value.length === 0 ? null : value, value.length, 0) !== 0) {
    throw errnoError(libc.errno(), 'lsetxattr', path);
  }
}
