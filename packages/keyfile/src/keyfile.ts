/**
 * The {@link KeyFile} class: a GLib-compatible GKeyFile document.
 * @module
 */

import { KeyFileError } from './errors.js';
import { commentToStored, escapeValue, LIST_SEPARATOR, storedToComment, unescapeValue } from './escape.js';
import { formatKeyFile } from './format.js';
import { cloneGroups, type Entry, type Group, newGroup } from './model.js';
import { parseBooleanValue, parseInt32Value, parseInt64Value, parseUint64Value, RANGES } from './numbers.js';
import { type ParseOptions, parseKeyFile } from './parse.js';
import { isValidGroupName, isValidKeyName } from './syntax.js';

function checkNoNul(what: string, s: string): void {
  if (s.includes('\0')) throw new KeyFileError('KEYFILE_INVALID_VALUE', `${what} contains a NUL character`);
}

/**
 * A GKeyFile document (the INI-like format of OSTree's repo `config`, remote
 * configuration and deployment `.origin` files), with GLib's exact semantics.
 *
 * The document keeps every line it was parsed from (comments and blank lines
 * too, unless `keepComments: false`), so that {@link KeyFile.toString} gives
 * exactly what GLib's `g_key_file_to_data()` gives after the same calls.
 *
 * @example
 * ```ts
 * const kf = KeyFile.parse('[core]\nrepo_version=1\nmode=bare\n');
 * kf.setString('core', 'mode', 'archive-z2');
 * kf.setStringList('remote "origin"', 'branches', ['a', 'b']);
 * kf.toString();
 * // '[core]\nrepo_version=1\nmode=archive-z2\n\n[remote "origin"]\nbranches=a;b;\n'
 * ```
 */
export class KeyFile {
  #groups: Group[];
  #byName: Map<string, Group>;

  /** Create an empty key file (no groups, no comments). */
  constructor() {
    this.#groups = [newGroup(null)];
    this.#byName = new Map();
  }

  /**
   * Parse GKeyFile text.
   *
   * Repeated groups are merged into the first occurrence; a repeated key
   * inside a group keeps both lines in the output, and getters see the last.
   *
   * @param text - the file contents
   * @param options - see {@link ParseOptions}; comments are kept by default
   * @throws {@link KeyFileError} `KEYFILE_PARSE` for a line that is not a group
   *   header, `key=value` pair, comment or blank line, or that has an invalid
   *   group or key name; `KEYFILE_GROUP_NOT_FOUND` for a key before the first
   *   group; `KEYFILE_UNKNOWN_ENCODING` when the first group has a non-UTF-8
   *   `Encoding` key. `error.line` is the 1-based line number.
   */
  static parse(text: string, options: ParseOptions = {}): KeyFile {
    const kf = new KeyFile();
    const { groups } = parseKeyFile(text, options);
    kf.#groups = groups;
    for (const g of groups) if (g.name !== null) kf.#byName.set(g.name, g);
    return kf;
  }

