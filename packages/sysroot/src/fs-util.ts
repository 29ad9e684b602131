/**
 * Small filesystem steps ostree's sysroot code repeats: atomic file and symlink replacement,
 * `mkdir -p`, and "remove if present".
 * @module
 */
import { hasErrorCode, type Fs } from '@ostree-ts/io';

// A random per-process tag plus a counter: unique beside `path` without node:process.
const tag = Math.floor(Math.random() * 0xffffffff).toString(36);
let counter = 0;
function tempName(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}${TEMP_PREFIX}${tag}-${(counter++).toString(36)}-${path.slice(slash + 1)}`;
}

const TEMP_PREFIX = '.tmp-';
const TEMP_NAME = /^\.tmp-[0-9a-z]+-[0-9a-z]+-./;

/** Removes temporary files a crash left in `dir` (names made by {@link replaceFile} / {@link replaceSymlink}). */
export async function removeStaleTemps(fs: Fs, dir: string): Promise<void> {
  if ((await fs.lstatIfExists(dir))?.type !== 'directory') return;
  for (const name of await fs.readdir(dir)) {
    if (!TEMP_NAME.test(name)) continue;
    const p = `${dir}/${name}`;
    if ((await fs.lstat(p)).type !== 'directory') await unlinkIfExists(fs, p);
  }
}

/** Writes `data` to a temporary name beside `path`, fsyncs it, and renames it over `path` (glnx_file_replace_contents_at). */
export async function replaceFile(fs: Fs, path: string, data: Uint8Array, mode = 0o644, sync = true): Promise<void> {
  const tmp = tempName(path);
  const h = await fs.openWrite(tmp, { mode, exclusive: true });
  try {
    await h.write(data);
    if (sync) await h.sync();
  } finally {
    await h.close();
  }
  await fs.chmod(tmp, mode);
  await fs.rename(tmp, path);
}

/** Makes `path` a symlink to `target`, atomically replacing whatever link is there (symlink_at_replace). */
export async function replaceSymlink(fs: Fs, target: string, path: string): Promise<void> {
  const tmp = tempName(path);
  await fs.symlink(target, tmp);
  await fs.rename(tmp, path);
}

/** `mkdir -p` that leaves existing directories alone. */
export async function mkdirP(fs: Fs, path: string, mode = 0o755): Promise<void> {
  if ((await fs.lstatIfExists(path)) !== undefined) return;
  await fs.mkdir(path, { mode, recursive: true });
}

/** Unlinks a file if it exists. */
export async function unlinkIfExists(fs: Fs, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (e) {
    if (!hasErrorCode(e, 'ENOENT')) throw e;
  }
}
