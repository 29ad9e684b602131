// Deflate: exact mode reproduces system zlib (= ostree) at every level and any chunking; fast
// mode round-trips; arguments are validated.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeDeflateEngine } from '../src/deflate.js';
import { inflateWith } from '../src/inflate.js';
import { guardTransform } from '../src/transform.js';
import {
  CompressError,
  activeBackends,
  createRawDeflate,
  deflateRaw,
  inflateRaw,
  isCompressError,
} from '../src/index.js';
import {
  HAVE_PYTHON,
  binaryBytes,
  chunked,
  expectBytes,
  randomBytes,
  runTransform,
  systemZlibDeflate,
  textBytes,
  thrown,
} from './helpers.js';

const SEED = 20261122;
const LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

const SAMPLES: [string, Uint8Array][] = [
  ['empty', new Uint8Array(0)],
  ['one byte', new Uint8Array([0x41])],
  ['text 300 KiB', textBytes(300 * 1024, 1)],
  ['binary 200 KiB', binaryBytes(200 * 1024, 2)],
  ['random 100 KiB', randomBytes(100 * 1024, 3)],
  ['zeros 1 MiB', new Uint8Array(1 << 20)],
  ['text 65537 B', textBytes(65537, 4)],
];

describe.skipIf(!HAVE_PYTHON)('exact mode equals system zlib 1.2.13 (what ostree writes)', () => {
  for (const [name, data] of SAMPLES) {
    it(`${name}, levels 0-9, one-shot and streamed`, () => {
      const want = systemZlibDeflate(data, LEVELS);
      const r = Math.abs(Buffer.from(name).readInt16LE(0));
      for (const level of LEVELS) {
        const expected = want.get(level)!;
        expectBytes(deflateRaw(data, { level }), expected, `level ${level} one-shot`);
        const sizes = [1 + (r % 7), 65536, 4093, 0, 100_000];
        expectBytes(runTransform(createRawDeflate({ level }), chunked(data, sizes)), expected, `level ${level} streamed`);
      }
    });
  }

  it('matches on random data shapes and sizes (property, fixed seed)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer(),
        fc.constantFrom('text', 'binary', 'random'),
        fc.integer({ min: 1, max: 9 }),
        (n, seed, kind, level) => {
          const data =
            kind === 'text' ? textBytes(n, seed) : kind === 'binary' ? binaryBytes(n, seed) : randomBytes(n, seed);
          expectBytes(deflateRaw(data, { level }), systemZlibDeflate(data, [level]).get(level)!);
        },
      ),
      { seed: SEED, numRuns: 25 },
    );
  });
});

