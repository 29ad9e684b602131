/**
 * GVariant type strings as trees, for walking values whose shape is only known at run time
 * (printing, byte-swapping, text parsing).
 * @module
 */

/** Codes of the basic (non-container) types. */
export type BasicCode = 'b' | 'y' | 'n' | 'q' | 'i' | 'u' | 'x' | 't' | 'h' | 'd' | 's' | 'o' | 'g';

/** A definite GVariant type. */
export type VariantType =
  | { readonly kind: 'basic'; readonly code: BasicCode; readonly text: string }
  | { readonly kind: 'variant'; readonly text: string }
  | { readonly kind: 'array'; readonly element: VariantType; readonly text: string }
  | { readonly kind: 'maybe'; readonly element: VariantType; readonly text: string }
  | { readonly kind: 'tuple'; readonly items: readonly VariantType[]; readonly text: string }
  | { readonly kind: 'entry'; readonly key: VariantType; readonly value: VariantType; readonly text: string };

const BASIC = 'bynqiuxthdsog';
const cache = new Map<string, VariantType>();

/** Thrown for a type string that is not one complete definite type. */
export class InvalidTypeError extends Error {}

function parseAt(s: string, pos: number): [VariantType, number] {
  const c = s[pos];
  if (c === undefined) throw new InvalidTypeError(`incomplete type string '${s}'`);
  if (BASIC.includes(c)) return [{ kind: 'basic', code: c as BasicCode, text: c }, pos + 1];
  if (c === 'v') return [{ kind: 'variant', text: 'v' }, pos + 1];
  if (c === 'a' || c === 'm') {
    const [element, end] = parseAt(s, pos + 1);
    return [{ kind: c === 'a' ? 'array' : 'maybe', element, text: s.slice(pos, end) }, end];
  }
  if (c === '(') {
    const items: VariantType[] = [];
    let p = pos + 1;
    while (s[p] !== ')') {
      if (p >= s.length) throw new InvalidTypeError(`unterminated tuple in '${s}'`);
      const [item, end] = parseAt(s, p);
      items.push(item);
      p = end;
    }
    return [{ kind: 'tuple', items, text: s.slice(pos, p + 1) }, p + 1];
  }
  if (c === '{') {
    const [key, k2] = parseAt(s, pos + 1);
    if (key.kind !== 'basic') throw new InvalidTypeError(`dictionary key must be a basic type in '${s}'`);
    const [value, v2] = parseAt(s, k2);
    if (s[v2] !== '}') throw new InvalidTypeError(`bad dictionary entry in '${s}'`);
    return [{ kind: 'entry', key, value, text: s.slice(pos, v2 + 1) }, v2 + 1];
  }
  throw new InvalidTypeError(`invalid character '${c}' in type string '${s}'`);
}

/**
 * Parses a definite type string.
 * @throws {InvalidTypeError} when it is not exactly one definite type
 */
export function parseType(s: string): VariantType {
  const known = cache.get(s);
  if (known !== undefined) return known;
  const [t, end] = parseAt(s, 0);
  if (end !== s.length) throw new InvalidTypeError(`trailing characters in type string '${s}'`);
  if (cache.size < 4096) cache.set(s, t);
  return t;
}

/** True if `s` is one complete type, definite or not (`*`, `?` and `r` allowed). */
export function isTypeString(s: string): boolean {
  let pos = 0;
  const one = (): boolean => {
    const c = s[pos++];
    if (c === undefined) return false;
    if (BASIC.includes(c) || c === 'v' || c === '*' || c === '?' || c === 'r') return true;
    if (c === 'a' || c === 'm') return one();
    if (c === '(') {
      while (s[pos] !== ')') {
        if (pos >= s.length || !one()) return false;
      }
      pos++;
      return true;
    }
    if (c === '{') {
      const k = s[pos++];
      if (k === undefined || !(BASIC.includes(k) || k === '?')) return false;
      if (!one()) return false;
      return s[pos++] === '}';
    }
    return false;
  };
  return one() && pos === s.length;
}
