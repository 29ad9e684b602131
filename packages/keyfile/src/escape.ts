/**
 * Value escaping and comment text conversion, GKeyFile style.
 * @module
 */

/** The list separator GKeyFile uses unless told otherwise. */
export const LIST_SEPARATOR = ';';

/**
 * Encode a string as a stored value.
 *
 * Newline, carriage return and backslash always become `\n`, `\r`, `\\`.
 * Spaces and tabs become `\s` and `\t` only while they are leading (at the
 * start of the value, or, in a list, at the start of an element); elsewhere
 * they are written as-is, so trailing white space is *not* escaped.
 * When `separator` is given it is escaped as `\;` and starts a new element.
 *
 * @param s - the string to encode
 * @param separator - the list separator to escape, or `null` for a plain string
 * @returns the raw value text
 */
export function escapeValue(s: string, separator: string | null = null): string {
  let out = '';
  let leading = true;
  for (const ch of s) {
    switch (ch) {
      case ' ':
        out += leading ? '\\s' : ' ';
        break;
      case '\t':
        out += leading ? '\\t' : '\t';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\\':
        out += '\\\\';
        leading = false;
        break;
      default:
        if (separator !== null && ch === separator) {
          out += '\\' + ch;
          leading = true;
        } else {
          out += ch;
          leading = false;
        }
    }
  }
  return out;
}

/** Outcome of {@link unescapeValue}: the decoded text, or why it failed. */
export type UnescapeResult =
  | {
      /** Decoding succeeded. */
      readonly ok: true;
      /** The whole value decoded (separators kept as characters). */
      readonly value: string;
      /** The list elements (meaningful when a separator was given). */
      readonly pieces: string[];
    }
  | {
      /** Decoding failed. */
      readonly ok: false;
      /** Why: an unknown escape or a trailing backslash. */
      readonly reason: string;
    };

/**
 * Decode a stored value.
 *
 * Recognised escapes are `\s`, `\n`, `\t`, `\r` and `\\`; with a `separator`,
 * `\;` (the escaped separator) too, and unescaped separators split the value
 * into list elements. A trailing element is only produced when non-empty, so
 * `a;b;` and `a;b` both give `["a", "b"]`, while `a;;b` gives `["a", "", "b"]`.
 * Any other escape, or a backslash at the very end, is an error.
 *
 * @param value - raw value text
 * @param separator - list separator, or `null` to decode a single string
 */
export function unescapeValue(value: string, separator: string | null = null): UnescapeResult {
  let out = '';
  let pieceStart = 0;
  const pieces: string[] = [];
  let reason: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\') {
      i++;
      const next = value[i];
      switch (next) {
        case 's':
          out += ' ';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '\\':
          out += '\\';
          break;
        case undefined:
          reason ??= 'escape character at end of value';
          break;
        default:
          if (separator !== null && next === separator) {
            out += next;
          } else {
            out += '\\' + next;
            reason ??= `invalid escape sequence "\\${next}"`;
          }
      }
    } else {
      if (separator !== null && ch === separator) {
        pieces.push(out.slice(pieceStart));
        pieceStart = out.length + 1;
      }
      out += ch;
    }
  }
  if (reason !== null) return { ok: false, reason };
  if (pieceStart < out.length) pieces.push(out.slice(pieceStart));
  return { ok: true, value: out, pieces };
}

/**
 * Turn comment text into the stored comment lines: every line of `comment`
 * gets a `#` prefix. The empty string yields an empty (blank) line.
 * @param comment - comment text, lines separated by `\n`
 */
export function commentToStored(comment: string): string {
  if (comment === '') return '';
  return comment
    .split('\n')
    .map((line) => '#' + line)
    .join('\n');
}

/**
 * Turn one stored comment line (or block) back into comment text: one leading
 * `#` is dropped from each line, and unless `isLast`, a `\n` is appended.
 * @param stored - stored comment line(s)
 * @param isLast - whether this is the last line of the comment being read
 */
export function storedToComment(stored: string, isLast: boolean): string {
  const text = stored
    .split('\n')
    .map((line) => (line.startsWith('#') ? line.slice(1) : line))
    .join('\n');
  return isLast ? text : text + '\n';
}
