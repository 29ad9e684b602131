/**
 * The syntax tree of the GVariant text parser and GLib's two passes over it: each node's type
 * pattern (for inference), then its value for the chosen type (with `Just` wrapping where the
 * type has maybes), with GLib's range and type errors.
 * @module
 */
import type { Variant } from '@ostree-ts/gvariant';
import { MAX_U64, strtod, strtoull } from './c-strto.js';
import { coalescePatterns } from './parse-patterns.js';
import { fail, type SourceRef } from './parse-tokens.js';
import { isTypeString, parseType, type VariantType } from './type.js';

/** A node of the syntax tree. */
export abstract class Ast {
  ref: SourceRef = { start: 0, end: 0 };
  abstract pattern(): string;
  /** The value for a non-maybe base type (maybe wrapping is done by {@link Ast.value}). */
  protected abstract base(type: VariantType): unknown;

  /** GLib's maybe_wrapper: the base value wrapped in as many `Just`s as `type` has maybes. */
  value(type: VariantType): unknown {
    let depth = 0;
    let base = type;
    while (base.kind === 'maybe') {
      depth++;
      base = base.element;
    }
    let v = this.base(base);
    for (let i = 1; i < depth; i++) v = { just: v };
    return v;
  }

  typeError(type: VariantType): never {
    fail(this.ref, `can not parse as value of type '${type.text}'`);
  }
}

function arrayPattern(items: readonly Ast[]): string {
  let pattern = items[0]!.pattern();
  for (let i = 1; i < items.length; i++) {
    const tmp = items[i]!.pattern();
    const merged = coalescePatterns(pattern, tmp);
    if (merged === undefined) {
      for (let j = 0; j < i; j++) {
        if (coalescePatterns(tmp, items[j]!.pattern()) === undefined) fail(items[j]!.ref, 'unable to find a common type', items[i]!.ref);
      }
      fail(items[i]!.ref, 'unable to find a common type');
    }
    pattern = merged;
  }
  return pattern;
}

/** `[a, b, …]` */
export class ArrayAst extends Ast {
  constructor(readonly items: Ast[]) {
    super();
  }
  pattern(): string {
    return this.items.length === 0 ? 'Ma*' : `Ma${arrayPattern(this.items)}`;
  }
  protected base(type: VariantType): unknown {
    if (type.kind !== 'array') this.typeError(type);
    const values = this.items.map((c) => c.value(type.element));
    return type.element.kind === 'basic' && type.element.code === 'y' ? Uint8Array.from(values as number[]) : values;
  }
}

/** `(a, b, …)` */
export class TupleAst extends Ast {
  constructor(readonly items: Ast[]) {
    super();
  }
  pattern(): string {
    return `M(${this.items.map((c) => c.pattern()).join('')})`;
  }
  protected base(type: VariantType): unknown {
    if (type.kind !== 'tuple' || type.items.length !== this.items.length) this.typeError(type);
    return this.items.map((c, i) => c.value(type.items[i]!));
  }
}

/** `<value>` */
export class VariantAst extends Ast {
  constructor(readonly child: Ast) {
    super();
  }
  pattern(): string {
    return 'Mv';
  }
  protected base(type: VariantType): unknown {
    if (type.kind !== 'variant') this.typeError(type);
    return resolve(this.child);
  }
}

