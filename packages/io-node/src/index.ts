/**
 * Node.js implementation of the ostree-ts filesystem interface: `node:fs/promises` for the
 * common calls, libc through koffi (loaded lazily) for lgetxattr/llistxattr/lsetxattr,
 * renameat2(RENAME_NOREPLACE), syncfs and fchmodat(AT_SYMLINK_NOFOLLOW).
 * @module
 */
export { nodeFs, type NodeFsOptions } from './node-fs.js';
