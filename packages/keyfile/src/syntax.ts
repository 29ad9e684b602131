/**
 * Character classes and name rules of the GKeyFile format.
 * @module
 */

/**
 * Whether `ch` is ASCII white space in GLib's sense (`g_ascii_isspace`):
 * space, tab, line feed, form feed or carriage return. Unlike C `isspace`,
 * vertical tab is *not* white space here.
 * @param ch - a single UTF-16 code unit (or `undefined` past the end of a string)
 */
export function isAsciiSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\f' || ch === '\r';
}

/**
 * Whether `ch` is white space for C `isspace` in the C locale: as
 * {@link isAsciiSpace} plus vertical tab. Used where GLib defers to `strtol`.
 * @param ch - a single UTF-16 code unit (or `undefined`)
 */
export function isCSpace(ch: string | undefined): boolean {
  return ch === '\v' || isAsciiSpace(ch);
}

/** Index of the first character of `s` at or after `from` that is not ASCII white space. */
export function skipAsciiSpace(s: string, from = 0): number {
  let i = from;
  while (i < s.length && isAsciiSpace(s[i])) i++;
  return i;
}

/** `s` without trailing ASCII white space. */
export function trimAsciiSpaceEnd(s: string): string {
  let end = s.length;
  while (end > 0 && isAsciiSpace(s[end - 1])) end--;
  return s.slice(0, end);
}

function isAsciiControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/**
 * Whether `name` may be used as a group name: non-empty, and free of `[`, `]`
 * and ASCII control characters.
 * @param name - candidate group name
 */
export function isValidGroupName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x5d /* ] */ || isAsciiControl(c)) return false;
  }
  return true;
}

const LOCALE_CHAR = /^[\p{L}\p{N}\-_.@]$/u;

/**
 * Whether `name` may be used as a key name.
 *
 * A key is a non-empty run of characters other than `=`, `[`, `]` and NUL that
 * neither starts nor ends with a space, optionally followed by a locale suffix
 * `[locale]` made of letters, digits, `-`, `_`, `.` and `@`; nothing may follow
 * the suffix.
 * @param name - candidate key name
 */
export function isValidKeyName(name: string): boolean {
  let q = 0;
  while (q < name.length) {
    const ch = name[q];
    if (ch === '=' || ch === '[' || ch === ']' || ch === '\0') break;
    q++;
  }
  if (q === 0) return false;
  if (name[0] === ' ' || name[q - 1] === ' ') return false;
  if (name[q] === '[') {
    q++;
    while (q < name.length) {
      const cp = name.codePointAt(q)!;
      const ch = String.fromCodePoint(cp);
      if (!LOCALE_CHAR.test(ch)) break;
      q += ch.length;
    }
    if (name[q] !== ']') return false;
    q++;
  }
  return q >= name.length;
}

/**
 * The locale part of a key such as `Name[de_DE]` (`"de_DE"`), or `null` when
 * the key has no non-empty `[...]` suffix.
 * @param key - a key name
 */
export function keyLocale(key: string): string | null {
  const open = key.lastIndexOf('[');
  if (open < 0) return null;
  const suffix = key.slice(open);
  return suffix.length > 2 ? suffix.slice(1, -1) : null;
}

/** ASCII-only lower-casing, as GLib's `g_ascii_strncasecmp` compares. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}
