/**
 * The GVariant printer against GLib's g_variant_print (live, through python3-gi), plus fixed
 * cases that document the format.
 */
import fc from 'fast-check';
import { codec } from '@ostree-ts/gvariant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteswapValue } from '../src/gvariant/byteswap.js';
import { printVariant } from '../src/gvariant/print.js';
import { GLibOracle, glibAvailable } from './helpers/glib-oracle.js';
import { typedValueArb, valueArb } from './helpers/variant-arbitrary.js';

describe('printVariant fixed cases', () => {
  it.each([
    ['s', 'plain', true, "'plain'"],
    ['s', "it's", true, `"it's"`],
    ['s', 'say "hi"', true, `'say "hi"'`],
    ['s', 'both \' and "', true, `"both ' and \\""`],
    ['s', 'tab\there\u0001\u{e0001}', true, "'tab\\there\\u0001\\U000e0001'"],
    ['t', 5n, true, 'uint64 5'],
    ['t', 5n, false, '5'],
    ['i', -7, true, '-7'],
    ['y', 10, true, 'byte 0x0a'],
    ['d', 1, true, '1.0'],
    ['d', 0.1, true, '0.10000000000000001'],
    ['d', -0, true, '-0.0'],
    ['d', Infinity, true, 'inf'],
    ['d', 1e300, true, '1.0000000000000001e+300'],
    ['as', [], true, '@as []'],
    ['as', [], false, '[]'],
    ['as', ['a', 'b'], true, "['a', 'b']"],
    ['at', [1n, 2n], true, '[uint64 1, 2]'],
    ['ay', Uint8Array.from([97, 98, 0]), true, "b'ab'"],
    ['ay', Uint8Array.from([97, 39, 0]), true, `b"a'"`],
    ['ay', Uint8Array.from([1, 2]), true, '[byte 0x01, 0x02]'],
    ['ay', new Uint8Array(0), true, '@ay []'],
    ['a{sv}', [['k', { type: 'u', value: 1 }]], true, "{'k': <uint32 1>}"],
    ['a{sv}', [], true, '@a{sv} {}'],
    ['(ti)', [1n, 2], true, '(uint64 1, 2)'],
    ['(s)', ['x'], true, "('x',)"],
    ['()', [], true, '()'],
    ['mi', null, true, '@mi nothing'],
    ['mmi', { just: null }, true, '@mmi just nothing'],
    ['mmi', { just: 3 }, false, '3'],
    ['{sb}', ['k', true], true, "{'k', true}"],
    ['o', '/a/b', true, "objectpath '/a/b'"],
    ['g', 'a{sv}', true, "signature 'a{sv}'"],
  ] as const)('%s %s (annotate %s)', (type, value, annotate, expected) => {
    expect(printVariant(type, value, annotate)).toBe(expected);
  });

  it('byte-swaps numbers as g_variant_byteswap does', () => {
    expect(printVariant('t', byteswapValue('t', 5n), true)).toBe('uint64 360287970189639680');
    expect(printVariant('d', byteswapValue('d', 1.5), true)).toBe('3.1398365858857059e-319');
  });
});

describe.skipIf(!glibAvailable())('printVariant against GLib', () => {
  let glib: GLibOracle;
  beforeAll(() => {
    glib = new GLibOracle();
  });
  afterAll(() => glib.close());

  it('matches g_variant_print for random values, with and without annotations', async () => {
    await fc.assert(
      fc.asyncProperty(typedValueArb, fc.boolean(), async ({ type, value }, annotate) => {
        const bytes = codec(type).encode(value as never);
        expect(printVariant(type, value, annotate)).toBe(await glib.print(type, bytes, annotate));
      }),
      { numRuns: 400 },
    );
  });

  it('matches g_variant_print after g_variant_byteswap', async () => {
    await fc.assert(
      fc.asyncProperty(typedValueArb, async ({ type, value }) => {
        const bytes = codec(type).encode(value as never);
        expect(printVariant(type, byteswapValue(type, value), true)).toBe(await glib.print(type, bytes, true, true));
      }),
      { numRuns: 200 },
    );
  });

  it('matches GLib on every string escape class', async () => {
    await fc.assert(
      fc.asyncProperty(valueArb('s'), async (s) => {
        expect(printVariant('s', s, true)).toBe(await glib.print('s', codec('s').encode(s as string), true));
      }),
      { numRuns: 300 },
    );
  });
});
