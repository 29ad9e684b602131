import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bswap32,
  bswap64,
  checksumFromModifiedBase64,
  checksumToModifiedBase64,
  compareBytes,
  compareUtf8,
  decodeVarint,
  encodeVarint,
  fromHex,
  isOstreeError,
  parseDeltaDirectory,
  deltaDirectory,
  toHex,
} from '../src/index.js';

const checksum = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex);
const enc = new TextEncoder();

describe('varint', () => {
  it('decode ∘ encode = id', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        const bytes = encodeVarint(n);
        expect(decodeVarint(bytes)).toEqual({ value: n, next: bytes.length });
      }),
      { numRuns: 500, seed: 1 },
    );
  });
  it('matches the recorded LEB128 examples', () => {
    expect(toHex(encodeVarint(0))).toBe('00');
    expect(toHex(encodeVarint(127))).toBe('7f');
    expect(toHex(encodeVarint(128))).toBe('8001');
    expect(toHex(encodeVarint(300))).toBe('ac02');
  });
  it('rejects truncated and overlong input with INVALID_OBJECT', () => {
    for (const hex of ['80', 'ffffffffffffffffffff01', 'ffffffffffffffff7f']) {
      let caught: unknown;
      try {
        decodeVarint(fromHex(hex));
      } catch (e) {
        caught = e;
      }
      expect(isOstreeError(caught, 'INVALID_OBJECT')).toBe(true);
    }
  });
});

describe('modified base64', () => {
  it('round-trips every checksum and never contains / or =', () => {
    fc.assert(
      fc.property(checksum, (c) => {
        const b = checksumToModifiedBase64(c);
        expect(b).toMatch(/^[A-Za-z0-9+_]{43}$/);
        expect(checksumFromModifiedBase64(b)).toBe(c);
      }),
      { numRuns: 300, seed: 2 },
    );
  });
  it('delta directories parse back to their endpoints', () => {
    fc.assert(
      fc.property(fc.option(checksum, { nil: undefined }), checksum, (from, to) => {
        const [, prefix, rest] = deltaDirectory(from, to).split('/');
        expect(parseDeltaDirectory(prefix!, rest!)).toEqual({ from, to });
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe('ordering', () => {
  it('compareUtf8 orders strings like strcmp on their UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareUtf8(a, b))).toBe(Math.sign(compareBytes(enc.encode(a), enc.encode(b))));
      }),
      { numRuns: 1000, seed: 4 },
    );
  });
  it('orders astral characters after U+FFFF as UTF-8 does', () => {
    expect(compareUtf8('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
  });
});

describe('byte swapping', () => {
  it('bswap32 and bswap64 are involutions matching DataView', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (n, b) => {
        const dv = new DataView(new ArrayBuffer(8));
        dv.setUint32(0, n, true);
        expect(bswap32(n)).toBe(dv.getUint32(0, false));
        expect(bswap32(bswap32(n))).toBe(n);
        dv.setBigUint64(0, b, true);
        expect(bswap64(b)).toBe(dv.getBigUint64(0, false));
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});
