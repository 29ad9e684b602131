import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBlsEntries, parseBlsEntry, serializeBlsEntry, strverscmp } from '../src/index.js';

const python = '/usr/bin/python3';
const hasPython = spawnSync(python, ['-c', 'import ctypes'], { stdio: 'ignore' }).status === 0;

/** glibc's strverscmp for many pairs at once (sign only). */
function libcStrverscmp(pairs: [string, string][]): number[] {
  const script = `
import ctypes, json, sys
libc = ctypes.CDLL("libc.so.6")
libc.strverscmp.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
out = []
for a, b in json.load(sys.stdin):
    r = libc.strverscmp(a.encode(), b.encode())
    out.append((r > 0) - (r < 0))
print(json.dumps(out))`;
  const r = spawnSync(python, ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as number[];
}

/** What ostree keeps of an entry: last value per key, primary initrd, overlay initrds in order. */
function semantics(fields: ReadonlyArray<readonly [string, string]>): { values: Record<string, string>; overlays: string[] } {
  const values: Record<string, string> = {};
  const overlays: string[] = [];
  for (const [k, v] of fields) {
    if (k === 'initrd' && 'initrd' in values) overlays.push(v);
    else values[k] = v;
  }
  return { values, overlays };
}

describe('BLS entries', () => {
  it('serializes in ostree key order with overlays after the primary initrd', () => {
    const entry = parseBlsEntry(
      'linux /ostree/a/vmlinuz\ninitrd /ostree/a/initramfs.img\ninitrd /ostree/initramfs-overlays/x.img\n' +
        'options root=/dev/sda  quiet\n# comment\n version 9\ntitle  Two spaces\nversion 3\nnovalue\n',
    );
    expect(serializeBlsEntry(entry)).toBe(
      'title  Two spaces\nversion 3\noptions root=/dev/sda  quiet\nlinux /ostree/a/vmlinuz\n' +
        'initrd /ostree/a/initramfs.img\ninitrd /ostree/initramfs-overlays/x.img\n',
    );
  });

  it('accepts tab separators and keeps unknown keys', () => {
    const entry = parseBlsEntry('title\tT\nabootcfg /x\naboot /y\n');
    expect(entry.fields).toEqual([['title', 'T'], ['abootcfg', '/x'], ['aboot', '/y']]);
    const text = serializeBlsEntry(entry);
    expect(text.startsWith('title T\n')).toBe(true);
    expect(text.split('\n').sort()).toEqual(['', 'aboot /y', 'abootcfg /x', 'title T']);
  });

  it('parse ∘ serialize keeps every key, value and overlay initrd', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
    const value = fc.stringMatching(/^[^\n]{0,30}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(key, fc.constantFrom('initrd', 'title', 'options')), value), { maxLength: 12 }), (pairs) => {
        const parsed = parseBlsEntry(serializeBlsEntry({ fields: pairs }));
        expect(semantics(parsed.fields)).toEqual(semantics(pairs));
      }),
      { numRuns: 300 },
    );
  });

  it('serialize ∘ parse is the identity on entries with only the standard keys', () => {
    const value = fc.stringMatching(/^[^\n]{0,30}$/);
    const std = fc.constantFrom('title', 'version', 'options', 'devicetree', 'linux', 'initrd');
    fc.assert(
      fc.property(fc.array(fc.tuple(std, value), { maxLength: 10 }), (pairs) => {
        const text = serializeBlsEntry({ fields: pairs });
        expect(serializeBlsEntry(parseBlsEntry(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('orders entries by version, highest first, versionless last', () => {
    const e = (v?: string) => parseBlsEntry(v === undefined ? 'title x\n' : `version ${v}\n`);
    const sorted = [e('2'), e(), e('10'), e('9')].sort(compareBlsEntries);
    expect(sorted.map((x) => x.fields.find(([k]) => k === 'version')?.[1])).toEqual(['10', '9', '2', undefined]);
  });
});

describe.skipIf(!hasPython)('strverscmp matches glibc', () => {
  it('on fixed cases', () => {
    const pairs: [string, string][] = [
      ['000', '00'], ['00', '01'], ['01', '010'], ['010', '09'], ['09', '0'], ['0', '1'], ['1', '9'],
      ['9', '10'], ['1.9', '1.10'], ['a10', 'a9'], ['abc', 'abd'], ['', 'a'], ['same', 'same'],
      ['jan-01', 'jan-1'], ['é9', 'é10'],
    ];
    expect(pairs.map(([a, b]) => Math.sign(strverscmp(a, b)))).toEqual(libcStrverscmp(pairs));
  });

  it('on random strings of digits, dots and letters', () => {
    const s = fc.stringMatching(/^[0-9.ab]{0,8}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(s, s), { minLength: 1, maxLength: 200 }), (pairs) => {
        expect(pairs.map(([a, b]) => Math.sign(strverscmp(a, b)))).toEqual(libcStrverscmp(pairs));
      }),
      { numRuns: 20 },
    );
  });
});
