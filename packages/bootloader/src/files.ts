/**
 * Small file helpers shared by the backends: ostree's line joining and crash-safe replacement.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';
import type { Fs } from '@ostree-ts/io';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Joins lines the way ostree's bootloader backends do: each line gets a `\n`; an empty line
 * is dropped when it is the first one, and every empty line after the first kept one is
 * dropped too (ostree never resets its "previous was empty" flag, so only one survives).
 */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  let sawEmpty = false;
  lines.forEach((line, i) => {
    if (line === '') {
      if (sawEmpty || i === 0) return;
      sawEmpty = true;
    }
    out += `${line}\n`;
  });
  return out;
}

/** Joins path segments with `/`, collapsing duplicate slashes. */
export function joinPath(...parts: string[]): string {
  return parts.join('/').replace(/\/{2,}/g, '/');
}

/** The directory part of a path (`/` for top-level names). */
export function dirname(path: string): string {
  const i = path.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Temporary names {@link replaceFile} uses: `.<name>.tmp-<run>-<n>`. */
export const TEMP_NAME = /^\..*\.tmp-[0-9a-f]+-[0-9]+$/;

/** Removes temporary files a crash left in `dir` (if it exists), with `recursive` in subdirectories too. */
export async function removeTempFiles(fs: Fs, dir: string, recursive = false): Promise<void> {
  if ((await fs.lstatIfExists(dir))?.type !== 'directory') return;
  for (const name of await fs.readdir(dir)) {
    const path = joinPath(dir, name);
    if (TEMP_NAME.test(name)) await fs.unlink(path);
    else if (recursive && (await fs.lstat(path)).type === 'directory') await removeTempFiles(fs, path, true);
  }
}

let tmpCounter = 0;
// A per-run tag so writers in different processes do not share temp names.
const runTag = Math.floor(Math.random() * 0xffffffff).toString(16);

/**
 * Replaces `path` with `data` crash-safely: a temporary file next to it, fsync, rename over.
 * After a crash the file holds either the old or the new content, never a mix.
 */
export async function replaceFile(fs: Fs, path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const bytes = typeof data === 'string' ? utf8.encode(data) : data;
  const tmp = `${dirname(path)}/.${path.slice(dirname(path).length + 1)}.tmp-${runTag}-${tmpCounter++}`;
  await fs.removeTree(tmp);
  const handle = await fs.openWrite(tmp, { mode });
  try {
    await handle.write(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.chmod(tmp, mode);
  await fs.rename(tmp, path);
}

/**
 * Follows symlinks in the last component of `path` (the Fs interface never does; earlier
 * components are resolved by the filesystem). Relative targets resolve against the link's directory.
 */
export async function followLinks(fs: Fs, path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const stat = await fs.lstatIfExists(current);
    if (stat?.type !== 'symlink') return current;
    const target = await fs.readlink(current);
    current = target.startsWith('/') ? target : joinPath(dirname(current), target);
  }
  throw new OstreeError('IO_ERROR', `Too many levels of symbolic links: ${path}`);
}

/** Reads a UTF-8 text file (following symlinks), wrapping failures as `IO_ERROR`. */
export async function readText(fs: Fs, path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(await followLinks(fs, path));
  } catch (cause) {
    throw new OstreeError('IO_ERROR', `Reading ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    return utf8Decoder.decode(bytes);
  } catch (cause) {
    throw new OstreeError('INVALID_SYSROOT', `${path} is not valid UTF-8`, { cause });
  }
}

/** True if `path` exists; with `follow`, a dangling symlink counts as absent. */
export async function exists(fs: Fs, path: string, follow: boolean): Promise<boolean> {
  if (!follow) return (await fs.lstatIfExists(path)) !== undefined;
  try {
    await fs.stat(path);
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return false;
    throw e;
  }
}
