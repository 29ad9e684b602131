/**
 * POSIX path joining for repo-relative paths. The Fs interface takes plain strings, and
 * repository paths never contain `..`, so lexical joining is all that is needed.
 * @module
 */

/** Joins path segments with `/`, collapsing duplicate separators. */
export function joinPath(...parts: string[]): string {
  return parts
    .filter((p) => p.length > 0)
    .join('/')
    .replace(/\/{2,}/g, '/');
}

/** The parent directory of `path` (`/` stays `/`). */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : path.slice(0, i);
}
