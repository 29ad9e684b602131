// archiveZlibLevel reproduces ostree's `[archive] zlib-level` handling:
// MAX(1, MIN(9, g_ascii_strtoull(value, NULL, 10))), 6 when the key is absent.
// Checked against GLib's own g_ascii_strtoull (python3-gi) on random strings; the end-to-end
// check with the real ostree binary is in ostree.test.ts.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ZLIB_LEVEL, archiveZlibLevel } from '../src/index.js';
import { HAVE_PYTHON, PYTHON } from './helpers.js';

const CASES: [string | null | undefined, number][] = [
  [undefined, 6],
  [null, 6],
  ['6', 6],
  ['1', 1],
  ['9', 9],
  ['0', 1],
  ['10', 9],
  ['-1', 9],
  ['-0', 1],
  ['abc', 1],
  ['', 1],
  ['0x5', 1],
  ['7x', 7],
  ['+4', 4],
  ['007', 7],
  [' \t3', 3],
  ['\v\f\r\n8', 8],
  ['\u00a05', 1], // no-break space is not C whitespace
  ['99999999999999999999999', 9],
  ['-99999999999999999999999', 9],
  ['3.9', 3],
  ['+-3', 1],
  ['٣', 1], // Arabic-Indic digit: not an ASCII digit
];

describe('archiveZlibLevel', () => {
  it('defaults to 6', () => expect(DEFAULT_ZLIB_LEVEL).toBe(6));
  it.each(CASES.map(([v, l]) => [JSON.stringify(v) ?? 'undefined', v, l] as const))('%s -> level', (_n, value, level) => {
    expect(archiveZlibLevel(value)).toBe(level);
  });
});

function glibLevels(values: readonly string[]): number[] {
  const py = `
import sys, json
from gi.repository import GLib
print(json.dumps([max(1, min(9, GLib.ascii_strtoull(s, 10)[0])) for s in json.load(sys.stdin)]))
`;
  const r = spawnSync(PYTHON, ['-c', py], { input: JSON.stringify(values) });
  if (r.status !== 0) throw new Error(String(r.stderr));
  return JSON.parse(String(r.stdout)) as number[];
}

const HAVE_GI = HAVE_PYTHON && spawnSync(PYTHON, ['-c', 'from gi.repository import GLib']).status === 0;

describe.skipIf(!HAVE_GI)('differential against GLib g_ascii_strtoull + ostree clamp', () => {
  it('agrees on the fixed cases', () => {
    const values = CASES.map(([v]) => v).filter((v): v is string => typeof v === 'string');
    expect(values.map((v) => archiveZlibLevel(v))).toEqual(glibLevels(values));
  });

  it('agrees on random strings (fixed seed)', () => {
    const piece = fc.oneof(
      fc.constantFrom(' ', '\t', '\n', '\v', '\f', '\r', '+', '-', '0', 'x', '.', 'e', '\u00a0', '٣', '🙂'),
      fc.stringMatching(/^[0-9]{1,25}$/),
      fc.string({ maxLength: 3 }),
    );
    const values = fc
      .sample(fc.array(piece, { maxLength: 5 }).map((p) => p.join('')), { seed: 20261125, numRuns: 2000 })
      .filter((s) => !s.includes('\0')); // a C string (and a key file value) cannot hold NUL
    expect(values.length).toBeGreaterThan(1900);
    const ours = values.map((v) => archiveZlibLevel(v));
    const theirs = glibLevels(values);
    const diffs = values.filter((_v, i) => ours[i] !== theirs[i]);
    expect(diffs).toEqual([]);
  });
});
