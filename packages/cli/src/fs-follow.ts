/**
 * The Fs interface never follows a symlink in the last path component; ostree's ref files may
 * be symlinks (aliases) that it opens with plain openat(), following them. This resolves
 * them explicitly.
 * @module
 */
import { dirname, resolve } from 'node:path';
import type { Fs } from '@ostree-ts/io';

const MAX_LINKS = 40;

/** The path with symlinks in its last component resolved, as open(2) would follow them. */
export async function followSymlinks(fs: Fs, path: string): Promise<string> {
  let p = path;
  for (let i = 0; i <= MAX_LINKS; i++) {
    const st = await fs.lstat(p);
    if (st.type !== 'symlink') return p;
    p = resolve(dirname(p), await fs.readlink(p));
  }
  throw Object.assign(new Error(`Too many levels of symbolic links: ${path}`), { code: 'ELOOP' });
}

/** Reads a file, following symlinks in its last component as open(2) would. */
export async function readFileFollowing(fs: Fs, path: string): Promise<Uint8Array> {
  return fs.readFile(await followSymlinks(fs, path));
}
