/**
 * GLib's type patterns for the text parser: strings like `Ma*` or `MN` where `M` marks a value
 * that may be wrapped in a maybe, `N` any number, `S` any string type and `*` anything, and
 * pattern_coalesce(), which finds the most general pattern two array elements share.
 * @module
 */

function patternCopy(s: string, i: number): [string, number] {
  let out = '';
  while (s[i] === 'a' || s[i] === 'm' || s[i] === 'M') out += s[i++];
  let brackets = 0;
  do {
    const c = s[i];
    if (c === '(' || c === '{') brackets++;
    else if (c === ')' || c === '}') brackets--;
    out += c;
    i++;
  } while (brackets);
  return [out, i];
}

/** GLib's pattern_coalesce: the most general pattern both sides match, or undefined. */
export function coalescePatterns(left: string, right: string): string | undefined {
  let out = '';
  const s = [left, right];
  const idx = [0, 0];
  while (idx[0]! < s[0]!.length && idx[1]! < s[1]!.length) {
    if (s[0]![idx[0]!] === s[1]![idx[1]!]) {
      out += s[0]![idx[0]!];
      idx[0]!++;
      idx[1]!++;
      continue;
    }
    let matched = false;
    for (const [one, other] of [
      [0, 1],
      [1, 0],
    ] as const) {
      const a = s[one]![idx[one]!]!;
      const b = s[other]![idx[other]!]!;
      if (a === '*' && b !== ')') {
        const [copied, next] = patternCopy(s[other]!, idx[other]!);
        out += copied;
        idx[other] = next;
        idx[one]!++;
      } else if (a === 'M' && b === 'm') {
        out += b;
        idx[other]!++;
      } else if (a === 'M' && b !== 'm' && b !== '*') {
        idx[one]!++;
      } else if (a === 'N' && 'ynqiuxthd'.includes(b)) {
        out += b;
        idx[other]!++;
        idx[one]!++;
      } else if (a === 'S' && 'sog'.includes(b)) {
        out += b;
        idx[other]!++;
        idx[one]!++;
      } else continue;
      matched = true;
      break;
    }
    if (!matched) break;
  }
  if (idx[0]! < s[0]!.length || idx[1]! < s[1]!.length) return undefined;
  return out;
}

