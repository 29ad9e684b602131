/**
 * Real ostree 2022.7 metadata (test-vectors/objects, from the golden repos): every object must
 * decode strictly and re-encode to the identical bytes (its checksum depends on them).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codec } from '../src/index.js';
import { hex, unhex } from './helpers/json.js';

const DIR = fileURLToPath(new URL('../../../test-vectors/objects/', import.meta.url));

interface Item {
  path?: string;
  checksum?: string;
  [key: string]: unknown;
}

// (type field, bytes field) pairs the object vectors use.
const FIELDS: Array<[string, string]> = [
  ['variantType', 'hex'],
  ['headerType', 'headerHex'],
  ['storedHeaderType', 'storedHeaderHex'],
];

const samples: Array<{ name: string; type: string; bytes: string }> = [];
for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
  const doc = JSON.parse(readFileSync(DIR + file, 'utf8')) as { vectors?: Item[] };
  for (const v of doc.vectors ?? []) {
    for (const [tf, bf] of FIELDS) {
      const type = v[tf];
      const bytes = v[bf];
      if (typeof type === 'string' && typeof bytes === 'string') {
        samples.push({ name: `${file} ${v.path ?? v.checksum ?? ''} ${bf}`, type, bytes });
      }
    }
  }
}

describe('real ostree objects', () => {
  it('found the golden object vectors', () => {
    expect(samples.length).toBeGreaterThan(50);
    expect(new Set(samples.map((s) => s.type)).size).toBeGreaterThanOrEqual(5);
  });

  it.each(samples)('$name ($type) decodes strictly and re-encodes byte for byte', ({ type, bytes }) => {
    const c = codec(type);
    const value = c.decode(unhex(bytes), { strict: true });
    expect(hex(c.encode(value))).toBe(bytes);
  });
});
