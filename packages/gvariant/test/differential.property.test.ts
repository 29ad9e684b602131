/**
 * Differential property tests against GLib itself, through one long-lived /usr/bin/python3 child
 * (test/oracle/glib_oracle.py). Skipped only where python3-gi is missing; CI installs it.
 *
 * Seed: GVARIANT_FC_SEED, else a fixed default (printed). numRuns: GVARIANT_FC_RUNS, else 1000.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codec, GVariantError } from '../src/index.js';
import { arbMutation, arbType, arbTyped, arbValue } from './helpers/arbitraries.js';
import { hex, toJson, unhex } from './helpers/json.js';
import { GLibOracle, glibAvailable } from './helpers/oracle.js';

const SEED = Number(process.env.GVARIANT_FC_SEED ?? 20240521);
const RUNS = Number(process.env.GVARIANT_FC_RUNS ?? 1000);

interface CheckReply {
  hex: string;
  bswap: string;
  oursNormal: boolean;
  oursValue: unknown;
}
interface ParseReply {
  normal: boolean;
  value: unknown;
  normalHex: string;
}

describe.skipIf(!glibAvailable())('differential against GLib (python3-gi)', () => {
  let oracle: GLibOracle;
  beforeAll(() => {
    oracle = new GLibOracle();
    console.log(`differential fast-check seed=${SEED} numRuns=${RUNS} (override with GVARIANT_FC_SEED / GVARIANT_FC_RUNS)`);
  });
  afterAll(() => oracle.close());

  it('random (type, value): same bytes as GLib both ways, and GLib calls ours normal', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(arbTyped(3), async ({ type, value }) => {
        const c = codec(type);
        const ours = c.encode(value);
        const json = toJson(type, value);
        const reply = await oracle.request<CheckReply>({ op: 'check', type, value: json, hex: hex(ours) });
        // GLib serialises the value -> identical bytes; we decode GLib's bytes to the same value.
        expect(hex(ours)).toBe(reply.hex);
        expect(toJson(type, c.decode(unhex(reply.hex), { strict: true }))).toEqual(json);
        // GLib parses our bytes untrusted: normal form, same value.
        expect(reply.oursNormal).toBe(true);
        expect(reply.oursValue).toEqual(json);
        // Byteswapped forms agree too.
        expect(hex(c.encode(value, { byteswap: true }))).toBe(reply.bswap);
        expect(toJson(type, c.decode(unhex(reply.bswap), { strict: true, byteswap: true }))).toEqual(json);
        checked++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(checked).toBeGreaterThanOrEqual(RUNS);
  });

  it('random and mutated bytes: strict decoding accepts exactly what g_variant_is_normal_form() accepts', async () => {
    const typeAndBytes = arbType(3).chain((type) =>
      fc.oneof(
        { weight: 3, arbitrary: arbValue(type).chain((v) => arbMutation(codec(type).encode(v))) },
        { weight: 1, arbitrary: arbValue(type).map((v) => codec(type).encode(v)) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }) },
      ).map((bytes) => ({ type, bytes })),
    );
    const tally = { normal: 0, nonNormal: 0, tolerated: 0 };
    await fc.assert(
      fc.asyncProperty(typeAndBytes, async ({ type, bytes }) => {
        const c = codec(type);
        const reply = await oracle.request<ParseReply>({ op: 'parse', type, hex: hex(bytes) });
        let strictError: unknown;
        try {
          c.decode(bytes, { strict: true });
        } catch (e) {
          strictError = e;
        }
        if (strictError !== undefined) expect(strictError).toBeInstanceOf(GVariantError);
        expect({ normal: strictError === undefined, error: String(strictError) }).toMatchObject({ normal: reply.normal });
        let value: unknown;
        try {
          value = c.decode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(GVariantError);
          expect((e as GVariantError).code).toBe('GVARIANT_INVALID_DATA');
          expect(reply.normal).toBe(false);
          reply.normal ? tally.normal++ : tally.nonNormal++;
          return;
        }
        // Whatever non-strict decoding accepts, GLib reads as the same value.
        expect(toJson(type, value)).toEqual(reply.value);
        if (!reply.normal) {
          expect(hex(c.encode(value))).toBe(reply.normalHex);
          tally.tolerated++;
        }
        reply.normal ? tally.normal++ : tally.nonNormal++;
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
    console.log(`normal-form agreement: ${JSON.stringify(tally)}`);
    expect(tally.normal).toBeGreaterThan(RUNS / 10);
    expect(tally.nonNormal).toBeGreaterThan(RUNS / 10);
  });
});
