/**
 * Builds encoding closures for a type tree. Values are written in one pass into a growable
 * buffer: containers start at positions aligned for their type, so absolute alignment equals
 * alignment relative to the container; framing offsets are collected on a shared stack and their
 * width is chosen only once the container's body is complete.
 * @module
 */
import { GVariantError, describe, invalidValue } from './errors.js';
import { framingWidth, writeOffset } from './framing.js';
import { MAX_DEPTH, isObjectPath, isSignature, type TypeNode } from './type-string.js';
import { writeString } from './utf8.js';

/** Output buffer plus per-call state. */
export class Writer {
  u8: Uint8Array;
  dv: DataView;
  pos = 0;
  /** Numbers are little-endian unless byteswapped. */
  le = true;
  /** Absolute nesting depth of the root of the type currently being encoded (variants nest). */
  base = 0;
  /** Framing offsets of the containers being written, innermost last. */
  readonly offs: number[] = [];

  constructor(capacity: number) {
    this.u8 = new Uint8Array(capacity);
    this.dv = new DataView(this.u8.buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.u8.length) this.grow(this.pos + n);
  }

  private grow(min: number): void {
    let size = this.u8.length * 2;
    while (size < min) size *= 2;
    const u8 = new Uint8Array(size);
    u8.set(this.u8.subarray(0, this.pos));
    this.u8 = u8;
    this.dv = new DataView(u8.buffer);
  }

  /** Writes zero bytes up to the next multiple of `mask + 1` (the buffer may hold stale bytes). */
  pad(mask: number): void {
    let pad = (-this.pos) & mask;
    if (pad === 0) return;
    this.ensure(pad);
    const u8 = this.u8;
    while (pad-- > 0) u8[this.pos++] = 0;
  }
}

/** Writes `v` at the writer's position, which is already aligned for the type. */
export type Encoder = (w: Writer, v: unknown) => void;

/** A compiled type as far as encoding needs it. */
export interface EncoderEntry {
  readonly node: TypeNode;
  readonly enc: Encoder;
}

/** Resolves a variant's type string; throws for invalid ones. */
export type EncoderLookup = (type: string) => EncoderEntry;

const PATH = Symbol('gvariant.path');

/** Records that the error happened inside element/member `seg` (for the message). */
function withPath(e: unknown, seg: string): unknown {
  if (e instanceof GVariantError && e.code === 'GVARIANT_INVALID_VALUE') {
    const err = e as GVariantError & { [PATH]?: string };
    err[PATH] = seg + (err[PATH] ?? '');
  }
  return e;
}

/**
 * Prefixes an encoding error's message with where in the value it happened, e.g. `value[2][0]`.
 * @param e - caught error
 * @returns the same error
 * @example
 * ```ts
 * throw finishPath(err); // 'at value[1]: expected …'
 * ```
 */
export function finishPath(e: unknown): unknown {
  if (e instanceof GVariantError) {
    const err = e as GVariantError & { [PATH]?: string };
    const path = err[PATH];
    if (path !== undefined) {
      err.message = `at value${path}: ${err.message}`;
      delete err[PATH];
    }
  }
  return e;
}

function bad(expected: string, v: unknown): GVariantError {
  return invalidValue(`expected ${expected}, got ${describe(v)}`);
}

/**
 * Builds the encoder for `node` at static nesting depth `depth` (0 for the root).
 * @param node - type tree
 * @param depth - depth of this node below the root of its compiled type
 * @param lookup - resolves variant type strings
 * @returns the encoder
 * @example
 * ```ts
 * const enc = buildEncoder(parseType('(su)'), 0, compile);
 * ```
 */
export function buildEncoder(node: TypeNode, depth: number, lookup: EncoderLookup): Encoder {
  if (depth >= MAX_DEPTH) {
    const type = node.type;
    return () => {
      throw invalidValue(`value of type ${type} would be nested more than ${MAX_DEPTH} levels deep`);
    };
  }
  switch (node.kind) {
    case 'basic':
      return basicEncoder(node.code);
    case 'variant':
      return variantEncoder(depth, lookup);
    case 'maybe':
      return maybeEncoder(node.element, depth, lookup);
    case 'array':
      return arrayEncoder(node.element, depth, lookup);
    case 'tuple':
      return tupleEncoder(node, node.members, depth, lookup);
    case 'dict-entry':
      return tupleEncoder(node, [node.key, node.value], depth, lookup);
  }
}

