/**
 * g_variant_byteswap(): every number wider than a byte reversed. `ostree show` byte-swaps
 * metadata before printing it (ot_dump_variant), so a little-endian `uint64 5` stored by
 * `--add-metadata` prints as `uint64 360287970189639680`, exactly as ostree shows it.
 * @module
 */
import type { Variant } from '@ostree-ts/gvariant';
import { parseType, type VariantType } from './type.js';

const view = new DataView(new ArrayBuffer(8));

function swapNumber(code: string, v: unknown): unknown {
  switch (code) {
    case 'n':
      view.setInt16(0, v as number, true);
      return view.getInt16(0, false);
    case 'q':
      view.setUint16(0, v as number, true);
      return view.getUint16(0, false);
    case 'i':
    case 'h':
      view.setInt32(0, v as number, true);
      return view.getInt32(0, false);
    case 'u':
      view.setUint32(0, v as number, true);
      return view.getUint32(0, false);
    case 'x':
      view.setBigInt64(0, v as bigint, true);
      return view.getBigInt64(0, false);
    case 't':
      view.setBigUint64(0, v as bigint, true);
      return view.getBigUint64(0, false);
    case 'd':
      view.setFloat64(0, v as number, true);
      return view.getFloat64(0, false);
    default:
      return v;
  }
}

function swap(t: VariantType, v: unknown): unknown {
  switch (t.kind) {
    case 'basic':
      return swapNumber(t.code, v);
    case 'variant': {
      const inner = v as Variant;
      return { type: inner.type, value: swap(parseType(inner.type), inner.value) };
    }
    case 'maybe':
      if (v === null) return null;
      if (t.element.kind === 'maybe') return { just: swap(t.element, (v as { just: unknown }).just) };
      return swap(t.element, v);
    case 'array':
      if (v instanceof Uint8Array) return v;
      return (v as readonly unknown[]).map((item) => swap(t.element, item));
    case 'tuple':
      return t.items.map((it, i) => swap(it, (v as readonly unknown[])[i]));
    case 'entry': {
      const [k, val] = v as readonly [unknown, unknown];
      return [swap(t.key, k), swap(t.value, val)];
    }
  }
}

/** The value with every multi-byte number byte-reversed (g_variant_byteswap). */
export function byteswapValue(type: string, value: unknown): unknown {
  return swap(parseType(type), value);
}
