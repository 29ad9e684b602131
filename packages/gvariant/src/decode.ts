/**
 * Builds decoding closures for a type tree. Each closure reads the value occupying `[start, end)`
 * of the input; the caller has already checked those bounds (and, for fixed-size types, that the
 * range has exactly the fixed size).
 *
 * Every check GLib's `g_variant_serialised_is_normal` makes is done inline while decoding: checks
 * that make the value meaningless throw `GVARIANT_INVALID_DATA` always, the rest throw
 * `GVARIANT_NOT_NORMAL` only in strict mode.
 * @module
 */
import { invalidData, notNormal } from './errors.js';
import { framedSize, readerOffsetWidth, readOffset } from './framing.js';
import { MAX_DEPTH, isObjectPath, isSignature, type TypeNode } from './type-string.js';
import { readString } from './utf8.js';
import type { Variant } from './variant.js';

/** Per-call decoding state. */
export interface DecodeContext {
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly strict: boolean;
  /** Numbers are little-endian unless byteswapped. */
  readonly le: boolean;
  /** Absolute nesting depth of the root of the type currently being decoded (variants nest). */
  base: number;
  /** Remaining number of container objects this call may allocate (see {@link decodeBudget}). */
  budget: number;
}

/** Decodes the value in `[start, end)`. */
export type Decoder = (c: DecodeContext, start: number, end: number) => unknown;

/** A compiled type as far as decoding needs it. */
export interface DecoderEntry {
  readonly node: TypeNode;
  readonly dec: Decoder;
}

/** Resolves a type string found inside a variant; throws for invalid ones. */
export type DecoderLookup = (type: string) => DecoderEntry;

/**
 * How many arrays/tuples/views/variants one decode may create: 8 per input byte plus a floor.
 * Every GLib-valid value with at most 8 levels of containers per input byte fits; the limit only
 * stops hostile inputs (e.g. deeply nested one-byte tuples inside a variant) from amplifying a
 * small input into a huge object graph.
 * @param size - input length in bytes
 * @returns allocation budget
 * @example
 * ```ts
 * decodeBudget(100); // 66336
 * ```
 */
export function decodeBudget(size: number): number {
  return 65536 + 8 * size;
}

function overBudget(): never {
  throw invalidData('decoded value would allocate too many objects for its input size');
}

function checkZero(c: DecodeContext, from: number, to: number, what: string): void {
  const u8 = c.u8;
  for (let p = from; p < to; p++) {
    if (u8[p] !== 0) throw notNormal(`non-zero ${what} byte at ${p}`);
  }
}

/**
 * The constant value of a type with exactly one value (`()`, `(())`, `(()())`, ...), or
 * undefined. Decoding shares one frozen instance, so an `a()` costs no allocation per element.
 */
function unitConstant(node: TypeNode): readonly unknown[] | undefined {
  if (node.kind !== 'tuple') return undefined;
  const out: unknown[] = [];
  for (const m of node.members) {
    const u = unitConstant(m);
    if (u === undefined) return undefined;
    out.push(u);
  }
  return Object.freeze(out);
}

/**
 * Builds the decoder for `node` at static nesting depth `depth` (0 for the root).
 * @param node - type tree
 * @param depth - depth of this node below the root of its compiled type
 * @param lookup - resolves type strings found inside variants
 * @returns the decoder
 * @example
 * ```ts
 * const dec = buildDecoder(parseType('(su)'), 0, compile);
 * ```
 */
export function buildDecoder(node: TypeNode, depth: number, lookup: DecoderLookup): Decoder {
  if (depth >= MAX_DEPTH) {
    // Only reachable for roots of the maximal depth GLib allows (e.g. 128 × 'a' then 'y').
    const type = node.type;
    return (_c, start) => {
      throw invalidData(`value of type ${type} at byte ${start} is nested more than ${MAX_DEPTH} levels deep`);
    };
  }
  switch (node.kind) {
    case 'basic':
      return basicDecoder(node.code);
    case 'variant':
      return variantDecoder(depth, lookup);
    case 'maybe':
      return maybeDecoder(node, node.element, depth, lookup);
    case 'array':
      return arrayDecoder(node, node.element, depth, lookup);
    case 'tuple':
      return tupleDecoder(node, node.members, depth, lookup);
    case 'dict-entry':
      return tupleDecoder(node, [node.key, node.value], depth, lookup);
  }
}

