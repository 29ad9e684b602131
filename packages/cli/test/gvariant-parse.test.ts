/**
 * The GVariant text parser (for `commit --add-metadata`) against GLib's g_variant_parse: same
 * type, same serialized bytes, or the same error message.
 */
import fc from 'fast-check';
import { codec } from '@ostree-ts/gvariant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VariantParseError, parseVariantText } from '../src/gvariant/parse.js';
import { printVariant } from '../src/gvariant/print.js';
import { GLibOracle, glibAvailable, type OracleAnswer } from './helpers/glib-oracle.js';
import { typedValueArb } from './helpers/variant-arbitrary.js';

function oursAnswer(text: string): OracleAnswer {
  try {
    const v = parseVariantText(text);
    return { ok: [v.type, Buffer.from(codec(v.type).encode(v.value as never)).toString('hex')] };
  } catch (e) {
    if (e instanceof VariantParseError) return { error: e.message };
    throw e;
  }
}

describe('parseVariantText fixed cases', () => {
  it.each([
    ["'hello'", 's'],
    ['"it\'s"', 's'],
    ['true', 'b'],
    ['42', 'i'],
    ['-7', 'i'],
    ['uint64 5', 't'],
    ['int64 -5', 'x'],
    ['byte 0x10', 'y'],
    ['1.5', 'd'],
    ["['a', 'b']", 'as'],
    ['@as []', 'as'],
    ['[1, 2.5]', 'ad'],
    ['[uint32 1, 2]', 'au'],
    ['{"k": <1>}', 'a{sv}'],
    ["{'k', 1}", '{si}'],
    ['<@mi nothing>', 'v'],
    ['just 3', 'mi'],
    ["b'raw'", 'ay'],
    ["(1, 'x', [true])", '(isab)'],
    ["objectpath '/a'", 'o'],
  ] as const)('%s is a %s', (text, type) => {
    expect(parseVariantText(text).type).toBe(type);
  });

  it.each([
    ['[]', '0-2:unable to infer type'],
    ['foo', '0-3:unknown keyword'],
    ['', '0:expected value'],
    ['byte 300', '5-8:number out of range for type \'y\''],
    ["[1, 'a']", "1-2,4-7:unable to find a common type"],
    ['1 2', '2:expected end of input'],
    ["'abc", '0-4:unterminated string constant'],
    ['uint32 -1', "7-9:number out of range for type 'u'"],
  ] as const)('%s fails with %s', (text, message) => {
    expect(() => parseVariantText(text)).toThrow(message);
  });
});

describe.skipIf(!glibAvailable())('parseVariantText against GLib', () => {
  let glib: GLibOracle;
  beforeAll(() => {
    glib = new GLibOracle();
  });
  afterAll(() => glib.close());

  it('parses whatever g_variant_print writes exactly as GLib does', async () => {
    await fc.assert(
      fc.asyncProperty(typedValueArb, fc.boolean(), async ({ type, value }, annotate) => {
        const text = printVariant(type, value, annotate);
        expect(oursAnswer(text)).toEqual(await glib.parse(text));
      }),
      { numRuns: 400 },
    );
  });

  const TOKENS = [
    '[', ']', '(', ')', '{', '}', '<', '>', ',', ':', ' ', '1', '-1', '300', '0x1f', '017', '08', '1.5', '-0.0', '1e3', '0x', '.5',
    'inf', 'nan', '-inf', 'true', 'false', 'nothing', 'just', "'a'", '"b\'"', "'\\u00e9'", "'\\x'", "b'x\\101'", 'b"q"', '@as', '@a{sv}',
    '@mi', '@*', '@(ss', 'uint64', 'byte', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'double', 'string', 'objectpath',
    'signature', 'handle', 'boolean', 'foo', 'x', "'/a'", "'a{sv}'", '99999999999999999999', '-9223372036854775808', '4294967296',
  ];

  it('agrees with GLib on arbitrary token soup, errors included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 }), async (tokens) => {
        const text = tokens.join('');
        expect(oursAnswer(text)).toEqual(await glib.parse(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees with GLib on the forms ostree users pass to --add-metadata', async () => {
    for (const text of [
      "'1.0'",
      'uint64 1609459200',
      'true',
      "['a', 'b']",
      "@as []",
      '{"k": <"v">}',
      'int32 -5',
      '42',
      '3.14',
      "<'x'>",
      'uint32 4294967296',
      '[int64 1, -2]',
      "('a', 1)",
    ]) {
      expect(oursAnswer(text)).toEqual(await glib.parse(text));
    }
  });
});
