// Live differential test: random key files and random operation sequences are
// run through GLib's real GKeyFile (a long-lived /usr/bin/python3 child) and
// through ours; the serialized text and every getter must agree.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differentialCase, keyFileText, operation } from './arbitraries.js';
import { GlibOracle, glibAvailable } from './glib-oracle.js';
import { type Case, runCase } from './harness.js';

const HAVE_GLIB = glibAvailable();
const SEED = Number(process.env['KEYFILE_FC_SEED'] ?? 20250417);
const RUNS = Number(process.env['KEYFILE_FC_RUNS'] ?? 600);

describe.skipIf(!HAVE_GLIB)('differential against live GLib', () => {
  let oracle: GlibOracle;
  let glibVersion = '?';

  beforeAll(async () => {
    oracle = new GlibOracle();
    glibVersion = await oracle.ready;
  });
  afterAll(async () => {
    await oracle?.close();
  });

  const check = async (c: Case): Promise<void> => {
    const theirs = await oracle.run(c);
    const ours = runCase(c);
    if ('output' in theirs && 'output' in ours) expect(ours.output).toBe(theirs.output);
    expect(ours).toEqual(theirs);
  };

  it('oracle is GLib', () => {
    expect(glibVersion).toMatch(/^2\.\d+\.\d+$/);
  });

  it(`random files + operation sequences agree with GLib (${RUNS} runs)`, async () => {
    console.log(`[keyfile live] GLib ${glibVersion}; fast-check seed=${SEED} runs=${RUNS} (override with KEYFILE_FC_SEED / KEYFILE_FC_RUNS)`);
    let parsed = 0;
    await fc.assert(
      fc.asyncProperty(differentialCase, async (c) => {
        await check(c);
        if (!('loadError' in runCase({ ...c, ops: [] }))) parsed++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`[keyfile live] ${parsed}/${RUNS} generated files loaded without error`);
    // The generator must mostly produce loadable files, or the ops are untested.
    expect(parsed).toBeGreaterThan(RUNS / 3);
  });

  it('operation sequences on an empty file and on a realistic ostree config agree with GLib', async () => {
    const config = '[core]\nrepo_version=1\nmode=archive-z2\n\n[remote "origin"]\nurl=https://example.com/repo\ngpg-verify=false\nbranches=a;b;\n';
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('', config, '# top\n\n' + config), fc.boolean(), fc.array(operation, { maxLength: 16 }), async (input, keepComments, ops) => {
        await check({ input, options: { keepComments, keepTranslations: false }, ops });
      }),
      { numRuns: 200, seed: SEED + 1 },
    );
  });

  it('unmodified files round-trip exactly as GLib normalises them', async () => {
    await fc.assert(
      fc.asyncProperty(keyFileText, fc.boolean(), async (input, keepComments) => {
        await check({ input, options: { keepComments, keepTranslations: true } });
      }),
      { numRuns: 300, seed: SEED + 2 },
    );
  });
});
