/**
 * GLib GKeyFile parser and writer that round-trips comments and order
 * @module
 */
export {};