const encodeBoolean: Encoder = (w, v) => {
  if (typeof v !== 'boolean') throw bad('boolean (b)', v);
  w.ensure(1);
  w.u8[w.pos++] = v ? 1 : 0;
};
const encodeByte: Encoder = (w, v) => {
  if (typeof v !== 'number' || (v & 0xff) !== v) throw bad('integer 0..255 (y)', v);
  w.ensure(1);
  w.u8[w.pos++] = v;
};
const encodeInt16: Encoder = (w, v) => {
  if (typeof v !== 'number' || (v << 16) >> 16 !== v) throw bad('integer -32768..32767 (n)', v);
  w.ensure(2);
  w.dv.setInt16(w.pos, v, w.le);
  w.pos += 2;
};
const encodeUint16: Encoder = (w, v) => {
  if (typeof v !== 'number' || (v & 0xffff) !== v) throw bad('integer 0..65535 (q)', v);
  w.ensure(2);
  w.dv.setUint16(w.pos, v, w.le);
  w.pos += 2;
};
function int32Encoder(code: string): Encoder {
  return (w, v) => {
    if (typeof v !== 'number' || (v | 0) !== v) throw bad(`32-bit signed integer (${code})`, v);
    w.ensure(4);
    w.dv.setInt32(w.pos, v, w.le);
    w.pos += 4;
  };
}
const encodeUint32: Encoder = (w, v) => {
  if (typeof v !== 'number' || v >>> 0 !== v) throw bad('32-bit unsigned integer (u)', v);
  w.ensure(4);
  w.dv.setUint32(w.pos, v, w.le);
  w.pos += 4;
};
const encodeInt64: Encoder = (w, v) => {
  if (typeof v !== 'bigint' || BigInt.asIntN(64, v) !== v) throw bad('bigint in int64 range (x)', v);
  w.ensure(8);
  w.dv.setBigInt64(w.pos, v, w.le);
  w.pos += 8;
};
const encodeUint64: Encoder = (w, v) => {
  if (typeof v !== 'bigint' || BigInt.asUintN(64, v) !== v) throw bad('bigint in uint64 range (t)', v);
  w.ensure(8);
  w.dv.setBigUint64(w.pos, v, w.le);
  w.pos += 8;
};
const encodeDouble: Encoder = (w, v) => {
  if (typeof v !== 'number') throw bad('number (d)', v);
  w.ensure(8);
  w.dv.setFloat64(w.pos, v, w.le);
  w.pos += 8;
};
const encodeStr: Encoder = (w, v) => {
  if (typeof v !== 'string') throw bad('string (s)', v);
  w.ensure(3 * v.length + 1);
  w.pos = writeString(w.u8, w.pos, v);
};
const encodeObjectPath: Encoder = (w, v) => {
  if (typeof v !== 'string' || !isObjectPath(v)) throw bad('D-Bus object path (o)', v);
  w.ensure(v.length + 1);
  w.pos = writeString(w.u8, w.pos, v);
};
const encodeSignature: Encoder = (w, v) => {
  if (typeof v !== 'string' || !isSignature(v)) throw bad('D-Bus signature (g)', v);
  w.ensure(v.length + 1);
  w.pos = writeString(w.u8, w.pos, v);
};

function basicEncoder(code: string): Encoder {
  switch (code) {
    case 'b':
      return encodeBoolean;
    case 'y':
      return encodeByte;
    case 'n':
      return encodeInt16;
    case 'q':
      return encodeUint16;
    case 'i':
      return int32Encoder('i');
    case 'h':
      return int32Encoder('h');
    case 'u':
      return encodeUint32;
    case 'x':
      return encodeInt64;
    case 't':
      return encodeUint64;
    case 'd':
      return encodeDouble;
    case 's':
      return encodeStr;
    case 'o':
      return encodeObjectPath;
    default:
      return encodeSignature;
  }
}

function maybeEncoder(el: TypeNode, depth: number, lookup: EncoderLookup): Encoder {
  const elEnc = buildEncoder(el, depth + 1, lookup);
  const variable = el.fixedSize === 0;
  if (el.kind === 'maybe') {
    return (w, v) => {
      if (v === null) return;
      if (typeof v !== 'object' || !('just' in v)) throw bad('null or { just: value } (maybe of a maybe)', v);
      try {
        elEnc(w, (v as { just: unknown }).just);
      } catch (e) {
        throw withPath(e, '.just');
      }
      w.ensure(1);
      w.u8[w.pos++] = 0;
    };
  }
  return (w, v) => {
    if (v === null) return;
    elEnc(w, v);
    if (variable) {
      w.ensure(1);
      w.u8[w.pos++] = 0;
    }
  };
}

