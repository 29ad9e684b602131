/**
 * Text → document model, following GLib's GKeyFile loader line by line.
 * @module
 */

import { KeyFileError } from './errors.js';
import { type Group, newGroup } from './model.js';
import { asciiLower, isValidGroupName, isValidKeyName, keyLocale, skipAsciiSpace, trimAsciiSpaceEnd } from './syntax.js';

/** Options accepted by `KeyFile.parse`. */
export interface ParseOptions {
  /**
   * Keep comment and blank lines so that they are written back out
   * (GLib's `G_KEY_FILE_KEEP_COMMENTS`). Default `true`.
   * With `false`, comments and blank lines are dropped while parsing, as
   * GLib does under `G_KEY_FILE_NONE`.
   */
  readonly keepComments?: boolean;
  /**
   * Keep every localized key such as `Name[de]` (GLib's
   * `G_KEY_FILE_KEEP_TRANSLATIONS`). Default `false`: like GLib, a localized
   * key is only kept when its locale is one of {@link ParseOptions.languages}.
   */
  readonly keepTranslations?: boolean;
  /**
   * The locales whose translations are kept when `keepTranslations` is off;
   * compared ASCII-case-insensitively. This stands in for GLib's
   * `g_get_language_names()`, which depends on the process environment.
   * Default `['C']`, what GLib reports under `LC_ALL=C` with `LANGUAGE` unset.
   */
  readonly languages?: readonly string[];
}

/** The parsed document. */
export interface ParsedKeyFile {
  /** Groups in file order; index 0 is always the top-of-file block. */
  readonly groups: Group[];
}

function isGroupLine(rest: string): boolean {
  if (rest[0] !== '[') return false;
  const close = rest.indexOf(']', 1);
  if (close < 0) return false;
  let i = close + 1;
  while (rest[i] === ' ' || rest[i] === '\t') i++;
  return i === rest.length;
}

/**
 * Parse GKeyFile text.
 *
 * Lines end at `\n`; one `\r` just before a `\n` is dropped (a `\r` on a final
 * line without `\n` is kept). Leading white space of every line is ignored.
 * White space around the first `=` is dropped; trailing white space of a
 * value is kept.
 *
 * @param text - the whole file
 * @param options - parse options
 * @throws {@link KeyFileError} `KEYFILE_PARSE`, `KEYFILE_GROUP_NOT_FOUND`
 *   (key before the first group) or `KEYFILE_UNKNOWN_ENCODING`, with `line` set
 */
export function parseKeyFile(text: string, options: ParseOptions = {}): ParsedKeyFile {
  const keepComments = options.keepComments ?? true;
  const keepTranslations = options.keepTranslations ?? false;
  const languages = new Set((options.languages ?? ['C']).map(asciiLower));

  const top = newGroup(null);
  const groups: Group[] = [top];
  const byName = new Map<string, Group>();
  let current: Group = top;
  let start: Group | null = null;

  const comment = (line: string): void => {
    if (keepComments) current.entries.push({ key: null, value: line });
  };

  const parseLine = (line: string, lineNo: number): void => {
    const rest = line.slice(skipAsciiSpace(line));
    if (rest === '' || rest[0] === '#') {
      comment(line);
      return;
    }
    if (isGroupLine(rest)) {
      const name = rest.slice(1, rest.lastIndexOf(']'));
      if (!isValidGroupName(name)) {
        throw new KeyFileError('KEYFILE_PARSE', `invalid group name ${JSON.stringify(name)}`, { line: lineNo });
      }
      const existing = byName.get(name);
      if (existing) {
        current = existing;
      } else {
        current = newGroup(name);
        groups.push(current);
        byName.set(name, current);
        start ??= current;
      }
      return;
    }
    const eq = rest.indexOf('=');
    if (eq <= 0) {
      throw new KeyFileError(
        'KEYFILE_PARSE',
        `not a group header, key=value pair or comment: ${JSON.stringify(line)}`,
        { line: lineNo },
      );
    }
    if (current.name === null) {
      throw new KeyFileError('KEYFILE_GROUP_NOT_FOUND', 'key=value pair before the first group', { line: lineNo });
    }
    const key = trimAsciiSpaceEnd(rest.slice(0, eq));
    if (!isValidKeyName(key)) {
      throw new KeyFileError('KEYFILE_PARSE', `invalid key name ${JSON.stringify(key)}`, {
        line: lineNo,
        group: current.name,
      });
    }
    const value = rest.slice(skipAsciiSpace(rest, eq + 1));
    if (current === start && key === 'Encoding' && asciiLower(value) !== 'utf-8') {
      throw new KeyFileError('KEYFILE_UNKNOWN_ENCODING', `unsupported encoding ${JSON.stringify(value)}`, {
        line: lineNo,
        group: current.name,
        key,
      });
    }
    const locale = keyLocale(key);
    if (locale !== null && !keepTranslations && !languages.has(asciiLower(locale))) return;
    const entry = { key, value };
    current.entries.push(entry);
    current.lookup.set(key, entry);
  };

  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const lineNo = text.slice(0, nul).split('\n').length;
    throw new KeyFileError('KEYFILE_PARSE', 'NUL character in key file text', { line: lineNo });
  }

  let pos = 0;
  let lineNo = 1;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) {
      parseLine(text.slice(pos), lineNo);
      break;
    }
    let line = text.slice(pos, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') comment('');
    else parseLine(line, lineNo);
    pos = nl + 1;
    lineNo++;
  }
  return { groups };
}
