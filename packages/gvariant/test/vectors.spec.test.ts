/**
 * GLib-generated vectors (test-vectors/gvariant, made by generate.py through python3-gi):
 * every normal case must encode to exactly GLib's bytes and decode (also strictly) to the value;
 * every non-normal case must be refused by strict decoding.
 */
import { describe, expect, it } from 'vitest';
import { codec, GVariantError } from '../src/index.js';
import { fromJson, hex, toJson, unhex } from './helpers/json.js';
import { loadVectors, type NonNormalCase, type NormalCase } from './helpers/vectors.js';

const NORMAL_FILES = ['basic.json', 'containers.json', 'random.json', 'framing.json', 'framing-large.json.gz'];

function describeError(e: unknown): string {
  return e instanceof GVariantError ? `${e.code}: ${e.message}` : String(e);
}

let normalTotal = 0;

describe.each(NORMAL_FILES)('%s', (file) => {
  const { provenance, cases } = loadVectors<NormalCase>(file);
  normalTotal += cases.length;

  it('records provenance', () => {
    expect(provenance.generator).toBe('test-vectors/gvariant/generate.py');
    expect(provenance.glibVersion).toMatch(/^2\.\d+\.\d+$/);
    expect(cases.length).toBeGreaterThan(50);
  });

  it('encode(value) equals GLib bytes', () => {
    const failures: string[] = [];
    for (const c of cases) {
      try {
        const got = hex(codec(c.type).encode(fromJson(c.type, c.value)));
        if (got !== c.hex) failures.push(`${c.type} ${JSON.stringify(c.value).slice(0, 80)}: got ${got.slice(0, 80)} want ${c.hex.slice(0, 80)}`);
      } catch (e) {
        failures.push(`${c.type}: threw ${describeError(e)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('decode(bytes) equals the value, strict and non-strict', () => {
    const failures: string[] = [];
    for (const c of cases) {
      for (const strict of [false, true]) {
        try {
          const got = toJson(c.type, codec(c.type).decode(unhex(c.hex), { strict }));
          expect(got).toEqual(c.value);
        } catch (e) {
          failures.push(`${c.type} strict=${strict} ${c.hex.slice(0, 60)}: ${describeError(e).slice(0, 300)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('byteswapped encode/decode equal GLib g_variant_byteswap()', () => {
    const swapped = cases.filter((c) => c.bswap !== undefined);
    const failures: string[] = [];
    for (const c of swapped) {
      try {
        const cd = codec(c.type);
        expect(hex(cd.encode(fromJson(c.type, c.value), { byteswap: true }))).toBe(c.bswap);
        expect(toJson(c.type, cd.decode(unhex(c.bswap!), { byteswap: true, strict: true }))).toEqual(c.value);
      } catch (e) {
        failures.push(`${c.type} ${c.hex.slice(0, 40)}: ${describeError(e).slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('vector coverage', () => {
  it('has at least 2000 GLib-generated normal cases', () => {
    expect(normalTotal).toBeGreaterThanOrEqual(2000);
  });

  it('covers both framing width boundaries (1<->2 and 2<->4 bytes)', () => {
    const sizes = new Set<number>();
    for (const f of ['framing.json', 'framing-large.json.gz']) {
      for (const c of loadVectors<NormalCase>(f).cases) sizes.add(c.hex.length / 2);
    }
    for (const s of [255, 65535]) expect(sizes.has(s)).toBe(true);
    expect([...sizes].some((s) => s > 255 && s < 300)).toBe(true);
    expect([...sizes].some((s) => s > 65535 && s < 65600)).toBe(true);
  });
});

describe('nonnormal.json', () => {
  const { cases } = loadVectors<NonNormalCase>('nonnormal.json');

  it('has a few hundred non-normal byte strings', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
  });

  it('strict decoding rejects every one with NOT_NORMAL or INVALID_DATA', () => {
    const failures: string[] = [];
    for (const c of cases) {
      try {
        codec(c.type).decode(unhex(c.hex), { strict: true });
        failures.push(`${c.type} ${c.hex}: accepted (${c.note})`);
      } catch (e) {
        if (!(e instanceof GVariantError) || (e.code !== 'GVARIANT_NOT_NORMAL' && e.code !== 'GVARIANT_INVALID_DATA')) {
          failures.push(`${c.type} ${c.hex}: wrong error ${describeError(e)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('non-strict decoding either refuses with INVALID_DATA or reads what GLib reads', () => {
    const failures: string[] = [];
    let read = 0;
    for (const c of cases) {
      const cd = codec(c.type);
      let value: unknown;
      try {
        value = cd.decode(unhex(c.hex));
      } catch (e) {
        if (!(e instanceof GVariantError) || e.code !== 'GVARIANT_INVALID_DATA') failures.push(`${c.type} ${c.hex}: ${describeError(e)}`);
        continue;
      }
      read++;
      // Whatever we accept, GLib reads the same value, and its normal form is our encoding.
      try {
        expect(toJson(c.type, value)).toEqual(c.glibValue);
        expect(hex(cd.encode(value as never))).toBe(c.normalHex);
      } catch (e) {
        failures.push(`${c.type} ${c.hex} (${c.note}): ${String(e).slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
    // The tolerant cases (padding, booleans, markers, wide offsets) are well represented.
    expect(read).toBeGreaterThan(20);
  });
});
