/**
 * Type-level mapping from a GVariant type string to the JS value type the codec uses, so
 * `codec('(su)')` is a `Codec<[string, number]>`.
 * @module
 */
import type { Variant } from './variant.js';

/**
 * The value of `Just(x)` for a maybe whose element is itself a maybe (`mmT`), so that
 * `Just(Nothing)` (`{ just: null }`) stays distinct from `Nothing` (`null`).
 * A maybe of a non-maybe type uses the bare value (`ms`: `string | null`).
 *
 * @example
 * ```ts
 * const c = codec('mmu');
 * c.encode(null);             // Nothing: 0 bytes
 * c.encode({ just: null });   // Just(Nothing): 1 byte
 * c.encode({ just: 7 });      // Just(Just(7))
 * ```
 */
export interface Just<T> {
  just: T;
}

/** Values of the one-character types. */
export interface BasicValues {
  b: boolean;
  y: number;
  n: number;
  q: number;
  i: number;
  u: number;
  h: number;
  d: number;
  x: bigint;
  t: bigint;
  s: string;
  o: string;
  g: string;
  v: Variant;
}

type KeyCode = Exclude<keyof BasicValues, 'v'>;

// Parser results: [value, rest-of-string], or one of two failure markers.
declare const failTag: unique symbol;
declare const deepTag: unique symbol;
interface Fail {
  readonly [failTag]: true;
}
interface TooDeep {
  readonly [deepTag]: true;
}
// `ay` is parsed to this placeholder and replaced by Uint8Array at the end: TypeScript does not
// treat Uint8Array tuples built by recursive accumulation as identical to written ones, which
// breaks exact type equality checks for users; replacing afterwards produces ordinary types.
declare const bytesTag: unique symbol;
interface BytesMark {
  readonly [bytesTag]: true;
}

type FixBytes<V> = V extends BytesMark
  ? Uint8Array
  : V extends unknown[]
    ? { [K in keyof V]: FixBytes<V[K]> }
    : V extends Just<infer J>
      ? Just<FixBytes<J>>
      : V;

// Nesting budget for the type-level parser; deeper strings fall back to `unknown`.
type MaxDepth = 16;

type ParseOne<S extends string, D extends 0[]> = D['length'] extends MaxDepth
  ? TooDeep
  : S extends `${infer C}${infer R}`
    ? C extends keyof BasicValues
      ? [BasicValues[C], R]
      : C extends 'a'
        ? R extends `y${infer R2}`
          ? [BytesMark, R2]
          : ArrayOf<ParseOne<R, [...D, 0]>>
        : C extends 'm'
          ? MaybeOf<R, ParseOne<R, [...D, 0]>>
          : C extends '('
            ? ParseTuple<R, [], [...D, 0]>
            : C extends '{'
              ? ParseEntry<R, [...D, 0]>
              : Fail
    : Fail;

type ArrayOf<P> = P extends [infer V, infer R extends string] ? [V[], R] : P;

type MaybeOf<Inner extends string, P> = P extends [infer V, infer R extends string]
  ? Inner extends `m${string}`
    ? [Just<V> | null, R]
    : [V | null, R]
  : P;

type ParseTuple<S extends string, Acc extends unknown[], D extends 0[]> = S extends `)${infer R}`
  ? [Acc, R]
  : ParseOne<S, D> extends infer P
    ? P extends [infer V, infer R extends string]
      ? ParseTuple<R, [...Acc, V], D>
      : P
    : never;

type ParseEntry<S extends string, D extends 0[]> = S extends `${infer K}${infer R}`
  ? K extends KeyCode
    ? ParseOne<R, D> extends infer P
      ? P extends [infer V, `}${infer R2}`]
        ? [[BasicValues[K], V], R2]
        : P extends TooDeep
          ? TooDeep
          : Fail
      : never
    : Fail
  : Fail;

/**
 * The JS value type for GVariant type string `S`.
 *
 * | GVariant | JS |
 * |---|---|
 * | `b` | `boolean` |
 * | `y n q i u h d` | `number` |
 * | `x t` | `bigint` |
 * | `s o g` | `string` |
 * | `ay` | `Uint8Array` |
 * | `aT` | `T[]`, `a{KV}` is `[K, V][]` |
 * | `(T1…Tn)` | `[V1, …, Vn]`, `()` is `[]` |
 * | `{KV}` | `[K, V]` |
 * | `v` | {@link Variant} |
 * | `mT` | `V \| null`, or `Just<V> \| null` when `T` is itself a maybe |
 *
 * Non-literal strings and strings nested deeper than 16 containers map to `unknown`; invalid
 * literal type strings map to `never`.
 *
 * @example
 * ```ts
 * type Dirtree = ValueOf<'(a(say)a(sayay))'>;
 * // [[string, Uint8Array][], [string, Uint8Array, Uint8Array][]]
 * ```
 */
export type ValueOf<S extends string> = string extends S
  ? unknown
  : ParseOne<S, []> extends infer P
    ? P extends [infer V, '']
      ? FixBytes<V>
      : P extends TooDeep
        ? unknown
        : never
    : never;
