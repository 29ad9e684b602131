/**
 * fast-check arbitraries for GVariant types and values (in @ostree-ts/gvariant's value shapes).
 */
import fc from 'fast-check';
import { parseType, type VariantType } from '../../src/gvariant/type.js';

const BASIC = 'bynqiuxthdsog';

/** A random definite type string. */
export function typeArb(depth = 3): fc.Arbitrary<string> {
  const basic = fc.constantFrom(...BASIC.split(''));
  if (depth === 0) return fc.oneof(basic, fc.constant('v'));
  const inner = typeArb(depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: basic },
    { weight: 1, arbitrary: fc.constant('v') },
    { weight: 2, arbitrary: inner.map((t) => `a${t}`) },
    { weight: 1, arbitrary: fc.constant('ay') },
    { weight: 1, arbitrary: inner.map((t) => `m${t}`) },
    { weight: 2, arbitrary: fc.array(inner, { maxLength: 4 }).map((ts) => `(${ts.join('')})`) },
    { weight: 2, arbitrary: fc.tuple(basic, inner).map(([k, v]) => `a{${k}${v}}`) },
    { weight: 1, arbitrary: fc.tuple(basic, inner).map(([k, v]) => `{${k}${v}}`) },
  );
}

const special = fc.constantFrom("'", '"', '\\', '\n', '\t', '\r', '\x07', '\x08', '\x0b', '\x0c', '\x1b', '\x7f', '\u0085', '\u00a0', '\u200b', '\u2028', '\ufeff', '\u0378', '\u{1f600}', '\u{e0001}', '\u{10fffd}', '\u{1faef}', 'é', '日本');

/** Strings GVariant can hold (no NUL, valid Unicode), rich in characters printing escapes. */
export const stringArb: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 4 }), special, fc.string({ maxLength: 4 })), { maxLength: 6 })
  .map((parts) => parts.join('').replaceAll('\0', ''))
  .filter((s) => !/\p{Cs}/u.test(s));

const objectPathArb = fc.oneof(
  fc.constant('/'),
  fc.array(fc.stringMatching(/^[A-Za-z0-9_]{1,5}$/), { minLength: 1, maxLength: 3 }).map((p) => `/${p.join('/')}`),
);

const signatureArb = fc.array(typeArb(1).filter((t) => !t.includes('m')), { maxLength: 3 }).map((ts) => ts.join(''));

const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 12 }),
  fc.string({ unit: 'binary-ascii', maxLength: 10 }).map((s) => Uint8Array.from([...Buffer.from(s.replaceAll('\0', ''), 'latin1'), 0])),
  fc.uint8Array({ maxLength: 8 }).map((b) => Uint8Array.from([...b.filter((x) => x !== 0), 0])),
);

function basicArb(code: string): fc.Arbitrary<unknown> {
  switch (code) {
    case 'b':
      return fc.boolean();
    case 'y':
      return fc.integer({ min: 0, max: 255 });
    case 'n':
      return fc.integer({ min: -32768, max: 32767 });
    case 'q':
      return fc.integer({ min: 0, max: 65535 });
    case 'i':
    case 'h':
      return fc.integer({ min: -2147483648, max: 2147483647 });
    case 'u':
      return fc.integer({ min: 0, max: 4294967295 });
    case 'x':
      return fc.bigInt(-(1n << 63n), (1n << 63n) - 1n);
    case 't':
      return fc.bigInt(0n, (1n << 64n) - 1n);
    case 'd':
      return fc.oneof(fc.double(), fc.integer().map((n) => n / 8), fc.constantFrom(0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, -0));
    case 's':
      return stringArb;
    case 'o':
      return objectPathArb;
    case 'g':
      return signatureArb;
    default:
      throw new Error(code);
  }
}

/** A random value of the given type. */
export function valueArb(t: VariantType | string, variantDepth = 2): fc.Arbitrary<unknown> {
  const type = typeof t === 'string' ? parseType(t) : t;
  switch (type.kind) {
    case 'basic':
      return basicArb(type.code);
    case 'variant':
      return typeArb(variantDepth > 0 ? 2 : 0).chain((inner) => valueArb(inner, variantDepth - 1).map((value) => ({ type: inner, value })));
    case 'array':
      if (type.element.kind === 'basic' && type.element.code === 'y') return bytesArb;
      return fc.array(valueArb(type.element, variantDepth), { maxLength: 3 });
    case 'maybe': {
      const el = valueArb(type.element, variantDepth);
      return fc.option(type.element.kind === 'maybe' ? el.map((just) => ({ just })) : el, { nil: null });
    }
    case 'tuple':
      return fc.tuple(...type.items.map((it) => valueArb(it, variantDepth)));
    case 'entry':
      return fc.tuple(valueArb(type.key, variantDepth), valueArb(type.value, variantDepth));
  }
}

/** A random (type, value) pair. */
export const typedValueArb: fc.Arbitrary<{ type: string; value: unknown }> = typeArb(3).chain((type) => valueArb(type).map((value) => ({ type, value })));
