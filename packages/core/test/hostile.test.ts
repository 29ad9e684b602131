// Corrupted, non-canonical and crafted objects must be refused with a typed error, and
// anything accepted must re-encode to exactly the bytes it came from.
import fc from 'fast-check';
import { codec } from '@ostree-ts/gvariant';
import { describe, expect, it } from 'vitest';
import {
  decodeArchiveHeader,
  decodeBareUserMeta,
  decodeCommit,
  decodeDirMeta,
  decodeDirTree,
  decodeFileHeader,
  encodeCommit,
  encodeDirMeta,
  encodeDirTree,
  encodeFileHeader,
  fromHex,
  isOstreeError,
  parseArchiveObject,
  readHeaderFrame,
  toHex,
  xattr,
  OstreeError,
} from '../src/index.js';

const COMMIT =
  '76657273696f6e00312e3000007308006f73747265652e7265662d62696e64696e67000000000000' +
  '746573742f6d61696e000a006173130f37466972737420636f6d6d697400426f6479207465787400' +
  '000000005fee6600971f47891316096d9517d814cc2c3ab949d96184eec97a9b33d6273318004670' +
  '446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488785046393939';
const DIRTREE = '72756e2e73680089b350d278ff59ba4780bc377b8ebfee8ade6b55c99fab1ec84e133bc6ea52c5072829';
const DIRMETA = '0000000000000000000041ed';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const objects: [string, string, (b: Uint8Array) => unknown, (v: never) => Uint8Array][] = [
  ['commit', COMMIT, decodeCommit, encodeCommit as (v: never) => Uint8Array],
  ['dirtree', DIRTREE, decodeDirTree, encodeDirTree as (v: never) => Uint8Array],
  ['dirmeta', DIRMETA, decodeDirMeta, encodeDirMeta as (v: never) => Uint8Array],
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

type Mutation = { kind: 'flip'; at: number; xor: number } | { kind: 'truncate'; at: number } | { kind: 'append'; bytes: Uint8Array };

function mutate(src: Uint8Array, m: Mutation): Uint8Array {
  if (m.kind === 'flip') {
    const out = src.slice();
    const i = m.at % out.length;
    out[i] = out[i]! ^ m.xor;
    return out;
  }
  if (m.kind === 'truncate') return src.slice(0, m.at % src.length);
  const out = new Uint8Array(src.length + m.bytes.length);
  out.set(src);
  out.set(m.bytes, src.length);
  return out;
}

describe.each(objects)('mutated %s', (_name, hex, decode, encode) => {
  it('is either refused with OstreeError or accepted only if it re-encodes byte for byte', () => {
    const src = fromHex(hex);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const bytes = ms.reduce((b, m) => (b.length === 0 ? b : mutate(b, m)), src);
        let value: unknown;
        try {
          value = decode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(OstreeError);
          return;
        }
        expect(toHex(encode(value as never))).toBe(toHex(bytes));
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});

// Crafted objects: valid GVariant, invalid for ostree. Built with the raw codec because the
// object encoders refuse to produce them.
const csum = new Uint8Array(32).fill(0xab);
const dirtreeRaw = codec('(a(say)a(sayay))');
const dirmetaRaw = codec('(uuua(ayay))');
const headerRaw = codec('(uuuusa(ayay))');
const commitRaw = codec('(a{sv}aya(say)sstayay)');

describe('crafted hostile objects', () => {
  it.each([
    ['..', [['..', csum]], []],
    ['.', [['.', csum]], []],
    ['empty name', [['', csum]], []],
    ['slash', [['a/b', csum]], []],
    ['dir named ..', [], [['..', csum, csum]]],
    ['unsorted', [['b', csum], ['a', csum]], []],
    ['duplicate', [['a', csum], ['a', csum]], []],
    ['file and dir of the same name', [['a', csum]], [['a', csum, csum]]],
    ['short checksum', [['a', csum.subarray(0, 31)]], []],
  ] as const)('dirtree with %s is refused', (_n, files, dirs) => {
    const bytes = dirtreeRaw.encode([files as unknown as [string, Uint8Array][], dirs as unknown as [string, Uint8Array, Uint8Array][]]);
    expect(isOstreeError(thrown(() => decodeDirTree(bytes)), 'INVALID_OBJECT')).toBe(true);
  });

  it('dirmeta with a non-directory mode or stray bits is refused', () => {
    for (const mode of [0o100644, 0o40755 | 0o1000000, 0]) {
      const bytes = dirmetaRaw.encode([0, 0, mode, []], { byteswap: true });
      expect(isOstreeError(thrown(() => decodeDirMeta(bytes)), 'INVALID_OBJECT')).toBe(true);
    }
  });

  it('dirmeta with unsorted or duplicate xattrs is refused', () => {
    const [a, b] = [xattr('user.b', '1'), xattr('user.a', '2')];
    for (const xs of [[a, b], [b, b]]) {
      const bytes = dirmetaRaw.encode([0, 0, 0o40755, xs as [Uint8Array, Uint8Array][]], { byteswap: true });
      expect(isOstreeError(thrown(() => decodeDirMeta(bytes)), 'INVALID_OBJECT')).toBe(true);
    }
  });

  it('file headers with rdev, device modes, or mismatched symlink targets are refused', () => {
    const cases: [number, number, string][] = [
      [0o100644, 1, ''],
      [0o20644, 0, ''], // character device
      [0o10644, 0, ''], // fifo
      [0o120777, 0, ''], // symlink without a target
      [0o100644, 0, 'target'], // regular file with a target
    ];
    for (const [mode, rdev, target] of cases) {
      const bytes = headerRaw.encode([0, 0, mode, rdev, target, []], { byteswap: true });
      expect(isOstreeError(thrown(() => decodeFileHeader(bytes)), 'INVALID_OBJECT')).toBe(true);
    }
  });

  it('commits with wrong checksum lengths or empty metadata keys are refused', () => {
    const base = decodeCommit(fromHex(COMMIT));
    const raw = commitRaw.decode(fromHex(COMMIT));
    const variants = [
      [raw[0], csum.subarray(0, 5), raw[2], raw[3], raw[4], raw[5], raw[6], raw[7]],
      [raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], csum.subarray(1), raw[7]],
      [raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], new Uint8Array(0)],
      [[['', { type: 's', value: 'x' }]], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7]],
    ];
    for (const v of variants) {
      const bytes = commitRaw.encode(v as typeof raw);
      expect(isOstreeError(thrown(() => decodeCommit(bytes)), 'INVALID_OBJECT')).toBe(true);
    }
    expect(base.subject).toBe('First commit');
  });

  it('a commit padded with a non-zero byte is not normal form and is refused', () => {
    const bytes = fromHex(COMMIT);
    bytes[15] = 1; // the pad byte before the second a{sv} entry
    expect(isOstreeError(thrown(() => decodeCommit(bytes)), 'INVALID_OBJECT')).toBe(true);
  });

  it('archive objects with absurd, truncated or unpadded headers are refused', () => {
    const good = fromHex('0000001a0000000000000000000000060000000000000000000081a4000000000019cb48cdc9c9e70200');
    const huge = good.slice();
    huge.set([0x7f, 0xff, 0xff, 0xff], 0);
    const pad = good.slice();
    pad[5] = 1;
    for (const b of [huge, pad, good.subarray(0, 20), good.subarray(0, 4)]) {
      expect(isOstreeError(thrown(() => parseArchiveObject(b)), 'INVALID_OBJECT')).toBe(true);
    }
    expect(isOstreeError(thrown(() => readHeaderFrame(huge)), 'INVALID_OBJECT')).toBe(true);
  });

  it('bare-user metadata for a directory mode is refused', () => {
    const bytes = dirmetaRaw.encode([0, 0, 0o40755, []], { byteswap: true });
    expect(isOstreeError(thrown(() => decodeBareUserMeta(bytes)), 'INVALID_OBJECT')).toBe(true);
  });

  it('encoders refuse to write invalid objects', () => {
    expect(isOstreeError(thrown(() => encodeDirTree({ files: [{ name: '..', checksum: csum }], dirs: [] })), 'INVALID_OBJECT')).toBe(true);
    expect(isOstreeError(thrown(() => encodeDirMeta({ uid: 0, gid: 0, mode: 0o100644, xattrs: [] })), 'INVALID_MODE')).toBe(true);
    expect(
      isOstreeError(
        thrown(() => encodeFileHeader({ uid: 0, gid: 0, mode: 0o100644, rdev: 0, symlinkTarget: '', xattrs: [xattr('b', ''), xattr('a', '')] })),
        'INVALID_XATTRS',
      ),
    ).toBe(true);
    expect(isOstreeError(thrown(() => decodeArchiveHeader(new Uint8Array(3))), 'INVALID_OBJECT')).toBe(true);
  });
});
