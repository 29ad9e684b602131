/**
 * Node.js implementation of the ostree-ts filesystem interface (xattrs, renameat2, syncfs)
 * @module
 */
export {};
