/**
 * GVariant text form exactly as GLib's g_variant_print() writes it (2.74): type annotations
 * where GLib adds them (`uint64 5`, `@as []`, the first element of an array), GLib's string
 * quoting and escaping, bytestrings (`b'…'`), `%.17g` doubles, `just`/`nothing`.
 *
 * Values are in the shape `@ostree-ts/gvariant` decodes them to (numbers, bigints for `x`/`t`,
 * Uint8Array for `ay`, arrays for tuples, `[key, value]` for dictionary entries, `null` and
 * `{ just }` for maybes, `{ type, value }` for variants).
 * @module
 */
import type { Variant } from '@ostree-ts/gvariant';
import { formatG } from '../number-format.js';
import { parseType, type VariantType } from './type.js';
import { isPrintable } from './unprintable.js';

const ANNOTATION: Partial<Record<string, string>> = {
  y: 'byte ',
  n: 'int16 ',
  q: 'uint16 ',
  u: 'uint32 ',
  x: 'int64 ',
  t: 'uint64 ',
  h: 'handle ',
  o: 'objectpath ',
  g: 'signature ',
};

const STRING_ESCAPES: Partial<Record<number, string>> = {
  0x07: 'a',
  0x08: 'b',
  0x0c: 'f',
  0x0a: 'n',
  0x0d: 'r',
  0x09: 't',
  0x0b: 'v',
};

function printString(s: string): string {
  const quote = s.includes("'") ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\';
    if (isPrintable(c)) out += ch;
    else if (c < 0x10000) out += `\\${STRING_ESCAPES[c] ?? `u${c.toString(16).padStart(4, '0')}`}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return out + quote;
}

const BYTE_ESCAPES: Partial<Record<number, string>> = {
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
  0x5c: '\\\\',
  0x22: '\\"',
};

// g_strescape() of a NUL-terminated byte string (the NUL not included).
function strescape(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    const e = BYTE_ESCAPES[b];
    if (e !== undefined) out += e;
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

function printDouble(d: number): string {
  const s = formatG(d, 17);
  return /[.enN]/.test(s) ? s : `${s}.0`;
}

function printBasic(t: VariantType & { kind: 'basic' }, v: unknown, annotate: boolean): string {
  const prefix = annotate ? (ANNOTATION[t.code] ?? '') : '';
  switch (t.code) {
    case 'b':
      return v ? 'true' : 'false';
    case 'y':
      return `${prefix}0x${(v as number).toString(16).padStart(2, '0')}`;
    case 'n':
    case 'q':
    case 'i':
    case 'u':
    case 'h':
      return `${prefix}${v as number}`;
    case 'x':
    case 't':
      return `${prefix}${(v as bigint).toString()}`;
    case 'd':
      return printDouble(v as number);
    case 's':
      return printString(v as string);
    case 'o':
    case 'g':
      return `${prefix}'${v as string}'`;
  }
}

function printArray(t: VariantType & { kind: 'array' }, v: unknown, annotate: boolean): string {
  const el = t.element;
  if (el.kind === 'basic' && el.code === 'y') {
    const bytes = v as Uint8Array;
    if (bytes.length > 0 && bytes.indexOf(0) === bytes.length - 1) {
      const body = bytes.subarray(0, bytes.length - 1);
      const escaped = strescape(body);
      return body.includes(0x27) ? `b"${escaped}"` : `b'${escaped}'`;
    }
  }
  const items: readonly unknown[] = v instanceof Uint8Array ? Array.from(v) : (v as readonly unknown[]);
  if (el.kind === 'entry') {
    if (items.length === 0) return `${annotate ? `@${t.text} ` : ''}{}`;
    let first = annotate;
    const parts = items.map((entry) => {
      const [k, val] = entry as readonly [unknown, unknown];
      const s = `${printValue(el.key, k, first)}: ${printValue(el.value, val, first)}`;
      first = false;
      return s;
    });
    return `{${parts.join(', ')}}`;
  }
  if (items.length === 0) return `${annotate ? `@${t.text} ` : ''}[]`;
  return `[${items.map((item, i) => printValue(el, item, annotate && i === 0)).join(', ')}]`;
}

function printValue(t: VariantType, v: unknown, annotate: boolean): string {
  switch (t.kind) {
    case 'basic':
      return printBasic(t, v, annotate);
    case 'variant': {
      const inner = v as Variant;
      return `<${printValue(parseType(inner.type), inner.value, true)}>`;
    }
    case 'maybe': {
      const prefix = annotate ? `@${t.text} ` : '';
      if (v === null) return `${prefix}nothing`;
      const child = t.element.kind === 'maybe' ? (v as { just: unknown }).just : v;
      const printed = printValue(t.element, child, false);
      return `${prefix}${printed.endsWith('nothing') ? 'just ' : ''}${printed}`;
    }
    case 'array':
      return printArray(t, v, annotate);
    case 'tuple': {
      const items = v as readonly unknown[];
      const parts = t.items.map((it, i) => printValue(it, items[i], annotate));
      if (parts.length === 1) return `(${parts[0]},)`;
      return `(${parts.join(', ')})`;
    }
    case 'entry': {
      const [k, val] = v as readonly [unknown, unknown];
      return `{${printValue(t.key, k, annotate)}, ${printValue(t.value, val, annotate)}}`;
    }
  }
}

/**
 * g_variant_print(): the text form of a value of type `type`.
 * @param annotate - GLib's `type_annotate` (ostree passes TRUE almost everywhere)
 */
export function printVariant(type: string, value: unknown, annotate: boolean): string {
  return printValue(parseType(type), value, annotate);
}