  /**
   * Serialize to text, identical to GLib's `g_key_file_to_data()` for the same
   * document. Every line ends in `\n`; groups are separated by a blank line.
   */
  toString(): string {
    return formatKeyFile(this.#groups);
  }

  /** An independent deep copy of this document. */
  clone(): KeyFile {
    const kf = new KeyFile();
    kf.#groups = cloneGroups(this.#groups);
    for (const g of kf.#groups) if (g.name !== null) kf.#byName.set(g.name, g);
    return kf;
  }

  /** Names of all groups, in file order. */
  groups(): string[] {
    return this.#groups.flatMap((g) => (g.name === null ? [] : [g.name]));
  }

  /**
   * Keys of a group, in file order. Like GLib, a key that appears on several
   * lines of the group is listed once per line.
   * @param group - group name
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`
   */
  keys(group: string): string[] {
    return this.#group(group).entries.flatMap((e) => (e.key === null ? [] : [e.key]));
  }

  /** Whether the group exists. */
  hasGroup(group: string): boolean {
    return this.#byName.has(group);
  }

  /**
   * Whether the key exists in the group. Returns `false` for a missing group
   * (GLib reports an error there instead).
   */
  hasKey(group: string, key: string): boolean {
    return this.#byName.get(group)?.lookup.has(key) ?? false;
  }

  /**
   * The raw value text of a key, escapes not decoded.
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`
   */
  getValue(group: string, key: string): string {
    const entry = this.#group(group).lookup.get(key);
    if (!entry) throw new KeyFileError('KEYFILE_KEY_NOT_FOUND', `no key "${key}" in group "${group}"`, { group, key });
    return entry.value;
  }

  /**
   * Set the raw value text of a key, creating the group (at the end of the
   * file) and the key (at the end of the group) if needed. The text is stored
   * unchecked, as GLib does: a value containing a line break will not read
   * back the same. Prefer {@link KeyFile.setString} for arbitrary text.
   * @throws {@link KeyFileError} `KEYFILE_INVALID_NAME` for an invalid group or
   *   key name (where GLib logs a critical warning and does nothing);
   *   `KEYFILE_INVALID_VALUE` for a value containing NUL
   */
  setValue(group: string, key: string, value: string): void {
    if (!isValidGroupName(group)) {
      throw new KeyFileError('KEYFILE_INVALID_NAME', `invalid group name ${JSON.stringify(group)}`, { group });
    }
    if (!isValidKeyName(key)) {
      throw new KeyFileError('KEYFILE_INVALID_NAME', `invalid key name ${JSON.stringify(key)}`, { group, key });
    }
    checkNoNul('value', value);
    let g = this.#byName.get(group);
    if (!g) {
      g = newGroup(group);
      this.#groups.push(g);
      this.#byName.set(group, g);
    }
    const entry = g.lookup.get(key);
    if (entry) {
      entry.value = value;
    } else {
      const e: Entry = { key, value };
      g.entries.push(e);
      g.lookup.set(key, e);
    }
  }

  /**
   * A string value with escapes (`\s \n \t \r \\`) decoded.
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`;
   *   `KEYFILE_INVALID_VALUE` for an unknown escape (including `\;`) or a
   *   trailing backslash
   */
  getString(group: string, key: string): string {
    const r = unescapeValue(this.getValue(group, key), null);
    if (!r.ok) throw new KeyFileError('KEYFILE_INVALID_VALUE', `key "${key}" in group "${group}": ${r.reason}`, { group, key });
    return r.value;
  }

  /**
   * Store a string, escaping line breaks, backslashes and leading spaces/tabs.
   * @throws {@link KeyFileError} as {@link KeyFile.setValue}
   */
  setString(group: string, key: string, value: string): void {
    checkNoNul('value', value);
    this.setValue(group, key, escapeValue(value, null));
  }

  /**
   * A `;`-separated list of strings. `\;` is a literal `;`; a trailing `;` is
   * optional (`a;b` and `a;b;` are both `["a","b"]`); the empty value is `[]`.
   * @throws {@link KeyFileError} as {@link KeyFile.getString}
   */
  getStringList(group: string, key: string): string[] {
    const r = unescapeValue(this.getValue(group, key), LIST_SEPARATOR);
    if (!r.ok) throw new KeyFileError('KEYFILE_INVALID_VALUE', `key "${key}" in group "${group}": ${r.reason}`, { group, key });
    return r.pieces;
  }

  /**
   * Store a list of strings as GLib does: each element escaped (including
   * `;` → `\;`) and followed by `;`, so `["a","b"]` is written `a;b;`.
   * @throws {@link KeyFileError} as {@link KeyFile.setValue}
   */
  setStringList(group: string, key: string, values: readonly string[]): void {
    let raw = '';
    for (const v of values) {
      checkNoNul('list element', v);
      raw += escapeValue(v, LIST_SEPARATOR) + LIST_SEPARATOR;
    }
    this.setValue(group, key, raw);
  }

  /**
   * A boolean value: `true`/`1` or `false`/`0`, exactly (case-sensitive),
   * optionally followed by white space.
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`,
   *   `KEYFILE_INVALID_VALUE` (e.g. `"maybe"`, `"yes"`, `"True"`)
   */
  getBoolean(group: string, key: string): boolean {
    const raw = this.getValue(group, key);
    const b = parseBooleanValue(raw);
    if (b === null) {
      throw new KeyFileError('KEYFILE_INVALID_VALUE', `key "${key}" in group "${group}": ${JSON.stringify(raw)} is not a boolean`, { group, key });
    }
    return b;
  }

  /** Store a boolean as `true` or `false`. @throws {@link KeyFileError} as {@link KeyFile.setValue} */
  setBoolean(group: string, key: string, value: boolean): void {
    this.setValue(group, key, value ? 'true' : 'false');
  }

  /**
   * A 32-bit signed integer (decimal; may be followed by white space and then
   * anything, as GLib allows).
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`,
   *   `KEYFILE_INVALID_VALUE` (not a number, or outside the int32 range)
   */
  getInteger(group: string, key: string): number {
    const raw = this.getValue(group, key);
    const n = parseInt32Value(raw);
    if (n === null) {
      throw new KeyFileError('KEYFILE_INVALID_VALUE', `key "${key}" in group "${group}": ${JSON.stringify(raw)} is not a 32-bit integer`, { group, key });
    }
    return n;
  }

  /**
   * Store a 32-bit signed integer in decimal.
   * @throws {@link KeyFileError} `KEYFILE_INVALID_VALUE` if `value` is not an
   *   integer in the int32 range; otherwise as {@link KeyFile.setValue}
   */
  setInteger(group: string, key: string, value: number): void {
    if (!Number.isInteger(value) || BigInt(value) < RANGES.int32[0] || BigInt(value) > RANGES.int32[1]) {
      throw new KeyFileError('KEYFILE_INVALID_VALUE', `${value} is not a 32-bit integer`, { group, key });
    }
    this.setValue(group, key, String(value));
  }

  /**
   * A signed 64-bit integer: the whole value must be a decimal number
   * (leading white space allowed). Out-of-range numbers saturate, as in GLib.
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`,
   *   `KEYFILE_INVALID_VALUE`
   */
  getInt64(group: string, key: string): bigint {
    const raw = this.getValue(group, key);
    const n = parseInt64Value(raw);
    if (n === null) {
      throw new KeyFileError('KEYFILE_INVALID_VALUE', `key "${key}" in group "${group}": ${JSON.stringify(raw)} is not an int64`, { group, key });
    }
    return n;
  }

  /**
   * Store a signed 64-bit integer in decimal.
   * @throws {@link KeyFileError} `KEYFILE_INVALID_VALUE` outside the int64 range
   */
  setInt64(group: string, key: string, value: bigint): void {
    if (value < RANGES.int64[0] || value > RANGES.int64[1]) {
      throw new KeyFileError('KEYFILE_INVALID_VALUE', `${value} is outside the int64 range`, { group, key });
    }
    this.setValue(group, key, value.toString());
  }

  /**
   * An unsigned 64-bit integer: the whole value must be a decimal number. As
   * in GLib (C `strtoull`), `-1` reads as 2^64-1 and large values saturate.
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`,
   *   `KEYFILE_INVALID_VALUE`
   */
  getUint64(group: string, key: string): bigint {
    const raw = this.getValue(group, key);
    const n = parseUint64Value(raw);
    if (n === null) {
      throw new KeyFileError('KEYFILE_INVALID_VALUE', `key "${key}" in group "${group}": ${JSON.stringify(raw)} is not a uint64`, { group, key });
    }
    return n;
  }

  /**
   * Store an unsigned 64-bit integer in decimal.
   * @throws {@link KeyFileError} `KEYFILE_INVALID_VALUE` outside 0…2^64-1
   */
  setUint64(group: string, key: string, value: bigint): void {
    if (value < RANGES.uint64[0] || value > RANGES.uint64[1]) {
      throw new KeyFileError('KEYFILE_INVALID_VALUE', `${value} is outside the uint64 range`, { group, key });
    }
    this.setValue(group, key, value.toString());
  }

  /**
   * Remove a key. Comment lines above it stay. If the key appeared on several
   * lines, only the last line goes; the earlier ones remain in the text but
   * are no longer visible to getters (GLib does the same).
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`
   */
  removeKey(group: string, key: string): void {
    const g = this.#group(group);
    const entry = g.lookup.get(key);
    if (!entry) throw new KeyFileError('KEYFILE_KEY_NOT_FOUND', `no key "${key}" in group "${group}"`, { group, key });
    g.entries.splice(g.entries.indexOf(entry), 1);
    g.lookup.delete(key);
  }

  /**
   * Remove a group and all its lines. Comments written above its header
   * belong to the previous group and stay.
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`
   */
  removeGroup(group: string): void {
    const g = this.#group(group);
    this.#groups.splice(this.#groups.indexOf(g), 1);
    this.#byName.delete(group);
  }

  /**
   * Read a comment, with one leading `#` stripped from each line and lines
   * joined by `\n`; `null` when there is none.
   *
   * - `getComment()` / `getComment(null)`: the comment block at the top of the
   *   file (everything before the first group).
   * - `getComment(group)`: the comment set with `setComment(group, null, …)`,
   *   returned as stored (with its `#`s); otherwise the comment and blank lines
   *   at the end of the *previous* group, i.e. just above the header. For the
   *   first group this is the top-of-file comment.
   * - `getComment(group, key)`: the run of comment and blank lines directly
   *   above the key.
   *
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`
   */
  getComment(group: string | null = null, key: string | null = null): string | null {
    if (group === null) return trailingComment(this.#groups[0]!);
    const g = this.#group(group);
    if (key === null) {
      if (g.comment !== null) return g.comment;
      return trailingComment(this.#groups[this.#groups.indexOf(g) - 1]!);
    }
    const idx = this.#keyIndex(g, key);
    let first = idx;
    while (first > 0 && g.entries[first - 1]!.key === null) first--;
    if (first === idx) return null;
    let out = '';
    for (let i = first; i < idx; i++) out += storedToComment(g.entries[i]!.value, i === idx - 1);
    return out;
  }

  /**
   * Set a comment; each line of `comment` is written with a `#` prefix (an
   * empty string writes a blank line).
   *
   * - `setComment(null, …, text)`: replaces the whole top-of-file block.
   * - `setComment(group, null, text)`: attaches `text` just above the group
   *   header. Comment lines already above the header (they belong to the
   *   previous group) are left alone.
   * - `setComment(group, key, text)`: replaces the run of comment and blank
   *   lines directly above the key.
   *
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`,
   *   `KEYFILE_INVALID_VALUE` for text containing NUL
   */
  setComment(group: string | null, key: string | null, comment: string): void {
    checkNoNul('comment', comment);
    this.#setComment(group, key, commentToStored(comment));
  }

  /**
   * Remove a comment: the same places as {@link KeyFile.setComment}.
   * @throws {@link KeyFileError} `KEYFILE_GROUP_NOT_FOUND`, `KEYFILE_KEY_NOT_FOUND`
   */
  removeComment(group: string | null = null, key: string | null = null): void {
    this.#setComment(group, key, null);
  }

  #setComment(group: string | null, key: string | null, stored: string | null): void {
    if (group === null) {
      this.#groups[0]!.entries = stored === null ? [] : [{ key: null, value: stored }];
      return;
    }
    const g = this.#group(group);
    if (key === null) {
      g.comment = stored;
      return;
    }
    const idx = this.#keyIndex(g, key);
    let first = idx;
    while (first > 0 && g.entries[first - 1]!.key === null) first--;
    g.entries.splice(first, idx - first, ...(stored === null ? [] : [{ key: null, value: stored }]));
  }

  #group(name: string): Group {
    const g = this.#byName.get(name);
    if (!g) throw new KeyFileError('KEYFILE_GROUP_NOT_FOUND', `no group "${name}"`, { group: name });
    return g;
  }

  /** Position of the last line of `g` with this key (GLib's list search, not the lookup table). */
  #keyIndex(g: Group, key: string): number {
    for (let i = g.entries.length - 1; i >= 0; i--) if (g.entries[i]!.key === key) return i;
    throw new KeyFileError('KEYFILE_KEY_NOT_FOUND', `no key "${key}" in group "${g.name}"`, { group: g.name!, key });
  }
}

/** The comment/blank lines at the end of a group, as comment text; `null` if none. */
function trailingComment(g: Group): string | null {
  let first = g.entries.length;
  while (first > 0 && g.entries[first - 1]!.key === null) first--;
  if (first === g.entries.length) return null;
  let out = '';
  for (let i = first; i < g.entries.length; i++) out += storedToComment(g.entries[i]!.value, i === g.entries.length - 1);
  return out;
}
