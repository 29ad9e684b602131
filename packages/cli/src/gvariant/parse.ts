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
import { ArrayAst, BooleanAst, BytestringAst, DictAst, MaybeAst, NumberAst, StringAst, TupleAst, TypeDeclAst, VariantAst, resolve, type Ast } from './parse-ast.js';
import { TokenStream, ascii, fail, isSpace, isXdigit } from './parse-tokens.js';
import { isTypeString } from './type.js';

export { VariantParseError } from './parse-tokens.js';
export { coalescePatterns } from './parse-patterns.js';

const MAX_DEPTH = 128;

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
