/**
 * The OSTree object model: objects, checksums, names, validation
 * @module
 */
export {};
