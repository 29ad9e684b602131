/**
 * Hostile input: random and mutated bytes against random types must only ever raise
 * GVariantError (no RangeError/TypeError leaking, no hang), limits hold, and decoding time of
 * crafted worst cases grows linearly with input size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codec, GVariantError, isValidTypeString, variant, type Variant } from '../src/index.js';
import { arbMutation, arbType, arbValue } from './helpers/arbitraries.js';

const SEED = Number(process.env.GVARIANT_FC_SEED ?? 20240521);
const RUNS = Number(process.env.GVARIANT_FC_RUNS ?? 1000);

const OPTIONS = [{}, { strict: true }, { byteswap: true }, { strict: true, byteswap: true }];

/** Decodes with every option set; returns the error codes seen. Fails on any foreign error. */
function decodeAll(type: string, bytes: Uint8Array): string[] {
  const codes: string[] = [];
  for (const o of OPTIONS) {
    try {
      codec(type).decode(bytes, o);
      codes.push('ok');
    } catch (e) {
      if (!(e instanceof GVariantError)) throw new Error(`foreign error for ${type}: ${String(e)}`);
      // Internal errors are wrapped defensively; none may happen.
      expect(e.message).not.toMatch(/^internal error/);
      codes.push(e.code);
    }
  }
  return codes;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof GVariantError) return e.code;
    throw e;
  }
  return 'ok';
}

describe('hostile bytes', () => {
  it(`random and mutated bytes never raise anything but GVariantError (seed ${SEED})`, () => {
    const arb = arbType(5).chain((type) =>
      fc
        .oneof(
          fc.uint8Array({ maxLength: 64 }),
          arbValue(type).chain((v) => arbMutation(codec(type).encode(v))),
          // Offsets-only garbage: mostly 0x00 / 0xff, the values framing code finds hardest.
          fc.array(fc.constantFrom(0, 1, 2, 0xff, 0xfe, 0x80), { maxLength: 40 }).map((a) => Uint8Array.from(a)),
        )
        .map((bytes) => ({ type, bytes })),
    );
    fc.assert(
      fc.property(arb, ({ type, bytes }) => {
        const [plain, strict] = decodeAll(type, bytes);
        // strict never accepts what non-strict refuses
        if (plain !== 'ok') expect(strict).not.toBe('ok');
      }),
      { seed: SEED, numRuns: 3 * RUNS },
    );
  });

  it('random type strings: codec() either compiles or throws INVALID_TYPE, consistently with isValidTypeString', () => {
    const chars = fc.constantFrom(...'abynqiuxthdsogvm(){}*?r'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }).map((a) => a.join('')), (t) => {
        const code = codeOf(() => codec(t));
        expect(code === 'ok' ? true : code).toBe(isValidTypeString(t) ? true : 'GVARIANT_INVALID_TYPE');
      }),
      { seed: SEED, numRuns: 2 * RUNS },
    );
  });

  it('variants carrying hostile type strings are refused as INVALID_DATA', () => {
    const withType = (t: string) => Uint8Array.from([0, ...new TextEncoder().encode(t)]);
    for (const t of ['('.repeat(100000), 'a'.repeat(200000) + 'y', '{' + 's'.repeat(1000), 'm'.repeat(129) + 'y', '(' + 'y'.repeat(1000)]) {
      for (const o of OPTIONS) expect(codeOf(() => codec('v').decode(withType(t), o))).toBe('GVARIANT_INVALID_DATA');
    }
  });
});

describe('nesting limits (GLib: 128)', () => {
  function nestedVariants(k: number): { bytes: Uint8Array; value: Variant } {
    let bytes = Uint8Array.of(5);
    let type = 'y';
    let value: Variant = { type: 'y', value: 5 };
    for (let i = 1; i < k; i++) {
      bytes = Uint8Array.from([...bytes, 0, ...new TextEncoder().encode(type)]);
      type = 'v';
      value = { type: 'v', value };
    }
    return { bytes: Uint8Array.from([...bytes, 0, ...new TextEncoder().encode(type)]), value };
  }

  it('127 nested variants decode and encode; 128 are refused', () => {
    const ok = nestedVariants(127);
    expect(codec('v').decode(ok.bytes, { strict: true })).toEqual(ok.value);
    expect(codec('v').encode(ok.value)).toEqual(ok.bytes);
    const deep = nestedVariants(128);
    for (const o of OPTIONS) expect(codeOf(() => codec('v').decode(deep.bytes, o))).toBe('GVARIANT_INVALID_DATA');
    expect(codeOf(() => codec('v').encode(deep.value))).toBe('GVARIANT_INVALID_VALUE');
  });

  it('the deepest valid type string works until a value would sit at depth 128', () => {
    const t = 'a'.repeat(128) + 'y';
    const c = codec(t);
    expect(c.decode(new Uint8Array(0), { strict: true })).toEqual([]);
    // [[[...[ [] ]...]]]: 127 nested arrays around an empty innermost ay is fine
    let v: unknown = new Uint8Array(0);
    for (let i = 0; i < 127; i++) v = [v];
    const bytes = c.encode(v as never);
    expect(c.decode(bytes, { strict: true })).toEqual(v);
    // a byte inside the innermost array would be at depth 128
    let w: unknown = Uint8Array.of(1);
    for (let i = 0; i < 127; i++) w = [w];
    expect(codeOf(() => c.encode(w as never))).toBe('GVARIANT_INVALID_VALUE');
    // The same bytes as 127 arrays around the string '' (whose one byte 00 is the innermost
    // ay's byte here) must be refused when read as the 129-deep type.
    let str: unknown = '';
    for (let i = 0; i < 127; i++) str = [str];
    const deepBytes = codec('a'.repeat(127) + 's').encode(str as never);
    for (const o of OPTIONS) expect(codeOf(() => c.decode(deepBytes, o))).toBe('GVARIANT_INVALID_DATA');
  });

  it('a variant whose type is too deep for its position is refused', () => {
    // depth(variant) + depth(child type) must stay below 128 (GLib's rule).
    const t127 = 'a'.repeat(126) + 'y'; // type depth 127
    expect(codec('v').decode(Uint8Array.from([0, ...new TextEncoder().encode(t127)]), { strict: true })).toEqual({ type: t127, value: [] });
    expect(codeOf(() => codec('(v)').decode(Uint8Array.from([0, ...new TextEncoder().encode(t127)])))).toBe('GVARIANT_INVALID_DATA');
    expect(codeOf(() => codec('(v)').encode([variant(t127, [] as never)]))).toBe('GVARIANT_INVALID_VALUE');
  });
});

