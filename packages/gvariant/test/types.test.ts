/** Type-level tests: checked by `tsc -p tsconfig.json` (expectTypeOf is a no-op at run time). */
import { describe, expectTypeOf, it } from 'vitest';
import { codec, variant, type Codec, type Just, type ValueOf, type Variant } from '../src/index.js';

describe('ValueOf', () => {
  it('maps the commit type to the right tuple', () => {
    expectTypeOf<ValueOf<'(a{sv}aya(say)sstayay)'>>().toEqualTypeOf<
      [[string, Variant][], Uint8Array, [string, Uint8Array][], string, string, bigint, Uint8Array, Uint8Array]
    >();
    expectTypeOf(codec('(a{sv}aya(say)sstayay)')).toEqualTypeOf<
      Codec<[[string, Variant][], Uint8Array, [string, Uint8Array][], string, string, bigint, Uint8Array, Uint8Array]>
    >();
  });

  it('maps ostree object types', () => {
    expectTypeOf<ValueOf<'(a(say)a(sayay))'>>().toEqualTypeOf<[[string, Uint8Array][], [string, Uint8Array, Uint8Array][]]>();
    expectTypeOf<ValueOf<'(uuua(ayay))'>>().toEqualTypeOf<[number, number, number, [Uint8Array, Uint8Array][]]>();
    expectTypeOf<ValueOf<'(a(s(taya{sv}))a{sv})'>>().toEqualTypeOf<
      [[string, [bigint, Uint8Array, [string, Variant][]]][], [string, Variant][]]
    >();
  });

  it('maps basic types', () => {
    expectTypeOf<ValueOf<'b'>>().toEqualTypeOf<boolean>();
    expectTypeOf<ValueOf<'y'>>().toEqualTypeOf<number>();
    expectTypeOf<ValueOf<'h'>>().toEqualTypeOf<number>();
    expectTypeOf<ValueOf<'d'>>().toEqualTypeOf<number>();
    expectTypeOf<ValueOf<'x'>>().toEqualTypeOf<bigint>();
    expectTypeOf<ValueOf<'t'>>().toEqualTypeOf<bigint>();
    expectTypeOf<ValueOf<'o'>>().toEqualTypeOf<string>();
    expectTypeOf<ValueOf<'g'>>().toEqualTypeOf<string>();
    expectTypeOf<ValueOf<'v'>>().toEqualTypeOf<Variant>();
  });

  it('maps containers, unit, dict entries and maybes', () => {
    expectTypeOf<ValueOf<'ay'>>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<ValueOf<'aay'>>().toEqualTypeOf<Uint8Array[]>();
    expectTypeOf<ValueOf<'an'>>().toEqualTypeOf<number[]>();
    expectTypeOf<ValueOf<'()'>>().toEqualTypeOf<[]>();
    expectTypeOf<ValueOf<'(())'>>().toEqualTypeOf<[[]]>();
    expectTypeOf<ValueOf<'{sv}'>>().toEqualTypeOf<[string, Variant]>();
    expectTypeOf<ValueOf<'a{ta{sy}}'>>().toEqualTypeOf<[bigint, [string, number][]][]>();
    expectTypeOf<ValueOf<'ms'>>().toEqualTypeOf<string | null>();
    expectTypeOf<ValueOf<'may'>>().toEqualTypeOf<Uint8Array | null>();
    expectTypeOf<ValueOf<'mmu'>>().toEqualTypeOf<Just<number | null> | null>();
    expectTypeOf<ValueOf<'mmmu'>>().toEqualTypeOf<Just<Just<number | null> | null> | null>();
    expectTypeOf<ValueOf<'a(ms)'>>().toEqualTypeOf<[string | null][]>();
  });

  it('falls back to unknown for non-literal or very deep types, never for invalid ones', () => {
    expectTypeOf<ValueOf<string>>().toEqualTypeOf<unknown>();
    expectTypeOf<ValueOf<'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay'>>().toEqualTypeOf<unknown>();
    expectTypeOf<ValueOf<'zz'>>().toEqualTypeOf<never>();
    expectTypeOf<ValueOf<'(s'>>().toEqualTypeOf<never>();
    expectTypeOf<ValueOf<'{vs}'>>().toEqualTypeOf<never>();
    expectTypeOf<ValueOf<'ss'>>().toEqualTypeOf<never>();
  });

  it('types variant() values from the type string', () => {
    expectTypeOf(variant<'as'>).parameter(1).toEqualTypeOf<string[]>();
    expectTypeOf(variant('u', 5)).toEqualTypeOf<Variant>();
    // Compile-time only: the compiler must reject these calls.
    const rejected = (): void => {
      // @ts-expect-error wrong value type for 'u'
      variant('u', 'five');
      // @ts-expect-error x needs a bigint
      codec('(sx)').encode(['a', 1]);
    };
    expectTypeOf(rejected).toBeFunction();
  });
});
