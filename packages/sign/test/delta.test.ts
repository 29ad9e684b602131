// The signed static-delta superblock wrapper, against one real ostree wrote with its dummy signer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hasOstree, ostree } from '../../../test-vectors/trees/ostree.js';
import {
  deltaSignatureTypes,
  dummySigner,
  ed25519Signer,
  formatEd25519SecretKey,
  isSignedDeltaSuperblock,
  nobleEd25519,
  signDeltaSuperblock,
  unwrapSignedDeltaSuperblock,
  verifySignedDeltaSuperblock,
} from '../src/index.js';
import { thrownCode } from './helpers/thrown-code.js';

const engine = nobleEd25519();
const seed = new Uint8Array(32).fill(5);
const secret = formatEd25519SecretKey(seed);
const pub = engine.publicKey(seed);

describe.skipIf(!hasOstree)('signed superblock made by real ostree (dummy signer)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ostree-ts-sign-delta-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function generate(signArgs: string[]): { superblock: Uint8Array; repo: string; to: string } {
    const repo = join(tmp, `r${Math.random().toString(36).slice(2)}`);
    ostree('init', `--repo=${repo}`, '--mode=archive');
    mkdirSync(join(tmp, 'tree'), { recursive: true });
    writeFileSync(join(tmp, 'tree', 'f'), 'content\n');
    const to = ostree('commit', `--repo=${repo}`, '-b', 'main', `--tree=dir=${join(tmp, 'tree')}`, '--timestamp=2020-01-01T00:00:00Z').trim();
    execFileSync('ostree', ['static-delta', 'generate', `--repo=${repo}`, '--empty', `--to=${to}`, ...signArgs], {
      env: { ...process.env, OSTREE_DUMMY_SIGN_ENABLED: '1' },
      stdio: 'ignore',
    });
    const path = execFileSync('find', [join(repo, 'deltas'), '-name', 'superblock'], { encoding: 'utf8' }).trim();
    return { superblock: readFileSync(path), repo, to };
  }

  it('unwraps to the plain superblock, and re-signing gives the same bytes', () => {
    const signed = generate(['--sign-type=dummy', '--sign=dk1', '--sign=dk2']);
    expect(isSignedDeltaSuperblock(signed.superblock)).toBe(true);
    const parts = unwrapSignedDeltaSuperblock(signed.superblock);
    expect(deltaSignatureTypes(parts)).toEqual(['dummy']);
    const ours = signDeltaSuperblock(parts.superblock, [dummySigner('dk1'), dummySigner('dk2')]);
    expect(Buffer.from(ours).equals(Buffer.from(signed.superblock))).toBe(true);
    expect(verifySignedDeltaSuperblock(signed.superblock, { dummy: 'dk2' }, { type: 'dummy' }).verified.signatureIndex).toBe(1);
    expect(thrownCode(() => verifySignedDeltaSuperblock(signed.superblock, { ed25519: [pub] }))).toBe('SIGNATURE_MISSING');
  });

  it('real ostree verifies a wrapper ostree-ts made, and an unsigned superblock is not taken for one', () => {
    const plain = generate([]);
    expect(isSignedDeltaSuperblock(plain.superblock)).toBe(false);
    expect(thrownCode(() => unwrapSignedDeltaSuperblock(plain.superblock))).toBe('INVALID_DELTA');
    const path = execFileSync('find', [join(plain.repo, 'deltas'), '-name', 'superblock'], { encoding: 'utf8' }).trim();
    writeFileSync(path, signDeltaSuperblock(plain.superblock, [dummySigner('ours')]));
    const env = { ...process.env, OSTREE_DUMMY_SIGN_ENABLED: '1' };
    const out = execFileSync('ostree', ['static-delta', 'verify', `--repo=${plain.repo}`, '--sign-type=dummy', plain.to, 'ours'], { env, encoding: 'utf8' });
    expect(out).toBe('Verification OK\n');
  });
});

describe('ed25519 signed superblocks', () => {
  const superblock = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);

  it('verify with the key, not with another or after tampering', () => {
    const signed = signDeltaSuperblock(superblock, [ed25519Signer(secret)]);
    const r = verifySignedDeltaSuperblock(signed, { ed25519: [pub] });
    expect(Buffer.from(r.superblock).equals(Buffer.from(superblock))).toBe(true);
    expect(thrownCode(() => verifySignedDeltaSuperblock(signed, { ed25519: [engine.publicKey(new Uint8Array(32))] }))).toBe('SIGNATURE_INVALID');
    const tampered = signed.slice();
    tampered[20]! ^= 1; // inside the superblock bytes
    expect(thrownCode(() => verifySignedDeltaSuperblock(tampered, { ed25519: [pub] }))).toBe('SIGNATURE_INVALID');
  });

  it('hostile input fails with a typed error, never anything else', () => {
    const signed = signDeltaSuperblock(superblock, [ed25519Signer(secret)]);
    fc.assert(
      fc.property(fc.nat(signed.length), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat(signed.length), (cut, junk, at) => {
        const bytes = new Uint8Array([...signed.subarray(0, cut)]);
        bytes.set(junk.subarray(0, Math.max(0, bytes.length - at)), Math.min(at, bytes.length));
        try {
          verifySignedDeltaSuperblock(bytes, { ed25519: [pub] });
        } catch (e) {
          expect(['INVALID_DELTA', 'SIGNATURE_MISSING', 'SIGNATURE_INVALID']).toContain((e as { code?: string }).code);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkDeltaSignatureForApply (apply-offline, core.sign-verify-deltas)', () => {
  const superblock = new Uint8Array(64).fill(3);
  const signed = signDeltaSuperblock(superblock, [ed25519Signer(secret)]);

  it('passes unsigned superblocks, unwraps signed ones, verifies when keys exist', async () => {
    const { checkDeltaSignatureForApply } = await import('../src/index.js');
    expect(checkDeltaSignatureForApply(superblock, { verifyRequired: true })).toBe(superblock);
    expect(Buffer.from(checkDeltaSignatureForApply(signed)).equals(Buffer.from(superblock))).toBe(true);
    expect(thrownCode(() => checkDeltaSignatureForApply(signed, { verifyRequired: true }))).toBe('SIGNATURE_MISSING');
    expect(Buffer.from(checkDeltaSignatureForApply(signed, { verifyRequired: true, keys: { ed25519: [pub] } })).equals(Buffer.from(superblock))).toBe(true);
    expect(thrownCode(() => checkDeltaSignatureForApply(signed, { keys: { ed25519: [engine.publicKey(new Uint8Array(32))] } }))).toBe('SIGNATURE_INVALID');
  });
});