describe('exact streaming equals exact one-shot for every chunking', () => {
  it('property over data and chunk sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300_000 }),
        fc.integer(),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 80_000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (n, seed, text, sizes, level) => {
          const data = text ? textBytes(n, seed) : binaryBytes(n, seed);
          const oneShot = deflateRaw(data, { level });
          const streamed = runTransform(createRawDeflate({ level }), chunked(data, sizes));
          expectBytes(streamed, oneShot);
          expectBytes(inflateRaw(oneShot), data, 'round trip');
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('empty input is the final empty fixed block 03 00, streamed or not', () => {
    expect([...deflateRaw(new Uint8Array(0))]).toEqual([3, 0]);
    expect([...runTransform(createRawDeflate(), [])]).toEqual([3, 0]);
    expect([...runTransform(createRawDeflate(), [new Uint8Array(0), new Uint8Array(0)])]).toEqual([3, 0]);
  });

  it('defaults to level 6 and exact', () => {
    const data = textBytes(100_000, 9);
    expectBytes(deflateRaw(data), deflateRaw(data, { level: 6, exact: true }));
  });
});

describe('fast mode', () => {
  it(`uses ${activeBackends().fastDeflate} here and round-trips with any chunking (property)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_200_000 }),
        fc.integer(),
        fc.constantFrom('text', 'binary', 'random'),
        fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 9 }),
        (n, seed, kind, sizes, level) => {
          const data =
            kind === 'text' ? textBytes(n, seed) : kind === 'binary' ? binaryBytes(n, seed) : randomBytes(n, seed);
          const oneShot = deflateRaw(data, { level, exact: false });
          expectBytes(inflateRaw(oneShot), data, 'one-shot round trip');
          const streamed = runTransform(createRawDeflate({ level, exact: false }), chunked(data, sizes));
          expectBytes(inflateRaw(streamed), data, 'streamed round trip (node)');
          expectBytes(inflateWith(streamed, Infinity, true), data, 'streamed round trip (pako)');
        },
      ),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('streamed blocks keep the ratio of one-shot (dictionary carried across blocks)', () => {
    const data = textBytes(4 << 20, 11);
    const oneShot = deflateRaw(data, { exact: false });
    const streamed = runTransform(createRawDeflate({ exact: false }), chunked(data, [65536]));
    expectBytes(inflateRaw(streamed), data);
    expect(streamed.length / oneShot.length).toBeLessThan(1.005);
    // A repeated 100 KiB record compresses to almost nothing only if blocks see the previous one.
    const rec = randomBytes(20_000, 12);
    const rep = new Uint8Array(2 << 20);
    for (let i = 0; i < rep.length; i += rec.length) rep.set(rec.subarray(0, Math.min(rec.length, rep.length - i)), i);
    const s2 = runTransform(createRawDeflate({ exact: false }), chunked(rep, [300_000]));
    expectBytes(inflateRaw(s2), rep);
    expect(s2.length).toBeLessThan(40_000);
  });

  it('differs from the exact bytes on real data (so exact: true is what byte-identity needs)', () => {
    const data = textBytes(200_000, 5);
    if (activeBackends().fastDeflate === 'node:zlib') {
      expect(Buffer.compare(deflateRaw(data, { exact: false }), deflateRaw(data))).not.toBe(0);
    }
  });

  it('the pako fallback (no node:zlib) round-trips and streams like one-shot', () => {
    const data = binaryBytes(300_000, 6);
    const a = makeDeflateEngine(6, false, true).run(data, true);
    const b = runTransform(guardTransform(makeDeflateEngine(6, false, true), 'd'), chunked(data, [7777]));
    expectBytes(Buffer.concat(a), b);
    expectBytes(inflateRaw(b), data);
  });

  it('does not retain pushed chunks: reusing the caller buffer is safe', () => {
    for (const exact of [true, false]) {
      const data = textBytes(600_000, 7);
      const t = createRawDeflate({ exact });
      const buf = new Uint8Array(50_000);
      const out: Uint8Array[] = [];
      const snapshots: [Uint8Array, Uint8Array][] = [];
      for (let off = 0; off < data.length; off += buf.length) {
        const n = Math.min(buf.length, data.length - off);
        buf.set(data.subarray(off, off + n));
        for (const o of t.push(buf.subarray(0, n))) {
          out.push(o);
          snapshots.push([o, o.slice()]);
        }
        buf.fill(0xee); // scribble over the chunk we just pushed
      }
      for (const o of t.end()) {
        out.push(o);
        snapshots.push([o, o.slice()]);
      }
      for (const [o, copy] of snapshots) expectBytes(o, copy, 'returned output was modified later');
      expectBytes(inflateRaw(Buffer.concat(out)), data);
    }
  });
});

describe('arguments', () => {
  const bad: unknown[] = [-1, 10, 1.5, NaN, Infinity, '6', null];
  it.each(bad.map((l) => [String(l), l]))('level %s is refused', (_name, level) => {
    for (const exact of [true, false]) {
      const e = thrown(() => deflateRaw(new Uint8Array(1), { level: level as number, exact }));
      expect(isCompressError(e, 'COMPRESS_INVALID_ARGUMENT')).toBe(true);
      expect(isCompressError(thrown(() => createRawDeflate({ level: level as number, exact })))).toBe(true);
    }
  });

  it('level 0 only without exact (stored-block boundaries are not reproducible)', () => {
    expect(isCompressError(thrown(() => deflateRaw(new Uint8Array(1), { level: 0 })), 'COMPRESS_INVALID_ARGUMENT')).toBe(true);
    expect(isCompressError(thrown(() => createRawDeflate({ level: 0, exact: true })), 'COMPRESS_INVALID_ARGUMENT')).toBe(true);
    const data = textBytes(200_000, 8);
    const stored = deflateRaw(data, { level: 0, exact: false });
    expect(stored.length).toBeGreaterThan(data.length);
    expectBytes(inflateRaw(stored), data);
  });

  it('refuses non-boolean exact, non-object options and non-Uint8Array input', () => {
    const cases: (() => unknown)[] = [
      () => deflateRaw(new Uint8Array(1), { exact: 1 as unknown as boolean }),
      () => deflateRaw(new Uint8Array(1), 6 as unknown as object),
      () => deflateRaw('text' as unknown as Uint8Array),
      () => deflateRaw(new ArrayBuffer(4) as unknown as Uint8Array),
      () => deflateRaw([1, 2, 3] as unknown as Uint8Array),
      () => createRawDeflate().push('x' as unknown as Uint8Array),
    ];
    for (const f of cases) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(CompressError);
      expect((e as CompressError).code).toBe('COMPRESS_INVALID_ARGUMENT');
    }
  });

  it('accepts a Buffer and returns a plain Uint8Array', () => {
    const out = deflateRaw(Buffer.from('hello'), { exact: false });
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    expect(Object.getPrototypeOf(inflateRaw(out))).toBe(Uint8Array.prototype);
  });

  it('a finished stream refuses more input', () => {
    for (const exact of [true, false]) {
      const t = createRawDeflate({ exact });
      t.push(new Uint8Array([1, 2, 3]));
      t.end();
      expect(isCompressError(thrown(() => t.push(new Uint8Array(1))), 'COMPRESS_INVALID_ARGUMENT')).toBe(true);
      expect(isCompressError(thrown(() => t.end()), 'COMPRESS_INVALID_ARGUMENT')).toBe(true);
    }
  });
});