const decodeBoolean: Decoder = (c, s) => {
  const b = c.u8[s]!;
  if (b > 1 && c.strict) throw notNormal(`boolean at byte ${s} is ${b}, not 0 or 1`);
  return b !== 0;
};
const decodeByte: Decoder = (c, s) => c.u8[s];
const decodeInt16: Decoder = (c, s) => c.dv.getInt16(s, c.le);
const decodeUint16: Decoder = (c, s) => c.dv.getUint16(s, c.le);
const decodeInt32: Decoder = (c, s) => c.dv.getInt32(s, c.le);
const decodeUint32: Decoder = (c, s) => c.dv.getUint32(s, c.le);
const decodeInt64: Decoder = (c, s) => c.dv.getBigInt64(s, c.le);
const decodeUint64: Decoder = (c, s) => c.dv.getBigUint64(s, c.le);
const decodeDouble: Decoder = (c, s) => c.dv.getFloat64(s, c.le);
const decodeStr: Decoder = (c, s, e) => readString(c.u8, s, e);
const decodeObjectPath: Decoder = (c, s, e) => {
  const v = readString(c.u8, s, e);
  if (!isObjectPath(v)) throw invalidData(`object path at byte ${s} is not a valid D-Bus object path`);
  return v;
};
const decodeSignature: Decoder = (c, s, e) => {
  const v = readString(c.u8, s, e);
  if (!isSignature(v)) throw invalidData(`signature at byte ${s} is not a valid D-Bus signature`);
  return v;
};

function basicDecoder(code: string): Decoder {
  switch (code) {
    case 'b':
      return decodeBoolean;
    case 'y':
      return decodeByte;
    case 'n':
      return decodeInt16;
    case 'q':
      return decodeUint16;
    case 'i':
    case 'h':
      return decodeInt32;
    case 'u':
      return decodeUint32;
    case 'x':
      return decodeInt64;
    case 't':
      return decodeUint64;
    case 'd':
      return decodeDouble;
    case 's':
      return decodeStr;
    case 'o':
      return decodeObjectPath;
    default:
      return decodeSignature;
  }
}

function maybeDecoder(node: TypeNode, el: TypeNode, depth: number, lookup: DecoderLookup): Decoder {
  const elDec = buildDecoder(el, depth + 1, lookup);
  const type = node.type;
  if (el.fixedSize !== 0) {
    const size = el.fixedSize;
    return (c, s, e) => {
      if (e === s) return null;
      // GLib reads any other size as Nothing, but that is not a value these bytes describe.
      if (e - s !== size) throw invalidData(`${type} at byte ${s} has size ${e - s}, neither 0 nor ${size}`);
      return elDec(c, s, e);
    };
  }
  const wrap = el.kind === 'maybe';
  return (c, s, e) => {
    if (e === s) return null;
    const last = e - 1;
    if (c.strict && c.u8[last] !== 0) throw notNormal(`${type} at byte ${s}: Just marker byte is not 0`);
    const v = elDec(c, s, last);
    if (!wrap) return v;
    if (--c.budget < 0) overBudget();
    return { just: v };
  };
}

/** Objects decoding one value of fixed-size type `node` allocates (unit tuples are shared). */
function fixedAllocations(node: TypeNode): number {
  if (unitConstant(node) !== undefined) return 0;
  if (node.kind === 'tuple') return node.members.reduce((n, m) => n + fixedAllocations(m), 1);
  if (node.kind === 'dict-entry') return 1 + fixedAllocations(node.value);
  return 0;
}

function arrayDecoder(node: TypeNode, el: TypeNode, depth: number, lookup: DecoderLookup): Decoder {
  const type = node.type;
  if (el.kind === 'basic' && el.code === 'y') {
    // Bytes of an `ay` at depth 127 would sit at depth 128: only the empty one is allowed.
    const maxLength = depth + 1 < MAX_DEPTH ? Infinity : 0;
    // Zero-copy: a view on the caller's buffer.
    return (c, s, e) => {
      if (e - s > maxLength) throw invalidData(`${type} at byte ${s} nests values more than ${MAX_DEPTH} levels deep`);
      if (--c.budget < 0) overBudget();
      return c.u8.subarray(s, e);
    };
  }
  const elDec = buildDecoder(el, depth + 1, lookup);
  if (el.fixedSize !== 0) {
    const size = el.fixedSize;
    const perElement = fixedAllocations(el);
    return (c, s, e) => {
      const len = e - s;
      if (len % size !== 0) throw invalidData(`${type} at byte ${s}: size ${len} is not a multiple of ${size}`);
      // Fail before doing the work when the elements alone would exceed the budget.
      if (--c.budget < 0 || (len / size) * perElement > c.budget) overBudget();
      // Exact-size arrays: push() would over-allocate capacity for every container.
      const n = len / size;
      const out = new Array<unknown>(n);
      for (let i = 0, p = s; i < n; i++, p += size) out[i] = elDec(c, p, p + size);
      return out;
    };
  }
  const mask = el.alignment - 1;
  return (c, s, e) => {
    if (--c.budget < 0) overBudget();
    const size = e - s;
    if (size === 0) return [];
    const u8 = c.u8;
    const w = readerOffsetWidth(size);
    const dataEnd = readOffset(u8, e - w, w);
    if (dataEnd > size) throw invalidData(`${type} at byte ${s}: offset table start ${dataEnd} beyond size ${size}`);
    const tableBytes = size - dataEnd;
    if (tableBytes % w !== 0) throw invalidData(`${type} at byte ${s}: offset table is not a whole number of offsets`);
    const n = tableBytes / w;
    if (n === 0) {
      if (c.strict) throw notNormal(`${type} at byte ${s}: ${size} bytes but no elements`);
      return [];
    }
    if (c.strict && framedSize(dataEnd, n) !== size) throw notNormal(`${type} at byte ${s}: framing offsets wider than needed`);
    const out = new Array<unknown>(n);
    let pos = s;
    let tp = s + dataEnd;
    for (let i = 0; i < n; i++, tp += w) {
      const rel = readOffset(u8, tp, w);
      const start = pos + ((-pos) & mask);
      const end = s + rel;
      if (rel > dataEnd || end < start) throw invalidData(`${type} at byte ${s}: element ${i} has an out-of-order framing offset`);
      if (c.strict && start !== pos) checkZero(c, pos, start, 'padding');
      out[i] = elDec(c, start, end);
      pos = end;
    }
    return out;
  };
}

