/**
 * GVariant text format parser, behaving like GLib's g_variant_parse(NULL, text) (2.74): the
 * same grammar (arrays, tuples, dictionaries and entries, variants, `just`/`nothing`, strings,
 * bytestrings, numbers, booleans, `@TYPE` and keyword type declarations), the same type
 * inference (patterns with `M`, `N`, `S`, `*`, coalesced across array elements, integers
 * defaulting to int32 and strings to `s`), and GLib's `START-END:message` errors. Used for
 * `ostree commit --add-metadata=KEY=VALUE`.
 * @module
 */
import type { Variant } from '@ostree-ts/gvariant';
import { isTypeString, parseType, type VariantType } from './type.js';

/** A parse failure; the message is GLib's (`0-2:unable to infer type`). */
export class VariantParseError extends Error {}

interface SourceRef {
  start: number;
  end: number;
}

const MAX_DEPTH = 128;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d);
}
function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}
function isAlnum(c: number | undefined): boolean {
  return isAlpha(c) || isDigit(c);
}
function isXdigit(c: number | undefined): boolean {
  return isDigit(c) || (c !== undefined && ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)));
}

function fail(ref: SourceRef, message: string, other?: SourceRef): never {
  let where = ref.start === ref.end ? `${ref.start}` : `${ref.start}-${ref.end}`;
  if (other !== undefined) where += `,${other.start}-${other.end}`;
  throw new VariantParseError(`${where}:${message}`);
}

const ascii = new TextDecoder('latin1');

class TokenStream {
  /** Start of the current token, or -1 when none is prepared. */
  private thisPos = -1;
  /** End of the prepared token (or the read position when none is). */
  pos = 0;

  constructor(readonly text: Uint8Array) {}

  private at(i: number): number | undefined {
    return i < this.text.length ? this.text[i] : undefined;
  }

  get thisStart(): number {
    return this.thisPos;
  }

  /** Prepares the next token; false at the end of input. */
  prepare(): boolean {
    if (this.thisPos >= 0) return this.thisPos < this.pos;
    let p = this.pos;
    while (p < this.text.length && isSpace(this.text[p])) p++;
    this.pos = p;
    if (p >= this.text.length || this.text[p] === 0) {
      this.thisPos = p;
      return false;
    }
    const c = this.text[p]!;
    let end: number;
    if (c === 0x2d || c === 0x2b || c === 0x2e || isDigit(c)) {
      for (end = p; end < this.text.length; end++) {
        const d = this.text[end];
        if (!isAlnum(d) && d !== 0x2d && d !== 0x2b && d !== 0x2e) break;
      }
    } else if (c === 0x62 && (this.at(p + 1) === 0x27 || this.at(p + 1) === 0x22)) {
      end = this.quotedEnd(p + 2, this.text[p + 1]!);
    } else if (c >= 0x61 && c <= 0x7a) {
      for (end = p; end < this.text.length; end++) if (!isAlnum(this.text[end])) break;
    } else if (c === 0x27 || c === 0x22) {
      end = this.quotedEnd(p + 1, c);
    } else if (c === 0x40 || c === 0x25) {
      let brackets = 0;
      for (end = p + 1; end < this.text.length; end++) {
        const d = this.text[end]!;
        if (d === 0 || d === 0x2c || d === 0x3a || d === 0x3e || d === 0x5d || isSpace(d)) break;
        if (d === 0x28 || d === 0x7b) brackets++;
        else if ((d === 0x29 || d === 0x7d) && !brackets--) break;
      }
    } else {
      end = p + 1;
    }
    this.thisPos = p;
    this.pos = end;
    return true;
  }

  // The end of a quoted token starting after its opening quote (GLib's scanning rule).
  private quotedEnd(from: number, quote: number): number {
    let end = from;
    for (; end < this.text.length; end++) {
      const d = this.text[end];
      if (d === quote || d === 0) break;
      if (d === 0x5c) {
        end++;
        if (end >= this.text.length || this.text[end] === 0) break;
      }
    }
    if (end < this.text.length && this.text[end] !== 0) end++;
    return end;
  }

  next(): void {
    this.thisPos = -1;
  }

  token(): Uint8Array {
    this.prepare();
    return this.text.subarray(this.thisPos, this.pos);
  }

  tokenText(): string {
    return ascii.decode(this.token());
  }

  peek(ch: string): boolean {
    return this.prepare() && this.text[this.thisPos] === ch.charCodeAt(0);
  }

  peek2(a: string, b: string): boolean {
    return this.prepare() && this.pos - this.thisPos >= 2 && this.text[this.thisPos] === a.charCodeAt(0) && this.text[this.thisPos + 1] === b.charCodeAt(0);
  }

  isKeyword(): boolean {
    return this.prepare() && this.pos - this.thisPos >= 2 && isAlpha(this.text[this.thisPos]) && isAlpha(this.text[this.thisPos + 1]);
  }

  isNumeric(): boolean {
    if (!this.prepare()) return false;
    const c = this.text[this.thisPos];
    return isDigit(c) || c === 0x2d || c === 0x2b || c === 0x2e;
  }

