/**
 * The public codec: encode/decode entry points for one type string.
 * @module
 */
import { compile, type CompiledType } from './compile.js';
import { decodeBudget, type DecodeContext } from './decode.js';
import { finishPath, Writer } from './encode.js';
import { GVariantError, describe, invalidData } from './errors.js';
import type { ValueOf } from './value-types.js';

/**
 * Options for {@link Codec.decode}.
 * @example
 * ```ts
 * codec('(uuua(ayay))').decode(bytes, { strict: true, byteswap: true }); // ostree dirmeta
 * ```
 */
export interface DecodeOptions {
  /**
   * Reject input that is not in GLib's normal form with `GVARIANT_NOT_NORMAL`, exactly where
   * `g_variant_is_normal_form()` would return false (as ostree does when verifying metadata).
   * Default false: see the package README for what non-strict decoding tolerates.
   */
  strict?: boolean;
  /** Read numbers big-endian (GLib `g_variant_byteswap`); framing offsets stay little-endian. */
  byteswap?: boolean;
}

/**
 * Options for {@link Codec.encode}.
 * @example
 * ```ts
 * codec('q').encode(0x1234, { byteswap: true }); // 12 34
 * ```
 */
export interface EncodeOptions {
  /** Write numbers big-endian (GLib `g_variant_byteswap`); framing offsets stay little-endian. */
  byteswap?: boolean;
}

/**
 * Encoder/decoder for one GVariant type, obtained from {@link codec}.
 * @example
 * ```ts
 * const c: Codec<[string, number]> = codec('(su)');
 * c.fixedSize; // undefined: variable-size
 * c.decode(c.encode(['a', 5])); // ['a', 5]
 * ```
 */
export interface Codec<T> {
  /** The type string. */
  readonly type: string;
  /** Alignment of the type: 1, 2, 4 or 8. */
  readonly alignment: number;
  /** Serialised size of every value of a fixed-size type; undefined for variable-size types. */
  readonly fixedSize: number | undefined;
  /**
   * Serialises `value` in GLib's normal form.
   * @param value - value of the codec's type
   * @param options - byte order
   * @returns a new byte array
   * @throws {GVariantError} `GVARIANT_INVALID_VALUE` if `value` does not fit the type
   */
  encode(value: T, options?: EncodeOptions): Uint8Array;
  /**
   * Deserialises `bytes`. `ay` values are views on `bytes`, not copies.
   * @param bytes - serialised value (index 0 is treated as 8-aligned)
   * @param options - strictness and byte order
   * @returns the value
   * @throws {GVariantError} `GVARIANT_INVALID_DATA` for undecodable bytes, `GVARIANT_NOT_NORMAL`
   * for bytes outside normal form when `strict`
   */
  decode(bytes: Uint8Array, options?: DecodeOptions): T;
}

// One reusable output buffer: most encodes then allocate only their result.
let spareWriter: Writer | undefined;
const SPARE_WRITER_MAX = 4 << 20;

function takeWriter(): Writer {
  const w = spareWriter ?? new Writer(1024);
  spareWriter = undefined;
  w.pos = 0;
  w.base = 0;
  w.offs.length = 0;
  return w;
}

function makeCodec(compiled: CompiledType): Codec<unknown> {
  const node = compiled.node;
  const fixed = node.fixedSize;
  const type = node.type;
  return Object.freeze({
    type,
    alignment: node.alignment,
    fixedSize: fixed === 0 ? undefined : fixed,
    encode(value: unknown, options?: EncodeOptions): Uint8Array {
      const enc = compiled.enc;
      // Re-entrant calls (e.g. from a getter inside the value) get their own writer.
      const w = takeWriter();
      w.le = options?.byteswap !== true;
      try {
        enc(w, value);
        return w.u8.slice(0, w.pos);
      } catch (e) {
        if (e instanceof GVariantError) throw finishPath(e);
        throw new GVariantError('GVARIANT_INVALID_VALUE', `cannot encode ${type}: ${String(e)}`, { cause: e });
      } finally {
        if (w.u8.length <= SPARE_WRITER_MAX) spareWriter = w;
      }
    },
    decode(bytes: Uint8Array, options?: DecodeOptions): unknown {
      if (!(bytes instanceof Uint8Array)) throw invalidData(`expected a Uint8Array, got ${describe(bytes)}`);
      const size = bytes.length;
      if (fixed !== 0 && size !== fixed) throw invalidData(`${type} is ${fixed} bytes, got ${size}`);
      const dec = compiled.dec;
      const ctx: DecodeContext = {
        u8: bytes,
        dv: new DataView(bytes.buffer, bytes.byteOffset, size),
        strict: options?.strict === true,
        le: options?.byteswap !== true,
        base: 0,
        budget: decodeBudget(size),
      };
      try {
        return dec(ctx, 0, size);
      } catch (e) {
        if (e instanceof GVariantError) throw e;
        // Defence in depth: the contract is that hostile bytes only ever raise GVariantError.
        throw new GVariantError('GVARIANT_INVALID_DATA', `internal error while decoding ${type}: ${String(e)}`, { cause: e });
      }
    },
  });
}

/**
 * Returns the codec for a GVariant type string. The type is parsed and compiled once; later calls
 * with the same string return the same codec.
 *
 * @param type - a definite GVariant type string, e.g. `'(a(say)a(sayay))'`
 * @returns the codec, typed from the type string (see {@link ValueOf})
 * @throws {GVariantError} `GVARIANT_INVALID_TYPE` if `type` is not valid
 * @example
 * ```ts
 * const c = codec('(su)');
 * const bytes = c.encode(['a', 5]); // 61 00 00 00 05 00 00 00 02
 * const [s, u] = c.decode(bytes, { strict: true });
 * ```
 */
export function codec<S extends string>(type: S): Codec<ValueOf<S>> {
  const compiled = compile(type);
  return (compiled.codec ??= makeCodec(compiled)) as Codec<ValueOf<S>>;
}
