// Both ed25519 backends against each other and against libsodium (python3-nacl).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleEd25519, verifyLikeLibsodium, type Ed25519 } from '../src/index.js';
import { nodeEd25519 } from '../src/node.js';
import { hasNacl, hex, libsodium, unhex } from './helpers/libsodium.js';

const engines: Ed25519[] = [nobleEd25519(), nodeEd25519()];

// RFC 8032 §7.1 test 2 (one-byte message).
const RFC = {
  seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
  pk: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
  msg: '72',
  sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
};

describe.each(engines)('$name backend', (engine) => {
  it('matches the RFC 8032 vector', () => {
    expect(hex(engine.publicKey(unhex(RFC.seed)))).toBe(RFC.pk);
    expect(hex(engine.sign(unhex(RFC.msg), unhex(RFC.seed)))).toBe(RFC.sig);
    expect(verifyLikeLibsodium(engine, unhex(RFC.sig), unhex(RFC.msg), unhex(RFC.pk))).toBe(true);
  });

  it('rejects a changed message, signature or key', () => {
    const sig = unhex(RFC.sig);
    expect(verifyLikeLibsodium(engine, sig, unhex('73'), unhex(RFC.pk))).toBe(false);
    const badSig = sig.slice();
    badSig[10]! ^= 1;
    expect(verifyLikeLibsodium(engine, badSig, unhex(RFC.msg), unhex(RFC.pk))).toBe(false);
    const otherPk = engine.publicKey(new Uint8Array(32).fill(7));
    expect(verifyLikeLibsodium(engine, sig, unhex(RFC.msg), otherPk)).toBe(false);
  });

  it('rejects S >= L (malleated signature) like libsodium', () => {
    // S + L verifies under a non-checking equation but libsodium refuses it.
    const sig = unhex(RFC.sig);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
    s += L;
    const malleated = sig.slice();
    for (let i = 32; i < 64; i++) {
      malleated[i] = Number(s & 0xffn);
      s >>= 8n;
    }
    expect(verifyLikeLibsodium(engine, malleated, unhex(RFC.msg), unhex(RFC.pk))).toBe(false);
  });

  it('returns false (never throws) for S = 0 and for undecodable points', () => {
    const sig = unhex(RFC.sig).slice();
    sig.fill(0, 32);
    expect(engine.verify(sig, unhex(RFC.msg), unhex(RFC.pk))).toBe(false);
    expect(engine.verify(unhex(RFC.sig), unhex(RFC.msg), new Uint8Array(32).fill(0xff))).toBe(false);
  });

  it('rejects the identity public key with the trivial signature (libsodium refuses small-order keys)', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const sig = new Uint8Array(64);
    sig[0] = 1; // R = identity, S = 0: holds for any message under A = identity
    expect(verifyLikeLibsodium(engine, sig, unhex('00'), identity)).toBe(false);
  });
});

describe('the two backends', () => {
  it('make identical signatures that each verifies', () => {
    const [noble, node] = engines as [Ed25519, Ed25519];
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, msg) => {
        const a = noble.sign(msg, seed);
        const b = node.sign(msg, seed);
        expect(hex(a)).toBe(hex(b));
        expect(hex(noble.publicKey(seed))).toBe(hex(node.publicKey(seed)));
        expect(verifyLikeLibsodium(noble, b, msg, node.publicKey(seed))).toBe(true);
        expect(verifyLikeLibsodium(node, a, msg, noble.publicKey(seed))).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe.skipIf(!hasNacl)('against libsodium (python3-nacl)', () => {
  const cases = fc.sample(fc.tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 500 })), { numRuns: 30, seed: 8 });

  it.each(engines)('$name signatures equal libsodium signatures, and verify both ways', (engine) => {
    const keypairs = libsodium(cases.map(([seed]) => ({ op: 'keypair', seed: hex(seed) }))) as { pk: string; sk: string }[];
    const theirs = libsodium(cases.map(([, msg], i) => ({ op: 'sign', msg: hex(msg), sk: keypairs[i]!.sk }))) as string[];
    const ours = cases.map(([seed, msg]) => engine.sign(msg, seed));
    const verdicts = libsodium(cases.map(([, msg], i) => ({ op: 'verify', sig: hex(ours[i]!), msg: hex(msg), pk: keypairs[i]!.pk })));
    cases.forEach(([seed, msg], i) => {
      expect(hex(engine.publicKey(seed))).toBe(keypairs[i]!.pk);
      expect(verdicts[i]).toBe(true);
      expect(verifyLikeLibsodium(engine, unhex(theirs[i]!), msg, unhex(keypairs[i]!.pk))).toBe(true);
      expect(hex(ours[i]!)).toBe(theirs[i]);
    });
  });

  it.each(engines)('$name agrees with libsodium on malformed signatures and keys', (engine) => {
    const identity = '01' + '00'.repeat(31);
    const seed = new Uint8Array(32).fill(3);
    const pk = hex(engine.publicKey(seed));
    const good = hex(engine.sign(unhex('abcd'), seed));
    const smallOrder8 = '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05';
    const probes = [
      { sig: identity + '00'.repeat(32), msg: '00', pk: identity },
      { sig: good, msg: 'abcd', pk },
      { sig: good.slice(0, 64) + 'ff'.repeat(32), msg: 'abcd', pk },
      { sig: smallOrder8 + good.slice(64), msg: 'abcd', pk },
      { sig: good, msg: 'abcd', pk: smallOrder8 },
      { sig: good, msg: 'abcd', pk: 'ed' + 'ff'.repeat(30) + '7f' },
      { sig: good, msg: 'abcd', pk: 'ff'.repeat(32) },
    ];
    const verdicts = libsodium(probes.map((p) => ({ op: 'verify', ...p })));
    probes.forEach((p, i) => expect(verifyLikeLibsodium(engine, unhex(p.sig), unhex(p.msg), unhex(p.pk))).toBe(verdicts[i]));
    expect(verdicts[1]).toBe(true);
  });
});

describe("libsodium's small-order blocklist", () => {
  it('holds the encodings (sign bit cleared) of all eight torsion points', async () => {
    const ed = await import('@noble/ed25519');
    const { SMALL_ORDER_ENCODINGS_FOR_TESTS } = await import('../src/ed25519/libsodium-rules.js');
    const listed = new Set(SMALL_ORDER_ENCODINGS_FOR_TESTS.map(hex));
    const order8 = ed.Point.fromBytes(unhex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'));
    expect(order8.isSmallOrder()).toBe(true);
    expect(order8.multiplyUnsafe(4n).is0()).toBe(false); // exactly order 8
    let p = ed.Point.ZERO;
    for (let k = 0; k < 8; k++) {
      const bytes = p.toBytes();
      bytes[31]! &= 0x7f;
      expect(listed.has(hex(bytes))).toBe(true);
      p = p.add(order8);
    }
  });
});
