/**
 * Type-directed JSON encoding of values, identical to test-vectors/gvariant/gvjson.py:
 * x/t as decimal strings, ay as hex, d specials as "NaN"/"Infinity"/"-Infinity"/"-0",
 * v as {type, value}, nested maybes as {just}.
 */
import { parseType, type TypeNode } from '../../src/type-string.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex(u8: Uint8Array): string {
  let s = '';
  for (let i = 0; i < u8.length; i++) s += HEX[u8[i]!];
  return s;
}

export function unhex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function node(t: string | TypeNode): TypeNode {
  return typeof t === 'string' ? parseType(t) : t;
}

function members(n: TypeNode): readonly TypeNode[] {
  if (n.kind === 'tuple') return n.members;
  if (n.kind === 'dict-entry') return [n.key, n.value];
  throw new Error('not a tuple');
}

export function fromJson(type: string | TypeNode, j: unknown): unknown {
  const n = node(type);
  switch (n.kind) {
    case 'basic':
      switch (n.code) {
        case 'x':
        case 't':
          return BigInt(j as string);
        case 'd':
          if (typeof j === 'string') return { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 }[j];
          return j;
        default:
          return j;
      }
    case 'variant': {
      const o = j as { type: string; value: unknown };
      return { type: o.type, value: fromJson(o.type, o.value) };
    }
    case 'array':
      if (n.element.kind === 'basic' && n.element.code === 'y') return unhex(j as string);
      return (j as unknown[]).map((x) => fromJson(n.element, x));
    case 'maybe':
      if (j === null) return null;
      if (n.element.kind === 'maybe') return { just: fromJson(n.element, (j as { just: unknown }).just) };
      return fromJson(n.element, j);
    default: {
      const ms = members(n);
      return (j as unknown[]).map((x, i) => fromJson(ms[i]!, x));
    }
  }
}

export function toJson(type: string | TypeNode, v: unknown): unknown {
  const n = node(type);
  switch (n.kind) {
    case 'basic':
      switch (n.code) {
        case 'x':
        case 't':
          return String(v as bigint);
        case 'd': {
          const d = v as number;
          if (Number.isNaN(d)) return 'NaN';
          if (d === Infinity) return 'Infinity';
          if (d === -Infinity) return '-Infinity';
          if (Object.is(d, -0)) return '-0';
          return d;
        }
        default:
          return v;
      }
    case 'variant': {
      const o = v as { type: string; value: unknown };
      return { type: o.type, value: toJson(o.type, o.value) };
    }
    case 'array':
      if (n.element.kind === 'basic' && n.element.code === 'y') return hex(v as Uint8Array);
      return (v as unknown[]).map((x) => toJson(n.element, x));
    case 'maybe':
      if (v === null) return null;
      if (n.element.kind === 'maybe') return { just: toJson(n.element, (v as { just: unknown }).just) };
      return toJson(n.element, v);
    default: {
      const ms = members(n);
      return (v as unknown[]).map((x, i) => toJson(ms[i]!, x));
    }
  }
}
