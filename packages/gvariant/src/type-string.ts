/**
 * Parsing and validation of GVariant type strings into a type tree.
 *
 * Accepts exactly the definite type strings GLib accepts, with GLib's nesting limit: at most
 * 128 nested containers (`a`, `m`, `(…)` with members, `{…}`). Indefinite types (`*`, `?`, `r`)
 * are rejected because no value can have them.
 * @module
 */
import { invalidType } from './errors.js';
import {
  basicLayout,
  elementContainerLayout,
  tupleLayout,
  VARIANT_LAYOUT,
  type BasicCode,
  type Layout,
} from './type-info.js';

/** GLib's `G_VARIANT_MAX_RECURSION_DEPTH`: limit for type nesting and for value nesting. */
export const MAX_DEPTH = 128;

interface NodeBase extends Layout {
  /** The type string of this (sub)type. */
  readonly type: string;
  /**
   * Nesting depth as GLib computes it (`g_variant_type_string_get_depth_`): 1 for basic types
   * and `v`, 1 + deepest member for containers, and 0 for the member-less tuple `()`.
   */
  readonly depth: number;
}

/** A parsed GVariant type. */
export type TypeNode =
  | (NodeBase & { readonly kind: 'basic'; readonly code: BasicCode })
  | (NodeBase & { readonly kind: 'variant' })
  | (NodeBase & { readonly kind: 'array'; readonly element: TypeNode })
  | (NodeBase & { readonly kind: 'maybe'; readonly element: TypeNode })
  | (NodeBase & { readonly kind: 'tuple'; readonly members: readonly TypeNode[] })
  | (NodeBase & { readonly kind: 'dict-entry'; readonly key: TypeNode; readonly value: TypeNode });

const BASIC_CODES = 'bynqiuxthdsog';

const basicNodes = new Map<string, TypeNode>();
for (const code of BASIC_CODES) {
  basicNodes.set(code, { kind: 'basic', code: code as BasicCode, type: code, depth: 1, ...basicLayout(code as BasicCode) });
}
const variantNode: TypeNode = { kind: 'variant', type: 'v', depth: 1, ...VARIANT_LAYOUT };

// Parser state lives in module variables: parsing is synchronous and never re-entered.
let src = '';
let pos = 0;

function fail(message: string): never {
  throw invalidType(`invalid type string ${JSON.stringify(src.length > 80 ? src.slice(0, 80) + '…' : src)}: ${message} at offset ${pos}`);
}

/** Parses one complete type at `pos`; `budget` is how many more containers may nest (GLib's depth_limit). */
function parseOne(budget: number): TypeNode {
  if (pos >= src.length) fail('unexpected end');
  const start = pos;
  const c = src[pos++]!;
  const basic = basicNodes.get(c);
  if (basic !== undefined) return basic;
  switch (c) {
    case 'v':
      return variantNode;
    case 'a':
    case 'm': {
      if (budget === 0) fail('nested too deeply');
      const element = parseOne(budget - 1);
      const layout = elementContainerLayout(element);
      return { kind: c === 'a' ? 'array' : 'maybe', element, type: src.slice(start, pos), depth: element.depth + 1, ...layout };
    }
    case '(': {
      const members: TypeNode[] = [];
      let depth = 0;
      while (true) {
        if (pos >= src.length) fail("missing ')'");
        if (src[pos] === ')') break;
        // GLib checks the limit per member, so an empty `()` is allowed even at the limit.
        if (budget === 0) fail('nested too deeply');
        const m = parseOne(budget - 1);
        if (m.depth + 1 > depth) depth = m.depth + 1;
        members.push(m);
      }
      pos++;
      return { kind: 'tuple', members, type: src.slice(start, pos), depth, ...tupleLayout(members) };
    }
    case '{': {
      if (budget === 0) fail('nested too deeply');
      if (pos >= src.length) fail('unexpected end');
      const key = basicNodes.get(src[pos]!);
      if (key === undefined) fail('dict entry key must be a basic type');
      pos++;
      const value = parseOne(budget - 1);
      if (pos >= src.length || src[pos] !== '}') fail("expected '}'");
      pos++;
      return {
        kind: 'dict-entry',
        key,
        value,
        type: src.slice(start, pos),
        // GLib counts only the value here (the key is basic), so `{s()}` has depth 1.
        depth: value.depth + 1,
        ...tupleLayout([key, value]),
      };
    }
    case '*':
    case '?':
    case 'r':
      pos--;
      return fail(`indefinite type '${c}' has no values`);
    default:
      pos--;
      return fail(`unexpected character ${JSON.stringify(c)}`);
  }
}

