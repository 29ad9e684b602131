// Commit and summary signatures: signing, ostree's verification rules and error codes.
import { describe, expect, it } from 'vitest';
import {
  appendSignature,
  decodeMetadata,
  dummySigner,
  ed25519Signer,
  formatEd25519SecretKey,
  nobleEd25519,
  removeSignatures,
  signCommit,
  signSummary,
  signaturesOf,
  verifyCommitSignature,
  verifyDetachedSignatures,
  verifySummarySignature,
} from './imports.js';
import { variant } from '@ostree-ts/core';
import { nodeEd25519 } from '../src/node.js';
import { thrownCode } from './helpers/thrown-code.js';

const engine = nobleEd25519();
const seeds = [1, 2, 3].map((b) => new Uint8Array(32).fill(b));
const secrets = seeds.map((s) => formatEd25519SecretKey(s));
const publics = seeds.map((s) => engine.publicKey(s));
const commit = new TextEncoder().encode('pretend commit bytes');

describe('commit signatures', () => {
  it('verify with the signing key and report which signature and key', () => {
    let meta = signCommit(commit, [['foo', variant('s', 'bar')]], ed25519Signer(secrets[0]!));
    meta = signCommit(commit, meta, ed25519Signer(secrets[1]!));
    expect(signaturesOf(meta, 'ed25519')).toHaveLength(2);
    const r = verifyCommitSignature(commit, meta, { ed25519: [publics[2]!, publics[1]!] });
    expect(r).toMatchObject({ type: 'ed25519', signatureIndex: 1, keyIndex: 1 });
    expect(r.message).toBe(`ed25519: Signature verified successfully with key '${Buffer.from(publics[1]!).toString('hex')}'`);
    // same with the node backend, and from the encoded .commitmeta
    expect(verifyCommitSignature(commit, meta, { ed25519: [publics[0]!] }, { engine: nodeEd25519() }).signatureIndex).toBe(0);
  });

  it('fail as SIGNATURE_MISSING without metadata or signatures, SIGNATURE_INVALID otherwise', () => {
    const meta = signCommit(commit, undefined, ed25519Signer(secrets[0]!));
    expect(thrownCode(() => verifyCommitSignature(commit, undefined, { ed25519: [publics[0]!] }))).toBe('SIGNATURE_MISSING');
    expect(thrownCode(() => verifyCommitSignature(commit, [['foo', variant('s', 'x')]], { ed25519: [publics[0]!] }))).toBe('SIGNATURE_MISSING');
    expect(thrownCode(() => verifyCommitSignature(commit, meta, { ed25519: [publics[1]!] }))).toBe('SIGNATURE_INVALID');
    expect(thrownCode(() => verifyCommitSignature(commit, meta, { ed25519: [] }))).toBe('SIGNATURE_INVALID');
    const tampered = commit.slice();
    tampered[0]! ^= 1;
    expect(thrownCode(() => verifyCommitSignature(tampered, meta, { ed25519: [publics[0]!] }))).toBe('SIGNATURE_INVALID');
    expect(thrownCode(() => verifyCommitSignature(commit, meta, { ed25519: [publics[0]!], revokedEd25519: [publics[0]!] }))).toBe('SIGNATURE_INVALID');
  });

  it('a signature of the wrong length fails the whole check, as in ostree', () => {
    let meta = appendSignature(undefined, 'ed25519', new Uint8Array(10));
    meta = signCommit(commit, meta, ed25519Signer(secrets[0]!));
    expect(() => verifyCommitSignature(commit, meta, { ed25519: [publics[0]!] })).toThrow(/Invalid signature length of 10 bytes, expected 64/);
  });

  it('dummy signatures count only when a dummy key is trusted', () => {
    const meta = signCommit(commit, undefined, dummySigner('dk'));
    expect(thrownCode(() => verifyCommitSignature(commit, meta, { ed25519: [publics[0]!] }))).toBe('SIGNATURE_MISSING');
    expect(verifyCommitSignature(commit, meta, { dummy: 'dk' }).message).toBe('dummy: Signature verified');
    expect(thrownCode(() => verifyCommitSignature(commit, meta, { dummy: 'other' }))).toBe('SIGNATURE_INVALID');
  });

  it('with several types, the first invalid error is reported with the count of others', () => {
    let meta = signCommit(commit, undefined, dummySigner('dk'));
    meta = signCommit(commit, meta, ed25519Signer(secrets[0]!));
    expect(() => verifyDetachedSignatures(commit, meta, { ed25519: [publics[1]!], dummy: 'zz' })).toThrow(/^\(1 other invalid signatures\): ed25519: /);
    expect(verifyDetachedSignatures(commit, meta, { ed25519: [publics[1]!], dummy: 'dk' }).type).toBe('dummy');
  });

  it('removeSignatures drops matching ones and the key when empty', () => {
    let meta = signCommit(commit, [['foo', variant('s', 'bar')]], dummySigner('a'));
    meta = signCommit(commit, meta, dummySigner('b'));
    const one = removeSignatures(meta, 'dummy', (s) => new TextDecoder().decode(s) === 'a');
    expect(one.removed).toBe(1);
    expect(signaturesOf(one.metadata, 'dummy')!.map((s) => new TextDecoder().decode(s))).toEqual(['b']);
    const none = removeSignatures(one.metadata, 'dummy', () => true);
    expect(none.metadata.map(([k]) => k)).toEqual(['foo']);
  });
});

describe('summary signatures', () => {
  it('summary.sig bytes verify over the summary bytes and not others', () => {
    const summary = new TextEncoder().encode('summary bytes');
    const sig = signSummary(summary, undefined, [ed25519Signer(secrets[0]!), ed25519Signer(secrets[1]!)]);
    expect(signaturesOf(decodeMetadata(sig), 'ed25519')).toHaveLength(2);
    expect(verifySummarySignature(summary, sig, { ed25519: [publics[1]!] }).signatureIndex).toBe(1);
    expect(thrownCode(() => verifySummarySignature(summary, undefined, { ed25519: [publics[1]!] }))).toBe('SIGNATURE_MISSING');
    expect(thrownCode(() => verifySummarySignature(new TextEncoder().encode('other'), sig, { ed25519: [publics[1]!] }))).toBe('SIGNATURE_INVALID');
    // Garbage reads as an empty dictionary, as GLib reads non-normal data: no signatures.
    expect(thrownCode(() => verifySummarySignature(summary, new Uint8Array([1, 2, 3]), { ed25519: [publics[1]!] }))).toBe('SIGNATURE_MISSING');
  });
});