describe('allocation limits', () => {
  it('huge element counts are bounded by the input: a() of 1 MiB shares one value', () => {
    const v = codec('a()').decode(new Uint8Array(1 << 20), { strict: true });
    expect(v.length).toBe(1 << 20);
    expect(new Set(v).size).toBe(1);
  });

  it('an offset table of zeros claims many elements but cannot over-allocate', () => {
    const zeros = new Uint8Array(100000);
    expect(codec('aay').decode(zeros).length).toBe(25000); // 4-byte offsets, all empty
    expect(codeOf(() => codec('as').decode(zeros))).toBe('GVARIANT_INVALID_DATA');
  });

  it('deeply nested one-byte tuples inside a variant cannot amplify a small input into a huge graph', () => {
    const size = 1 << 18;
    const withType = (t: string) => {
      const b = new Uint8Array(size + 1 + t.length);
      b.set(new TextEncoder().encode(t), size + 1);
      return b;
    };
    const t0 = performance.now();
    expect(codeOf(() => codec('v').decode(withType('a' + '('.repeat(12) + 'y' + ')'.repeat(12))))).toBe('GVARIANT_INVALID_DATA');
    expect(performance.now() - t0).toBeLessThan(1000); // refused up front, not after building most of it
    // ordinary nesting of the same size is fine
    expect((codec('v').decode(withType('a((y))')).value as unknown[]).length).toBe(size);
  });
});

describe('linear decoding time on crafted worst cases', () => {
  function minTime(f: () => void): number {
    let best = Infinity;
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      f();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  }

  function attempt(f: () => void): void {
    try {
      f();
    } catch (e) {
      if (!(e instanceof GVariantError)) throw e;
    }
  }

  const enc = (s: string) => new TextEncoder().encode(s);
  const cases: Array<[string, (n: number) => { type: string; bytes: Uint8Array }]> = [
    ['a() of n units', (n) => ({ type: 'a()', bytes: new Uint8Array(n) })],
    ['aay of n/4 empty arrays (offset table only)', (n) => ({ type: 'aay', bytes: codec('aay').encode(Array.from({ length: n >> 2 }, () => new Uint8Array(0))) })],
    ['av of many small variants', (n) => ({ type: 'av', bytes: codec('av').encode(Array.from({ length: n >> 4 }, (_, i) => variant('u', i))) })],
    ['variant without a NUL separator', (n) => ({ type: 'v', bytes: new Uint8Array(n).fill(1) })],
    [
      'av whose variants each carry a distinct long type string',
      (n) => {
        const items: Variant[] = [];
        // All longer than the compile cache admits from data, so every one is parsed and compiled.
        for (let used = 0, k = 300; used < n; k++, used += k + 4) items.push({ type: '(' + 'y'.repeat(k) + ')', value: new Array(k).fill(1) });
        return { type: 'av', bytes: codec('av').encode(items) };
      },
    ],
    ['long string with bad UTF-8 at the end', (n) => ({ type: 's', bytes: Uint8Array.from([...new Uint8Array(n).fill(0x61), 0xff, 0]) })],
    ['as whose last offset is garbage', (n) => ({ type: 'as', bytes: Uint8Array.from([...enc('a\0'.repeat(n >> 1)), 0xff, 0xff, 0xff, 0x7f]) })],
    [
      'a(sayay) dirtree-like, strict',
      (n) => {
        const sum = new Uint8Array(32);
        return { type: 'a(sayay)', bytes: codec('a(sayay)').encode(Array.from({ length: n >> 6 }, (_, i) => [`d${i}`, sum, sum] as [string, Uint8Array, Uint8Array])) };
      },
    ],
  ];

  it.each(cases)('%s', (_name, make) => {
    const small = make(100000);
    const large = make(800000);
    const run = (x: { type: string; bytes: Uint8Array }) => attempt(() => codec(x.type).decode(x.bytes, { strict: true }));
    run(small); // warm up
    run(large);
    // Same total work both ways: 8 decodes of n bytes vs 1 decode of 8n bytes. Linear decoding
    // gives a ratio near 1 (up to ~4 when one large result keeps many objects alive through GC),
    // quadratic gives 8 or more; no absolute timings are asserted.
    const eightSmall = minTime(() => {
      for (let i = 0; i < 8; i++) run(small);
    });
    const oneLarge = minTime(() => run(large));
    if (process.env.GVARIANT_SHOW_RATIOS) console.log(_name, (oneLarge / eightSmall).toFixed(2));
    expect(oneLarge / Math.max(eightSmall, 0.5)).toBeLessThan(6);
  });
});
