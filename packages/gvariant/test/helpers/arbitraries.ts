/** fast-check arbitraries for GVariant types, values and byte mutations. */
import fc from 'fast-check';
import { parseType, type TypeNode } from '../../src/type-string.js';

const BASIC = 'bynqiuxthdsog'.split('');

/** Random definite type strings, at most `depth` containers deep. */
export function arbType(depth: number, allowMaybe = true): fc.Arbitrary<string> {
  const leaf = fc.constantFrom(...BASIC, 'v');
  if (depth <= 0) return leaf;
  const sub = arbType(depth - 1, allowMaybe);
  const key = fc.constantFrom(...BASIC);
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 4, arbitrary: leaf },
    { weight: 2, arbitrary: sub.map((t) => 'a' + t) },
    { weight: 2, arbitrary: fc.array(sub, { maxLength: 4 }).map((ms) => '(' + ms.join('') + ')') },
    { weight: 1, arbitrary: fc.tuple(key, sub).map(([k, v]) => `a{${k}${v}}`) },
    { weight: 1, arbitrary: fc.tuple(key, sub).map(([k, v]) => `{${k}${v}}`) },
  ];
  if (allowMaybe) options.push({ weight: 2, arbitrary: sub.map((t) => 'm' + t) });
  return fc.oneof(...options);
}

const shortOrLong = <T>(short: fc.Arbitrary<T>, long: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: 20, arbitrary: short }, { weight: 1, arbitrary: long });

const arbString = shortOrLong(
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
    fc.constantFrom('', 'a', 'h\u00e9llo', '\u65e5\u672c', '\u{1f600}', '\ufeffx', '\uffff'),
  ),
  fc.string({ unit: 'grapheme-ascii', minLength: 240, maxLength: 300 }),
).map((s) => s.replaceAll('\0', ''));

const arbObjectPath = fc.oneof(
  fc.constant('/'),
  fc
    .array(fc.stringMatching(/^[A-Za-z0-9_]{1,6}$/), { minLength: 1, maxLength: 4 })
    .map((segs) => '/' + segs.join('/')),
);

const arbSignature = fc.array(arbType(2, false), { maxLength: 3 }).map((ts) => ts.join(''));

const arbBytes = shortOrLong(fc.uint8Array({ maxLength: 16 }), fc.uint8Array({ minLength: 240, maxLength: 300 }));

/** Random values of type `t` (variants nest at most `depth` more types). */
export function arbValue(t: string | TypeNode, depth = 2): fc.Arbitrary<unknown> {
  const n = typeof t === 'string' ? parseType(t) : t;
  switch (n.kind) {
    case 'basic':
      switch (n.code) {
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
          return fc.integer();
        case 'u':
          return fc.integer({ min: 0, max: 0xffffffff });
        case 'x':
          return fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
        case 't':
          return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
        case 'd':
          return fc.double();
        case 's':
          return arbString;
        case 'o':
          return arbObjectPath;
        default:
          return arbSignature;
      }
    case 'variant':
      return arbType(Math.max(0, Math.min(2, depth - 1))).chain((vt) =>
        arbValue(vt, depth - 1).map((value) => ({ type: vt, value })),
      );
    case 'array':
      if (n.element.kind === 'basic' && n.element.code === 'y') return arbBytes;
      return fc.array(arbValue(n.element, depth), { maxLength: 4 });
    case 'maybe': {
      const inner = arbValue(n.element, depth);
      const just = n.element.kind === 'maybe' ? inner.map((v) => ({ just: v })) : inner;
      return fc.option(just, { nil: null, freq: 3 });
    }
    case 'tuple':
      return fc.tuple(...n.members.map((m) => arbValue(m, depth)));
    case 'dict-entry':
      return fc.tuple(arbValue(n.key, depth), arbValue(n.value, depth));
  }
}

/** A random type together with a random value of it. */
export function arbTyped(depth = 3): fc.Arbitrary<{ type: string; value: unknown }> {
  return arbType(depth).chain((type) => arbValue(type).map((value) => ({ type, value })));
}

/** Applies 1-3 random edits (overwrite, flip, insert, delete, truncate, append, bump last byte). */
export function arbMutation(bytes: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.nat(), fc.integer({ min: 0, max: 255 }));
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let b = Array.from(bytes);
    for (const [kind, at, byte] of edits) {
      const i = b.length === 0 ? 0 : at % b.length;
      switch (kind) {
        case 0:
          if (b.length) b[i] = byte;
          break;
        case 1:
          if (b.length) b[i] = b[i]! ^ (1 << (byte & 7));
          break;
        case 2:
          b.splice(at % (b.length + 1), 0, byte);
          break;
        case 3:
          b.splice(i, 1);
          break;
        case 4:
          b = b.slice(0, i);
          break;
        case 5:
          b.push(byte);
          break;
        default:
          if (b.length) b[b.length - 1] = (b[b.length - 1]! + (byte & 1 ? 1 : 255)) & 0xff;
      }
    }
    return Uint8Array.from(b);
  });
}
