// GLib-compatible base64 (ostree reads every key with g_base64_decode), checked against GLib.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Lenient, encodeBase64 } from '../src/index.js';
import { hasNacl, hex, libsodium } from './helpers/libsodium.js';

describe('encodeBase64', () => {
  it('round-trips through the decoder and matches btoa', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(hex(decodeBase64Lenient(text))).toBe(hex(bytes));
      }),
    );
  });
});

describe.skipIf(!hasNacl)('decodeBase64Lenient matches GLib g_base64_decode', () => {
  it('on fixed odd inputs', () => {
    const inputs = ['QUJD', 'QUI=', 'QQ==', 'QQ', 'Q=I=', '=QUJD', 'QU JD\r\n', 'QUJDRA', 'A=B=C=D=', '====', 'QU=D', '', '-_-_', 'é!QUJD'];
    const glib = libsodium(inputs.map((text) => ({ op: 'b64', text })));
    inputs.forEach((text, i) => expect(hex(decodeBase64Lenient(text))).toBe(glib[i]));
  });

  it('on random strings over the alphabet, padding and junk', () => {
    const chars = fc.constantFrom(...'AQgw/+9z=  =\r\n#-'.split(''));
    const inputs = fc.sample(fc.array(chars, { maxLength: 40 }).map((a) => a.join('')), { numRuns: 300, seed: 3 });
    const glib = libsodium(inputs.map((text) => ({ op: 'b64', text })));
    inputs.forEach((text, i) => expect([text, hex(decodeBase64Lenient(text))]).toEqual([text, glib[i]]));
  });
});
