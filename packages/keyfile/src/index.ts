/**
 * GLib GKeyFile parser and writer, byte-compatible with `g_key_file_to_data()`.
 *
 * Pure TypeScript: no Node built-ins, runs in any JavaScript runtime.
 * @module
 */
export { KeyFile } from './keyfile.js';
export { KeyFileError, type KeyFileErrorCode, type KeyFileErrorDetails } from './errors.js';
export type { ParseOptions } from './parse.js';
export { escapeValue, unescapeValue, type UnescapeResult } from './escape.js';
export { isValidGroupName, isValidKeyName } from './syntax.js';
