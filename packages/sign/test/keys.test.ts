// Key formats as ostree reads them.
import { describe, expect, it } from 'vitest';
import {
  encodeBase64,
  formatEd25519PublicKey,
  formatEd25519SecretKey,
  loadSystemTrustedKeys,
  loadVerificationKeys,
  nobleEd25519,
  parseEd25519PublicKey,
  parseEd25519PublicKeyFile,
  parseEd25519SecretKey,
  type KeyFileReader,
} from '../src/index.js';
import { hex } from './helpers/libsodium.js';

const engine = nobleEd25519();
const seed = new Uint8Array(32).fill(9);
const pub = engine.publicKey(seed);
const secretText = formatEd25519SecretKey(seed);

describe('secret keys', () => {
  it('are base64 of seed ‖ public key (libsodium layout)', () => {
    const bytes = Buffer.from(secretText, 'base64');
    expect(bytes.length).toBe(64);
    expect(hex(bytes.subarray(32))).toBe(hex(pub));
    const parsed = parseEd25519SecretKey(secretText);
    expect(hex(parsed.seed)).toBe(hex(seed));
    expect(hex(parsed.publicKey)).toBe(hex(pub));
  });

  it('of the wrong length or with a foreign public half are refused', () => {
    expect(() => parseEd25519SecretKey(encodeBase64(seed))).toThrow('Incorrect ed25519 secret key');
    const bad = Buffer.from(secretText, 'base64');
    bad[40]! ^= 1;
    expect(() => parseEd25519SecretKey(bad.toString('base64'))).toThrow(/public half/);
  });
});

describe('public keys and key files', () => {
  it('parse base64 of 32 bytes only', () => {
    expect(hex(parseEd25519PublicKey(formatEd25519PublicKey(pub)))).toBe(hex(pub));
    expect(() => parseEd25519PublicKey(secretText)).toThrow('Incorrect ed25519 public key');
  });

  it('key files skip lines that are not keys and need at least one key', () => {
    const other = engine.publicKey(new Uint8Array(32).fill(1));
    const keys = parseEd25519PublicKeyFile(`# comment\n\n${encodeBase64(pub)}\r\n${encodeBase64(other)}`);
    expect(keys.map(hex)).toEqual([hex(pub), hex(other)]);
    expect(() => parseEd25519PublicKeyFile('nothing here\n', 'f')).toThrow("no valid keys in file 'f'");
  });

  it('remote options: file keys then the inline key, without duplicates; none configured gives []', () => {
    const other = engine.publicKey(new Uint8Array(32).fill(1));
    const keys = loadVerificationKeys({ file: `${encodeBase64(other)}\n${encodeBase64(pub)}\n`, key: encodeBase64(pub) });
    expect(keys.map(hex)).toEqual([hex(other), hex(pub)]);
    expect(loadVerificationKeys({})).toEqual([]);
    expect(() => loadVerificationKeys({ key: 'abc' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => loadVerificationKeys({ file: '\n' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('the system trust store reads trusted/revoked files and .d directories under each base', async () => {
    const other = engine.publicKey(new Uint8Array(32).fill(1));
    const files: Record<string, string> = {
      '/etc/ostree/trusted.ed25519': `${encodeBase64(pub)}\n`,
      '/usr/share/ostree/trusted.ed25519.d/vendor': `${encodeBase64(other)}\njunk\n`,
      '/usr/share/ostree/revoked.ed25519': `${encodeBase64(other)}\n`,
    };
    const reader: KeyFileReader = {
      readText: async (p) => files[p],
      list: async (p) => {
        const names = Object.keys(files).filter((f) => f.startsWith(`${p}/`)).map((f) => f.slice(p.length + 1));
        return names.length > 0 ? names : undefined;
      },
    };
    const trusted = await loadSystemTrustedKeys(reader);
    expect(trusted.ed25519!.map(hex)).toEqual([hex(pub), hex(other)]);
    expect(trusted.revokedEd25519!.map(hex)).toEqual([hex(other)]);
  });
});

describe('remoteSignVerification', () => {
  it('follows sign-verify: off, true (all types, system keys when none configured), or a list needing keys', async () => {
    const { remoteSignVerification } = await import('../src/index.js');
    expect(remoteSignVerification(undefined, {})).toBeUndefined();
    expect(remoteSignVerification('false', {})).toBeUndefined();
    expect(remoteSignVerification('', {})).toBeUndefined();
    expect(remoteSignVerification('true', {})).toMatchObject({ types: ['ed25519', 'dummy'], needsSystemKeys: true });
    const withKey = remoteSignVerification('1', { ed25519Key: encodeBase64(pub) })!;
    expect(withKey.needsSystemKeys).toBe(false);
    expect(withKey.keys.ed25519!.map(hex)).toEqual([hex(pub)]);
    expect(remoteSignVerification('ed25519', { ed25519File: `${encodeBase64(pub)}\n` })).toMatchObject({ types: ['ed25519'] });
    expect(() => remoteSignVerification('ed25519', {})).toThrow('No keys found for required signapi type ed25519');
    expect(() => remoteSignVerification('gpg', {})).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});
