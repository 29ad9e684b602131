/**
 * `--subpath` filtering as ostree applies it while walking a tree: an entry is pulled when it
 * is one of the requested paths, lies inside one, or (for directories) leads to one.
 * @module
 */
import { OstreeError } from '@ostree-ts/core';

/**
 * Checks requested subpaths: absolute, no NUL. They are used as given (as ostree does, so
 * `/etc/` with a trailing slash matches the directory but nothing in it).
 */
export function checkSubpaths(paths: readonly string[]): string[] {
  for (const p of paths) {
    if (!p.startsWith('/') || p.includes('\0')) throw new OstreeError('INVALID_ARGUMENT', `Invalid subpath ${JSON.stringify(p)}: must be an absolute path`);
  }
  return [...paths];
}

function matches(file: string, pullDir: string, isDir: boolean): boolean {
  if (pullDir.startsWith(file)) {
    const rest = pullDir.slice(file.length);
    if (rest === '') return true;
    if (rest.startsWith('/')) return isDir;
    return false;
  }
  if (file.startsWith(pullDir)) return file.slice(pullDir.length).startsWith('/');
  return false;
}

/**
 * Whether the entry `name` of the directory at `dirPath` (ending in `/`, `"/"` for the root)
 * is pulled; every entry is when `subpaths` is undefined.
 */
export function wantedEntry(subpaths: readonly string[] | undefined, dirPath: string, name: string, isDir: boolean): boolean {
  if (subpaths === undefined) return true;
  const file = dirPath + name;
  return subpaths.some((d) => matches(file, d, isDir));
}