  peekString(s: string): boolean {
    return this.prepare() && this.tokenText() === s;
  }

  consume(s: string): boolean {
    if (!this.peekString(s)) return false;
    this.next();
    return true;
  }

  require(s: string, purpose: string): void {
    if (!this.consume(s)) this.error(false, `expected '${s}'${purpose}`);
  }

  error(thisToken: boolean, message: string): never {
    this.prepare();
    const start = this.thisPos;
    fail({ start, end: thisToken ? this.pos : start }, message);
  }
}

// --- patterns -------------------------------------------------------------------------------

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

// --- AST ------------------------------------------------------------------------------------

abstract class Ast {
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

class ArrayAst extends Ast {
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

class TupleAst extends Ast {
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

class VariantAst extends Ast {
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

class DictAst extends Ast {
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

class StringAst extends Ast {
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

class BytestringAst extends Ast {
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

class BooleanAst extends Ast {
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

const MAX_U64 = (1n << 64n) - 1n;

// g_ascii_strtoull(s, &end, 0): value (mod 2^64, saturated on overflow) and where it stopped.
function strtoull(s: string): { value: bigint; end: number; overflow: boolean } {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && isXdigit(s.charCodeAt(i + 2))) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const start = i;
  let value = 0n;
  let overflow = false;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, base);
    if (Number.isNaN(d)) break;
    value = value * BigInt(base) + BigInt(d);
    if (value > MAX_U64) overflow = true;
  }
  if (i === start) return { value: 0n, end: 0, overflow: false };
  if (overflow) return { value: MAX_U64, end: i, overflow: true };
  return { value: negative ? (-value) & MAX_U64 : value, end: i, overflow: false };
}

// g_ascii_strtod (C locale strtod): value and where it stopped.
function strtod(s: string): { value: number; end: number } {
  const m =
    /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?)|(nan(?:\([A-Za-z0-9_]*\))?)|0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))/i.exec(
      s,
    );
  if (m === null) return { value: 0, end: 0 };
  const sign = m[1] === '-' ? -1 : 1;
  let value: number;
  if (m[2] !== undefined) value = Infinity;
  else if (m[3] !== undefined) value = NaN;
  else if (m[4] !== undefined) {
    const [intPart, fracPart = ''] = m[4].split('.');
    const mantissa = BigInt(`0x${(intPart ?? '') + fracPart || '0'}`);
    const exp = Number(m[5] ?? '0') - 4 * fracPart.length;
    value = Number(mantissa) * 2 ** exp;
  } else value = Number(m[6]);
  return { value: sign * value, end: m[0].length };
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  n: [-(1n << 15n), (1n << 15n) - 1n],
  i: [-(1n << 31n), (1n << 31n) - 1n],
  h: [-(1n << 31n), (1n << 31n) - 1n],
  x: [-(1n << 63n), (1n << 63n) - 1n],
};
const UINT_MAX: Record<string, bigint> = { y: 255n, q: 65535n, u: 4294967295n, t: MAX_U64 };

class NumberAst extends Ast {
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

class MaybeAst extends Ast {
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

class TypeDeclAst extends Ast {
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

const KEYWORD_TYPES: Record<string, string> = {
  boolean: 'b',
  byte: 'y',
  int16: 'n',
  uint16: 'q',
  int32: 'i',
  handle: 'h',
  uint32: 'u',
  int64: 'x',
  uint64: 't',
  double: 'd',
  string: 's',
  objectpath: 'o',
  signature: 'g',
};

function unescapeQuoted(stream: TokenStream, token: Uint8Array, from: number, bytestring: boolean): Uint8Array {
  const ref = { start: stream.thisStart, end: stream.pos };
  const quote = token[from - 1]!;
  const out: number[] = [];
  const utf8enc = new TextEncoder();
  let i = from;
  for (;;) {
    const c = token[i];
    if (c === quote) break;
    if (c === undefined || c === 0) fail(ref, 'unterminated string constant');
    if (c !== 0x5c) {
      out.push(c);
      i++;
      continue;
    }
    const e = token[++i];
    if (e === undefined || e === 0) fail(ref, 'unterminated string constant');
    const simple: Partial<Record<number, number>> = { 0x61: 7, 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9, 0x76: 11 };
    if (!bytestring && (e === 0x75 || e === 0x55)) {
      const length = e === 0x75 ? 4 : 8;
      i++;
      let n = 0;
      while (n < length && isXdigit(token[i + n])) n++;
      const value = n === length ? parseInt(ascii.decode(token.subarray(i, i + length)), 16) : 0;
      if (value === 0) {
        const start = ref.start + i;
        fail({ start, end: start + n }, `invalid ${length}-character unicode escape`);
      }
      // Surrogates and values past U+10FFFF have no valid UTF-8 form; GLib then fails to
      // make a string of the result, so mark the bytes invalid and let that check report it.
      if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) out.push(0xff);
      else out.push(...utf8enc.encode(String.fromCodePoint(value)));
      i += length;
      continue;
    }
    if (bytestring && e >= 0x30 && e <= 0x37) {
      let val = e - 0x30;
      i++;
      for (let k = 0; k < 2; k++) {
        const d = token[i];
        if (d !== undefined && d >= 0x30 && d <= 0x37) {
          val = ((val << 3) | (d - 0x30)) & 0xff;
          i++;
        }
      }
      out.push(val);
      continue;
    }
    const mapped = simple[e];
    if (mapped !== undefined) {
      out.push(mapped);
      i++;
      continue;
    }
    if (e === 0x0a) {
      i++;
      continue;
    }
    out.push(e);
    i++;
  }
  return Uint8Array.from(out);
}

function parseValue(stream: TokenStream, depth: number): Ast {
  if (depth === 0) stream.error(false, 'variant nested too deeply');
  stream.prepare();
  const start = stream.thisStart;
  let result: Ast;
  if (stream.peek('[')) {
    stream.next();
    const items: Ast[] = [];
    let needComma = false;
    while (!stream.consume(']')) {
      if (needComma) stream.require(',', " or ']' to follow array element");
      items.push(parseValue(stream, depth - 1));
      needComma = true;
    }
    result = new ArrayAst(items);
  } else if (stream.peek('(')) {
    stream.next();
    const items: Ast[] = [];
    let needComma = false;
    let first = true;
    while (!stream.consume(')')) {
      if (needComma) stream.require(',', " or ')' to follow tuple element");
      items.push(parseValue(stream, depth - 1));
      if (first) {
        stream.require(',', ' after first tuple element');
        first = false;
      } else needComma = true;
    }
    result = new TupleAst(items);
  } else if (stream.peek('<')) {
    stream.next();
    const child = parseValue(stream, depth - 1);
    stream.require('>', ' to follow variant value');
    result = new VariantAst(child);
  } else if (stream.peek('{')) {
    stream.next();
    if (stream.consume('}')) result = new DictAst([], [], false);
    else {
      const keys = [parseValue(stream, depth - 1)];
      const onlyOne = stream.consume(',');
      if (!onlyOne) stream.require(':', " or ',' to follow dictionary entry key");
      const values = [parseValue(stream, depth - 1)];
      if (onlyOne) {
        stream.require('}', ' at end of dictionary entry');
        result = new DictAst(keys, values, true);
      } else {
        while (!stream.consume('}')) {
          stream.require(',', " or '}' to follow dictionary entry");
          keys.push(parseValue(stream, depth - 1));
          stream.require(':', ' to follow dictionary entry key');
          values.push(parseValue(stream, depth - 1));
        }
        result = new DictAst(keys, values, false);
      }
    }
  } else if (stream.consume('true')) result = new BooleanAst(true);
  else if (stream.consume('false')) result = new BooleanAst(false);
  else if (stream.isNumeric() || stream.peekString('inf') || stream.peekString('nan')) {
    result = new NumberAst(stream.tokenText());
    stream.next();
  } else if (stream.peek('n') || stream.peek('j')) {
    if (stream.consume('just')) result = new MaybeAst(parseValue(stream, depth - 1));
    else if (stream.consume('nothing')) result = new MaybeAst(undefined);
    else stream.error(true, 'unknown keyword');
  } else if (stream.peek('@') || stream.isKeyword()) {
    let type: string;
    if (stream.peek('@')) {
      type = stream.tokenText().slice(1);
      if (!isTypeString(type)) stream.error(true, 'invalid type declaration');
      if (/[*?r]/.test(type)) stream.error(true, 'type declarations must be definite');
      stream.next();
    } else {
      const t = KEYWORD_TYPES[stream.tokenText()];
      if (t === undefined) stream.error(true, 'unknown keyword');
      type = t;
      stream.next();
    }
    result = new TypeDeclAst(type, parseValue(stream, depth - 1));
  } else if (stream.peek("'") || stream.peek('"')) {
    result = new StringAst(unescapeQuoted(stream, stream.token(), 1, false));
    stream.next();
  } else if (stream.peek2('b', "'") || stream.peek2('b', '"')) {
    result = new BytestringAst(unescapeQuoted(stream, stream.token(), 2, true));
    stream.next();
  } else {
    stream.error(false, 'expected value');
  }
  result.ref = { start, end: stream.pos };
  return result;
}

function resolve(ast: Ast): Variant {
  let pattern = '';
  for (const c of ast.pattern()) {
    if (c === '*') fail(ast.ref, 'unable to infer type');
    if (c === 'M') continue;
    pattern += c === 'S' ? 's' : c === 'N' ? 'i' : c;
  }
  return { type: pattern, value: ast.value(parseType(pattern)) };
}

/**
 * Parses GVariant text the way `g_variant_parse (NULL, text, NULL, NULL, &error)` does.
 * @returns the value with its inferred type
 * @throws {VariantParseError} with GLib's message
 */
export function parseVariantText(text: string): Variant {
  const stream = new TokenStream(new TextEncoder().encode(text));
  const ast = parseValue(stream, MAX_DEPTH);
  const value = resolve(ast);
  let p = stream.pos;
  while (p < stream.text.length && isSpace(stream.text[p])) p++;
  if (p < stream.text.length && stream.text[p] !== 0) fail({ start: p, end: p }, 'expected end of input');
  return value;
}
