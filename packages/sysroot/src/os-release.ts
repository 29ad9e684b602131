/**
 * os-release parsing for BLS titles: `KEY=value` lines with shell quoting, as ostree reads
 * them (comments skipped, values that fail to unquote ignored).
 * @module
 */

/** GLib's g_shell_unquote: single quotes literal, double quotes with `\` escapes of `$`, `` ` ``, `"`, `\` and newline; bare backslash escapes; undefined if unterminated. */
export function shellUnquote(text: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      out += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < text.length && '"\\`$\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== '\n') out += text[i + 1];
          i += 2;
          continue;
        }
        out += d;
        i++;
      }
      if (!closed) return undefined;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return undefined;
      if (text[i + 1] !== '\n') out += text[i + 1];
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The `KEY=value` pairs of an os-release file (later duplicates win). */
export function parseOsRelease(contents: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of contents.split('\n')) {
    if (line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const value = shellUnquote(line.slice(eq + 1));
    if (value !== undefined) values.set(line.slice(0, eq), value);
  }
  return values;
}
