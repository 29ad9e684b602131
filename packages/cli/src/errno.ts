/**
 * GLib reports filesystem failures with strerror() text ("No such file or directory"); Node
 * and the Fs interface carry errno names. This maps the names ostree-ts meets to that text.
 * @module
 */

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTEMPTY: 'Directory not empty',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  ELOOP: 'Too many levels of symbolic links',
  ENOTSUP: 'Operation not supported',
  EOPNOTSUPP: 'Operation not supported',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  ENAMETOOLONG: 'File name too long',
  EXDEV: 'Invalid cross-device link',
  EBUSY: 'Device or resource busy',
  ENODATA: 'No data available',
};

/** The errno name of an error, if it has one. */
export function errnoOf(e: unknown): string | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** strerror() text for an error with an errno name, else its message. */
export function strerror(e: unknown): string {
  const code = errnoOf(e);
  if (code !== undefined) return STRERROR[code] ?? code;
  return e instanceof Error ? e.message : String(e);
}