/** `{k: v, …}` or a lone entry `{k, v}` */
export class DictAst extends Ast {
  /** `single` is a lone dictionary entry `{k, v}`. */
  constructor(
    readonly keys: Ast[],
    readonly values: Ast[],
    readonly single: boolean,
  ) {
    super();
  }
  pattern(): string {
    if (this.keys.length === 0) return 'Ma{**}';
    const keyPattern = arrayPattern(this.keys);
    const keyChar = keyPattern[0] === 'M' ? keyPattern[1] : keyPattern[0];
    if (keyChar === undefined || !'bynqiuxthdsogNS'.includes(keyChar)) fail(this.ref, 'dictionary keys must have basic types');
    return `M${this.single ? '' : 'a'}{${keyChar}${this.values[0]!.pattern()}}`;
  }
  protected base(type: VariantType): unknown {
    if (this.single) {
      if (type.kind !== 'entry') this.typeError(type);
      return [this.keys[0]!.value(type.key), this.values[0]!.value(type.value)];
    }
    if (type.kind !== 'array' || type.element.kind !== 'entry') this.typeError(type);
    const entry = type.element;
    return this.keys.map((k, i) => [k.value(entry.key), this.values[i]!.value(entry.value)]);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isObjectPath(s: string): boolean {
  return s === '/' || /^(\/[A-Za-z0-9_]+)+$/.test(s);
}

function isSignature(s: string): boolean {
  if (/[^ybnqiuxthdvasog(){}]/.test(s)) return false;
  // A sequence of complete types.
  let rest = s;
  while (rest.length > 0) {
    let found = false;
    for (let n = 1; n <= rest.length; n++) {
      if (isTypeString(rest.slice(0, n))) {
        rest = rest.slice(n);
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/** `'…'` or `"…"` (also object paths and signatures) */
export class StringAst extends Ast {
  constructor(readonly bytes: Uint8Array) {
    super();
  }
  pattern(): string {
    return 'MS';
  }
  protected base(type: VariantType): unknown {
    if (type.kind !== 'basic' || !'sog'.includes(type.code)) this.typeError(type);
    let s: string;
    try {
      s = utf8.decode(this.bytes);
    } catch {
      fail(this.ref, 'invalid UTF-8 in string');
    }
    if (type.code === 'o' && !isObjectPath(s)) fail(this.ref, 'not a valid object path');
    if (type.code === 'g' && !isSignature(s)) fail(this.ref, 'not a valid signature');
    return s;
  }
}

/** `b'…'` */
export class BytestringAst extends Ast {
  constructor(readonly bytes: Uint8Array) {
    super();
  }
  pattern(): string {
    return 'May';
  }
  protected base(type: VariantType): unknown {
    if (type.text !== 'ay') this.typeError(type);
    const out = new Uint8Array(this.bytes.length + 1);
    out.set(this.bytes);
    return out;
  }
}

/** `true` / `false` */
export class BooleanAst extends Ast {
  constructor(readonly b: boolean) {
    super();
  }
  pattern(): string {
    return 'Mb';
  }
  protected base(type: VariantType): unknown {
    if (type.text !== 'b') this.typeError(type);
    return this.b;
  }
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  n: [-(1n << 15n), (1n << 15n) - 1n],
  i: [-(1n << 31n), (1n << 31n) - 1n],
  h: [-(1n << 31n), (1n << 31n) - 1n],
  x: [-(1n << 63n), (1n << 63n) - 1n],
};
const UINT_MAX: Record<string, bigint> = { y: 255n, q: 65535n, u: 4294967295n, t: MAX_U64 };

/** A numeric literal, typed by context (int32 or double by default). */
export class NumberAst extends Ast {
  constructor(readonly token: string) {
    super();
  }
  pattern(): string {
    const t = this.token;
    if (t.includes('.') || (!t.startsWith('0x') && t.includes('e')) || t.includes('inf') || t.includes('nan')) return 'Md';
    return 'MN';
  }
  private badChar(at: number): never {
    const start = this.ref.start + at;
    fail({ start, end: start + 1 }, 'invalid character in number');
  }
  protected base(type: VariantType): unknown {
    if (type.text === 'd') {
      const { value, end } = strtod(this.token);
      // glibc reports ERANGE for overflow and for inexact subnormal results; GLib refuses both
      // (so it cannot read back the subnormals it prints).
      const tooBig = (!Number.isFinite(value) && !Number.isNaN(value) && !/inf/i.test(this.token.slice(0, end))) || (value !== 0 && Math.abs(value) < 2.2250738585072014e-308);
      if (tooBig) fail(this.ref, 'number too big for any type');
      if (end !== this.token.length) this.badChar(end);
      return value;
    }
    const negativeToken = this.token.startsWith('-');
    const body = negativeToken ? this.token.slice(1) : this.token;
    const { value: abs, end, overflow } = strtoull(body);
    if (overflow) fail(this.ref, 'integer too big for any type');
    if (end !== body.length) this.badChar(end + (negativeToken ? 1 : 0));
    const negative = negativeToken && abs !== 0n;
    const code = type.text[0]!;
    const overflowError = (): never => fail(this.ref, `number out of range for type '${code}'`);
    const unsignedMax = UINT_MAX[code];
    if (unsignedMax !== undefined) {
      if (negative || abs > unsignedMax) overflowError();
      return code === 't' ? abs : Number(abs);
    }
    const range = INT_RANGES[code];
    if (range === undefined) this.typeError(type);
    const [min, max] = range;
    if (abs - (negative ? 1n : 0n) > max) overflowError();
    const v = negative ? (abs > max ? min : -abs) : abs;
    return code === 'x' ? v : Number(v);
  }
}

/** `just v` / `nothing` */
export class MaybeAst extends Ast {
  constructor(readonly child: Ast | undefined) {
    super();
  }
  pattern(): string {
    return this.child === undefined ? 'm*' : `m${this.child.pattern()}`;
  }
  protected base(): unknown {
    throw new Error('unreachable');
  }
  override value(type: VariantType): unknown {
    if (type.kind !== 'maybe') this.typeError(type);
    if (this.child === undefined) return null;
    const v = this.child.value(type.element);
    return type.element.kind === 'maybe' ? { just: v } : v;
  }
}

/** `@TYPE v` or a keyword such as `uint64 v` */
export class TypeDeclAst extends Ast {
  constructor(
    readonly type: string,
    readonly child: Ast,
  ) {
    super();
  }
  pattern(): string {
    return this.type;
  }
  protected base(): unknown {
    throw new Error('unreachable');
  }
  override value(type: VariantType): unknown {
    return this.child.value(type);
  }
}

/** GLib's ast_resolve: the value of a node with its pattern's default type (`N`→`i`, `S`→`s`). */
export function resolve(ast: Ast): Variant {
  let pattern = '';
  for (const c of ast.pattern()) {
    if (c === '*') fail(ast.ref, 'unable to infer type');
    if (c === 'M') continue;
    pattern += c === 'S' ? 's' : c === 'N' ? 'i' : c;
  }
  return { type: pattern, value: ast.value(parseType(pattern)) };
}
