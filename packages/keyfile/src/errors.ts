/**
 * Error type thrown by every fallible operation in this package.
 * @module
 */

/**
 * Stable, machine-readable error codes carried by {@link KeyFileError}.
 *
 * The first five mirror GLib's `GKeyFileError` domain; `KEYFILE_INVALID_NAME`
 * covers calls that GLib rejects with a critical warning (and otherwise
 * ignores) because a group or key name is not well formed.
 *
 * | code | GLib equivalent | when |
 * | --- | --- | --- |
 * | `KEYFILE_PARSE` | `G_KEY_FILE_ERROR_PARSE` | a line is not a group header, `key=value` pair or comment; bad group or key name in the text |
 * | `KEYFILE_UNKNOWN_ENCODING` | `G_KEY_FILE_ERROR_UNKNOWN_ENCODING` | the first group sets `Encoding` to something other than UTF-8 |
 * | `KEYFILE_GROUP_NOT_FOUND` | `G_KEY_FILE_ERROR_GROUP_NOT_FOUND` | a group does not exist; also a key line before the first group |
 * | `KEYFILE_KEY_NOT_FOUND` | `G_KEY_FILE_ERROR_KEY_NOT_FOUND` | a key does not exist in a group |
 * | `KEYFILE_INVALID_VALUE` | `G_KEY_FILE_ERROR_INVALID_VALUE` | a value cannot be read as the requested type, or an argument cannot be stored |
 * | `KEYFILE_INVALID_NAME` | (critical warning) | a group or key name passed to a setter is not valid |
 */
export type KeyFileErrorCode =
  | 'KEYFILE_PARSE'
  | 'KEYFILE_UNKNOWN_ENCODING'
  | 'KEYFILE_GROUP_NOT_FOUND'
  | 'KEYFILE_KEY_NOT_FOUND'
  | 'KEYFILE_INVALID_VALUE'
  | 'KEYFILE_INVALID_NAME';

/** Extra context attached to a {@link KeyFileError}. */
export interface KeyFileErrorDetails {
  /** 1-based line number in the parsed text, for errors raised while parsing. */
  readonly line?: number;
  /** The group involved, when there is one. */
  readonly group?: string;
  /** The key involved, when there is one. */
  readonly key?: string;
}

/**
 * The error thrown by {@link KeyFile} parsing, lookups and typed getters.
 *
 * Branch on {@link KeyFileError.code}, never on the message text.
 *
 * @example
 * ```ts
 * try {
 *   kf.getBoolean('remote "origin"', 'gpg-verify');
 * } catch (e) {
 *   if (e instanceof KeyFileError && e.code === 'KEYFILE_KEY_NOT_FOUND') {
 *     // default
 *   }
 * }
 * ```
 */
export class KeyFileError extends Error {
  /** Stable error code; see {@link KeyFileErrorCode}. */
  readonly code: KeyFileErrorCode;
  /** 1-based line number of the offending line, for parse-time errors. */
  readonly line: number | undefined;
  /** Group involved in the error, if any. */
  readonly group: string | undefined;
  /** Key involved in the error, if any. */
  readonly key: string | undefined;

  /**
   * @param code - stable error code
   * @param message - human-readable description (not part of the API contract)
   * @param details - optional line/group/key context
   */
  constructor(code: KeyFileErrorCode, message: string, details: KeyFileErrorDetails = {}) {
    super(details.line !== undefined ? `line ${details.line}: ${message}` : message);
    this.name = 'KeyFileError';
    this.code = code;
    this.line = details.line;
    this.group = details.group;
    this.key = details.key;
  }
}
