import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hasOstree, ostree } from '../../../test-vectors/trees/ostree.js';
import { OstreeError, deltaDirectory, encodeCommit, metadataChecksum } from '@ostree-ts/core';
import { variant } from '@ostree-ts/gvariant';
import fc from 'fast-check';
import {
  decodeSuperblock,
  encodeSuperblock,
  inlinePart,
  superblockMetadata,
  deltaPartPath,
  deltaSuperblockPath,
  decodeDeltaIndex,
  encodeDeltaIndex,
  isSignedSuperblock,
  decodeSignedSuperblock,
  encodeSignedSuperblock,
  unwrapSuperblock,
  decodeObjectList,
  type DeltaSuperblock,
} from '../src/index.js';
import { makeRealDeltaFixture, readRepoFile, type RealDeltaFixture } from './helpers/real-deltas.js';

describe.skipIf(!hasOstree)('superblock codec against real ostree', () => {
  let fx: RealDeltaFixture;
  beforeAll(() => {
    fx = makeRealDeltaFixture();
  });
  afterAll(() => fx?.cleanup());

  const superblockOf = (from: string | undefined, to: string): { bytes: Uint8Array; sb: DeltaSuperblock } => {
    const bytes = readRepoFile(fx.repo, deltaSuperblockPath(from, to));
    return { bytes, sb: decodeSuperblock(bytes) };
  };

  it('decodes a from→to delta and re-encodes it byte for byte', () => {
    fx.clearDeltas();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`);
    const { bytes, sb } = superblockOf(fx.v1, fx.v2);
    expect(sb.from).toBe(fx.v1);
    expect(sb.to).toBe(fx.v2);
    expect(metadataChecksum(sb.commitBytes)).toBe(fx.v2);
    expect(sb.commit.subject).toBe('v2');
    expect(sb.endianness).toBe('little');
    expect(sb.endiannessGuessed).toBe(false);
    expect(sb.fallbacks).toHaveLength(1);
    expect(sb.fallbacks[0]!.uncompressedSize).toBe(5_000_000n);
    expect(sb.parts.length).toBeGreaterThan(0);
    // Part sizes and checksums match the files ostree wrote.
    const dir = join(fx.repo, deltaDirectory(fx.v1, fx.v2));
    expect(readdirSync(dir).sort()).toEqual(['0', 'superblock']);
    const part0 = readRepoFile(fx.repo, deltaPartPath(fx.v1, fx.v2, 0));
    expect(sb.parts[0]!.size).toBe(BigInt(part0.length));
    expect(sb.parts[0]!.checksum).toBe(metadataChecksum(part0));
    expect(part0[0]).toBe(0x78);
    // `ostree static-delta show` agrees on the part's object count and sizes.
    const show = ostree(`--repo=${fx.repo}`, 'static-delta', 'show', `${fx.v1}-${fx.v2}`);
    expect(show).toContain(`PartMeta0: nobjects=${sb.parts[0]!.objects.length} size=${sb.parts[0]!.size} usize=${sb.parts[0]!.uncompressedSize}`);
    const again = encodeSuperblock({ ...sb, dependencies: sb.dependencies });
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });

  it('reads a --swap-endianness delta (big-endian sizes, marker B) and re-encodes it', () => {
    fx.clearDeltas();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--swap-endianness');
    const { bytes, sb } = superblockOf(fx.v1, fx.v2);
    expect(sb.endianness).toBe('big');
    const part0 = readRepoFile(fx.repo, deltaPartPath(fx.v1, fx.v2, 0));
    expect(sb.parts[0]!.size).toBe(BigInt(part0.length));
    expect(sb.fallbacks[0]!.uncompressedSize).toBe(5_000_000n);
    expect(Buffer.from(encodeSuperblock(sb)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('guesses the byte order like ostree when the marker is missing', () => {
    fx.clearDeltas();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--swap-endianness');
    const sb = superblockOf(fx.v1, fx.v2).sb;
    const stripped = encodeSuperblock({ ...sb, metadata: sb.metadata.filter(([k]) => k !== 'ostree.endianness') });
    const guessed = decodeSuperblock(stripped);
    expect(guessed.endiannessGuessed).toBe(true);
    expect(guessed.endianness).toBe('big');
    expect(guessed.parts[0]!.size).toBe(sb.parts[0]!.size);
  });

  it('finds inline parts in scratch deltas and rebuilds the metadata in ostree order', () => {
    fx.clearDeltas();
    fx.generate('--empty', `--to=${fx.v2}`, '--inline', '--min-fallback-size=0');
    const { bytes, sb } = superblockOf(undefined, fx.v2);
    expect(sb.from).toBeUndefined();
    expect(sb.fallbacks).toHaveLength(0);
    const parts = sb.parts.map((p, i) => {
      const inline = inlinePart(sb, i)!;
      expect(inline.compression).toBe(0x78);
      const file = new Uint8Array(inline.body.length + 1);
      file[0] = inline.compression;
      file.set(inline.body, 1);
      expect(metadataChecksum(file)).toBe(p.checksum);
      return file;
    });
    const meta = superblockMetadata({ from: undefined, to: fx.v2, endianness: 'little', inlineParts: parts });
    expect(Buffer.from(encodeSuperblock({ ...sb, metadata: meta })).equals(Buffer.from(bytes))).toBe(true);
  });

  it('reads delta indexes written by ostree and writes identical ones', () => {
    fx.clearDeltas();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`);
    fx.generate('--empty', `--to=${fx.v2}`);
    ostree(`--repo=${fx.repo}`, 'static-delta', 'reindex');
    const rel = readdirSync(join(fx.repo, 'delta-indexes')).flatMap((p) => readdirSync(join(fx.repo, 'delta-indexes', p)).map((f) => `delta-indexes/${p}/${f}`));
    expect(rel).toHaveLength(1);
    const bytes = readRepoFile(fx.repo, rel[0]!);
    const list = decodeDeltaIndex(bytes);
    expect(list.map((d) => d.from ?? 'scratch').sort()).toEqual([fx.v1, 'scratch'].sort());
    for (const d of list) expect(d.superblockDigest).toBe(metadataChecksum(readRepoFile(fx.repo, deltaSuperblockPath(d.from, d.to))));
    expect(Buffer.from(encodeDeltaIndex(list)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('unwraps a signed superblock made with the dummy signer', () => {
    fx.clearDeltas();
    const env = process.env.OSTREE_DUMMY_SIGN_ENABLED;
    process.env.OSTREE_DUMMY_SIGN_ENABLED = '1';
    try {
      fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--sign-type=dummy', '--sign=abcdef');
    } finally {
      if (env === undefined) delete process.env.OSTREE_DUMMY_SIGN_ENABLED;
      else process.env.OSTREE_DUMMY_SIGN_ENABLED = env;
    }
    const bytes = readRepoFile(fx.repo, deltaSuperblockPath(fx.v1, fx.v2));
    expect(isSignedSuperblock(bytes)).toBe(true);
    const signed = decodeSignedSuperblock(bytes);
    expect(new TextDecoder().decode(signed.signatures.get('dummy')![0])).toBe('abcdef');
    expect(decodeSuperblock(unwrapSuperblock(bytes).superblock).to).toBe(fx.v2);
    expect(Buffer.from(encodeSignedSuperblock(signed.superblock, signed.signatures)).equals(Buffer.from(bytes))).toBe(true);
    expect(isSignedSuperblock(signed.superblock)).toBe(false);
    expect(unwrapSuperblock(signed.superblock).signed).toBeUndefined();
  });
});

describe('superblock codec: hostile input', () => {
  const commitBytes = encodeCommit({
    metadata: [],
    parent: undefined,
    related: [],
    subject: 'SUBJECTX',
    body: '',
    timestamp: 1n,
    rootTree: 'a'.repeat(64),
    rootMeta: 'b'.repeat(64),
  });
  const to = metadataChecksum(commitBytes);
  const base = {
    metadata: superblockMetadata({ from: undefined, to, endianness: 'little' }),
    timestamp: 5n,
    from: undefined,
    to,
    commitBytes,
    parts: [{ version: 0, checksum: 'c'.repeat(64), size: 10n, uncompressedSize: 20n, objects: [{ type: 'file' as const, checksum: 'd'.repeat(64) }] }],
    fallbacks: [],
    endianness: 'little' as const,
  };

  it('round-trips a hand-made superblock', () => {
    const sb = decodeSuperblock(encodeSuperblock(base));
    expect(sb.timestamp).toBe(5n);
    expect(sb.parts[0]!.objects).toEqual(base.parts[0]!.objects);
  });
  it('rejects garbage with INVALID_DELTA', () => {
    expect(() => decodeSuperblock(new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'INVALID_DELTA' }));
  });
  it('rejects an unknown ostree.endianness byte', () => {
    const bytes = encodeSuperblock({ ...base, metadata: [['ostree.endianness', variant('y', 0x7a)]] });
    expect(() => decodeSuperblock(bytes)).toThrow(expect.objectContaining({ code: 'INVALID_DELTA' }));
  });
  it('rejects part versions above 0 and metadata fallbacks', () => {
    const v1 = encodeSuperblock({ ...base, parts: [{ ...base.parts[0]!, version: 1 }] });
    expect(() => decodeSuperblock(v1)).toThrow(/too new version/);
    const fb = encodeSuperblock({ ...base, fallbacks: [{ type: 'dirtree', checksum: 'e'.repeat(64), compressedSize: 1n, uncompressedSize: 1n }] });
    expect(() => decodeSuperblock(fb)).toThrow(expect.objectContaining({ code: 'INVALID_DELTA' }));
  });
  it('rejects a commit that does not hash to the target with CHECKSUM_MISMATCH', () => {
    const bytes = encodeSuperblock(base);
    // Flip one byte of the subject inside the embedded commit.
    const at = Buffer.from(bytes).indexOf(Buffer.from('SUBJECTX'));
    const bad = Uint8Array.from(bytes);
    bad[at] = 't'.charCodeAt(0);
    expect(() => decodeSuperblock(bad)).toThrow(expect.objectContaining({ code: 'CHECKSUM_MISMATCH' }));
  });
  it('rejects object lists that are not 33-byte entries and unknown object types', () => {
    expect(() => decodeObjectList(new Uint8Array(34))).toThrow(expect.objectContaining({ code: 'INVALID_DELTA' }));
    expect(() => decodeObjectList(new Uint8Array(33))).toThrow(expect.objectContaining({ code: 'INVALID_DELTA' }));
  });
  it('never throws anything but OstreeError on random bytes', () => {
    const good = encodeSuperblock(base);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 0, max: 255 }), (i, b) => {
        const bad = Uint8Array.from(good);
        bad[i] = b;
        try {
          decodeSuperblock(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(OstreeError);
        }
      }),
    );
  });
});