function arrayEncoder(el: TypeNode, depth: number, lookup: EncoderLookup): Encoder {
  if (el.kind === 'basic' && el.code === 'y') {
    // Bytes of an `ay` at depth 127 would sit at depth 128: only the empty one is allowed.
    const maxLength = depth + 1 < MAX_DEPTH ? Infinity : 0;
    return (w, v) => {
      if (!(v instanceof Uint8Array)) throw bad('Uint8Array (ay)', v);
      if (v.length > maxLength) throw invalidValue(`bytes would be nested more than ${MAX_DEPTH} levels deep`);
      w.ensure(v.length);
      w.u8.set(v, w.pos);
      w.pos += v.length;
    };
  }
  const elEnc = buildEncoder(el, depth + 1, lookup);
  const type = `a${el.type}`;
  if (el.fixedSize !== 0) {
    // Fixed-size elements are multiples of their alignment: no padding, no offsets.
    return (w, v) => {
      if (!Array.isArray(v)) throw bad(`array (${type})`, v);
      let i = 0;
      try {
        for (; i < v.length; i++) elEnc(w, v[i]);
      } catch (e) {
        throw withPath(e, `[${i}]`);
      }
    };
  }
  const mask = el.alignment - 1;
  return (w, v) => {
    if (!Array.isArray(v)) throw bad(`array (${type})`, v);
    const n = v.length;
    if (n === 0) return;
    const start = w.pos;
    const offs = w.offs;
    const base = offs.length;
    let i = 0;
    try {
      for (; i < n; i++) {
        if (mask !== 0) w.pad(mask);
        elEnc(w, v[i]);
        offs.push(w.pos - start);
      }
    } catch (e) {
      throw withPath(e, `[${i}]`);
    }
    const width = framingWidth(w.pos - start, n);
    w.ensure(width * n);
    const u8 = w.u8;
    let p = w.pos;
    for (let j = base; j < base + n; j++, p += width) writeOffset(u8, p, offs[j]!, width);
    w.pos = p;
    offs.length = base;
  };
}

function tupleEncoder(node: TypeNode, members: readonly TypeNode[], depth: number, lookup: EncoderLookup): Encoder {
  const n = members.length;
  const encs = members.map((m) => buildEncoder(m, depth + 1, lookup));
  const masks = members.map((m) => m.alignment - 1);
  // Members that get a framing offset: variable-sized and not last.
  const framed = members.map((m, i) => m.fixedSize === 0 && i < n - 1);
  const nOff = framed.filter(Boolean).length;
  const fixedSize = node.fixedSize;
  const what = node.kind === 'dict-entry' ? `dict entry [key, value] (${node.type})` : `tuple of ${n} (${node.type})`;
  return (w, v) => {
    if (!Array.isArray(v) || v.length !== n) throw bad(what, v);
    const start = w.pos;
    const offs = w.offs;
    const base = offs.length;
    let i = 0;
    try {
      for (; i < n; i++) {
        const mask = masks[i]!;
        if (mask !== 0) w.pad(mask);
        encs[i]!(w, v[i]);
        if (framed[i]) offs.push(w.pos - start);
      }
    } catch (e) {
      throw withPath(e, `[${i}]`);
    }
    if (fixedSize !== 0) {
      // Trailing padding up to the fixed size; for `()` this is its single zero byte.
      const end = start + fixedSize;
      w.ensure(end - w.pos);
      const u8 = w.u8;
      while (w.pos < end) u8[w.pos++] = 0;
      return;
    }
    if (nOff === 0) return;
    const width = framingWidth(w.pos - start, nOff);
    w.ensure(width * nOff);
    const u8 = w.u8;
    let p = w.pos;
    // Reverse order: the first framed member's end is the last offset.
    for (let j = base + nOff - 1; j >= base; j--, p += width) writeOffset(u8, p, offs[j]!, width);
    w.pos = p;
    offs.length = base;
  };
}

function variantEncoder(depth: number, lookup: EncoderLookup): Encoder {
  return (w, v) => {
    if (typeof v !== 'object' || v === null || typeof (v as { type?: unknown }).type !== 'string' || !('value' in v)) {
      throw bad('Variant { type, value } (v)', v);
    }
    const { type, value } = v as { type: string; value: unknown };
    let child: EncoderEntry;
    try {
      child = lookup(type);
    } catch {
      throw invalidValue(`variant has an invalid type string ${JSON.stringify(type)}`);
    }
    const abs = w.base + depth;
    if (abs + child.node.depth >= MAX_DEPTH) throw invalidValue(`variant nests values more than ${MAX_DEPTH} levels deep`);
    const saved = w.base;
    w.base = abs + 1;
    try {
      child.enc(w, value);
    } catch (e) {
      throw withPath(e, '.value');
    }
    w.base = saved;
    w.ensure(type.length + 1);
    const u8 = w.u8;
    let p = w.pos;
    u8[p++] = 0;
    for (let i = 0; i < type.length; i++) u8[p++] = type.charCodeAt(i);
    w.pos = p;
  };
}