/**
 * Parses a type string into a {@link TypeNode} tree.
 *
 * @param type - a GVariant type string such as `a{sv}`
 * @returns the type tree
 * @throws {GVariantError} `GVARIANT_INVALID_TYPE` if `type` is not exactly one valid definite type
 * @example
 * ```ts
 * parseType('(su)').kind; // 'tuple'
 * ```
 */
export function parseType(type: string): TypeNode {
  if (typeof type !== 'string') throw invalidType(`type string must be a string, got ${typeof type}`);
  src = type;
  pos = 0;
  try {
    const node = parseOne(MAX_DEPTH);
    if (pos !== src.length) fail('trailing characters');
    return node;
  } finally {
    src = '';
  }
}

/**
 * Whether `type` is exactly one valid, definite GVariant type string (what {@link codec} accepts).
 *
 * @param type - candidate type string
 * @returns true when valid
 * @example
 * ```ts
 * isValidTypeString('a{sv}'); // true
 * isValidTypeString('a{vs}'); // false: dict keys must be basic
 * ```
 */
export function isValidTypeString(type: string): boolean {
  if (typeof type !== 'string') return false;
  try {
    parseType(type);
    return true;
  } catch {
    return false;
  }
}

function scan(s: string, p: number, budget: number): number {
  if (p >= s.length) return -1;
  const c = s.charCodeAt(p++);
  switch (c) {
    case 0x61: // a
    case 0x6d: // m
      return budget === 0 ? -1 : scan(s, p, budget - 1);
    case 0x28: // (
      while (true) {
        if (p >= s.length) return -1;
        if (s.charCodeAt(p) === 0x29) return p + 1;
        if (budget === 0) return -1;
        p = scan(s, p, budget - 1);
        if (p < 0) return -1;
      }
    case 0x7b: // {
      if (budget === 0 || p >= s.length || BASIC_CODES.indexOf(s[p]!) < 0) return -1;
      p = scan(s, p + 1, budget - 1);
      if (p < 0 || p >= s.length || s.charCodeAt(p) !== 0x7d) return -1;
      return p + 1;
    default:
      return c === 0x76 || BASIC_CODES.indexOf(String.fromCharCode(c)) >= 0 ? p : -1;
  }
}

/**
 * Whether `s` is a D-Bus signature as GLib checks it for `g` values: only the characters
 * `ybnqiuxthdvasog(){}` (no maybes), forming zero or more complete types.
 * @param s - candidate signature
 * @returns true when valid
 * @example
 * ```ts
 * isSignature('a{sv}s'); // true
 * ```
 */
export function isSignature(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if ('ybnqiuxthdvasog(){}'.indexOf(s[i]!) < 0) return false;
  }
  let p = 0;
  while (p < s.length) {
    p = scan(s, p, MAX_DEPTH);
    if (p < 0) return false;
  }
  return true;
}

/**
 * Whether `s` is a D-Bus object path: `/`, or `/`-separated non-empty segments of `[A-Za-z0-9_]`.
 * @param s - candidate path
 * @returns true when valid
 * @example
 * ```ts
 * isObjectPath('/org/a_1'); // true
 * ```
 */
export function isObjectPath(s: string): boolean {
  const n = s.length;
  if (n === 0 || s.charCodeAt(0) !== 0x2f) return false;
  if (n === 1) return true;
  let prevSlash = true;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2f) {
      if (prevSlash) return false;
      prevSlash = true;
    } else if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) {
      prevSlash = false;
    } else {
      return false;
    }
  }
  return !prevSlash;
}