const FIXED = -2;
const LAST = -1;

function tupleDecoder(node: TypeNode, members: readonly TypeNode[], depth: number, lookup: DecoderLookup): Decoder {
  const type = node.type;
  const unit = unitConstant(node);
  if (unit !== undefined) {
    return (c, s, e) => {
      if (c.strict) checkZero(c, s, e, 'unit');
      return unit;
    };
  }
  const n = members.length;
  const decs = members.map((m) => buildDecoder(m, depth + 1, lookup));
  const masks = members.map((m) => m.alignment - 1);
  const sizes = members.map((m) => m.fixedSize);
  // How each member's end is found: FIXED (start + size), LAST (start of the offset table), or
  // the index k of its framing offset, stored k+1 offsets from the end.
  let nOff = 0;
  const ending = members.map((m, i) => (m.fixedSize !== 0 ? FIXED : i === n - 1 ? LAST : nOff++));
  const fixedTuple = node.fixedSize !== 0;
  return (c, s, e) => {
    const u8 = c.u8;
    const size = e - s;
    const w = readerOffsetWidth(size);
    const tableStart = e - w * nOff;
    if (tableStart < s) throw invalidData(`${type} at byte ${s}: too small for its framing offsets`);
    if (--c.budget < 0) overBudget();
    const out = new Array<unknown>(n);
    let pos = s;
    for (let i = 0; i < n; i++) {
      const start = pos + ((-pos) & masks[i]!);
      const k = ending[i]!;
      const end = k === FIXED ? start + sizes[i]! : k === LAST ? tableStart : s + readOffset(u8, e - w * (k + 1), w);
      if (end < start || end > tableStart) throw invalidData(`${type} at byte ${s}: member ${i} is out of bounds`);
      if (c.strict && start !== pos) checkZero(c, pos, start, 'padding');
      out[i] = decs[i]!(c, start, end);
      pos = end;
    }
    if (c.strict) {
      if (fixedTuple) {
        checkZero(c, pos, e, 'padding');
      } else {
        if (pos !== tableStart) throw notNormal(`${type} at byte ${s}: unused bytes before the framing offsets`);
        if (size !== 0 && framedSize(pos - s, nOff) !== size) throw notNormal(`${type} at byte ${s}: framing offsets wider than needed`);
      }
    }
    return out;
  };
}

function variantDecoder(depth: number, lookup: DecoderLookup): Decoder {
  return (c, s, e): Variant => {
    const u8 = c.u8;
    if (e === s) throw invalidData(`variant at byte ${s} is empty`);
    // The type string follows the last NUL byte.
    let k = e - 1;
    while (k > s && u8[k] !== 0) k--;
    if (u8[k] !== 0 || k + 1 === e) throw invalidData(`variant at byte ${s} has no type string`);
    let type = '';
    for (let i = k + 1; i < e; i++) {
      const b = u8[i]!;
      if (b >= 0x80) throw invalidData(`variant at byte ${s} has an invalid type string`);
      type += String.fromCharCode(b);
    }
    let child: DecoderEntry;
    try {
      child = lookup(type);
    } catch {
      throw invalidData(`variant at byte ${s} has an invalid type string ${JSON.stringify(type.length > 40 ? type.slice(0, 40) + '…' : type)}`);
    }
    const abs = c.base + depth;
    if (abs + child.node.depth >= MAX_DEPTH) throw invalidData(`variant at byte ${s} nests values more than ${MAX_DEPTH} levels deep`);
    const fixed = child.node.fixedSize;
    if (fixed !== 0 && fixed !== k - s) throw invalidData(`variant at byte ${s}: ${type} value has size ${k - s}, expected ${fixed}`);
    c.budget -= 1 + type.length;
    if (c.budget < 0) overBudget();
    const saved = c.base;
    c.base = abs + 1;
    const value = child.dec(c, s, k);
    c.base = saved;
    return { type, value };
  };
}
