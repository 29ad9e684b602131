// bspatch, one-shot and streaming: agrees with an independent model on random valid patches,
// with any patch chunking and output chunk size; bounded buffering; every hostile patch fails
// with its stable code (never another exception), identically in both forms; and it applies
// patches made by Debian's bsdiff (the same algorithm as ostree's mendsley/bsdiff).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BsdiffError,
  bspatch,
  bspatchStream,
  encodeControl,
  isBsdiffError,
  oldFileFromBytes,
  readControl,
  type BsdiffErrorCode,
  type OldFile,
} from '../src/index.js';
import { HAVE_DEBIAN_BSDIFF, buildPatch, chunked, collect, concat, debianBsdiff, modelPatch, type Step } from './helpers.js';

const SEED = 20261122;
const bytes = (...b: number[]) => Uint8Array.from(b);

type Outcome = { ok: true; out: Uint8Array } | { ok: false; code: BsdiffErrorCode };

function classify(e: unknown): Outcome {
  if (!isBsdiffError(e)) throw e;
  return { ok: false, code: e.code };
}

function runSync(old: Uint8Array, patch: Uint8Array, newSize: number): Outcome {
  try {
    return { ok: true, out: bspatch(old, patch, newSize) };
  } catch (e) {
    return classify(e);
  }
}

async function runStream(old: Uint8Array | OldFile, patch: Uint8Array | Iterable<Uint8Array>, newSize: number, chunkSize?: number): Promise<Outcome> {
  try {
    const file = old instanceof Uint8Array ? oldFileFromBytes(old) : old;
    const chunks = await collect(bspatchStream(file, patch, newSize, chunkSize === undefined ? {} : { chunkSize }));
    return { ok: true, out: concat(chunks) };
  } catch (e) {
    return classify(e);
  }
}

/** Random old file plus valid steps: every diff reads inside old, every seek lands in [0, old.length]. */
const validPatch = fc
  .tuple(
    fc.uint8Array({ maxLength: 300 }),
    fc.array(fc.record({ diff: fc.uint8Array({ maxLength: 60 }), extra: fc.uint8Array({ maxLength: 40 }), target: fc.nat() }), { maxLength: 12 }),
  )
  .map(([old, raw]) => {
    const steps: Step[] = [];
    let oldPos = 0;
    for (const r of raw) {
      const diff = r.diff.subarray(0, old.length - oldPos);
      const target = r.target % (old.length + 1);
      steps.push({ diff, extra: r.extra, oldSeek: target - (oldPos + diff.length) });
      oldPos = target;
    }
    const patch = buildPatch(steps);
    const expected = modelPatch(old, steps);
    return { old, steps, patch, expected };
  });

describe('control triples', () => {
  it('are 64-bit sign-magnitude little-endian', () => {
    expect(encodeControl({ diffLength: 1, extraLength: 0x0102030405, oldSeek: -1 })).toEqual(
      bytes(1, 0, 0, 0, 0, 0, 0, 0, 5, 4, 3, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x80),
    );
    const big = encodeControl({ diffLength: 0, extraLength: 0, oldSeek: -Number.MAX_SAFE_INTEGER });
    expect(readControl(big, 0).oldSeek).toBe(-Number.MAX_SAFE_INTEGER);
    expect(big.subarray(16)).toEqual(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x80));
  });

  it('round-trip every safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.maxSafeNat(), (seek, len) => {
        const t = { diffLength: len % 0x80000000, extraLength: 0x7fffffff - (len % 0x80000000), oldSeek: seek };
        expect(readControl(encodeControl(t), 0)).toEqual(t);
      }),
      { seed: SEED },
    );
  });

  it('reads negative zero as zero', () => {
    const t = readControl(concat([bytes(0, 0, 0, 0, 0, 0, 0, 0x80), new Uint8Array(16)]), 0);
    expect(t.diffLength === 0 && t.extraLength === 0 && t.oldSeek === 0).toBe(true);
  });
});

describe('bspatch on valid patches', () => {
  it('matches the model, one-shot and streamed with any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(validPatch, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 100 }), async (p, patchChunks, chunkSize) => {
        const newSize = p.expected.length;
        expect(bspatch(p.old, p.patch, newSize)).toEqual(p.expected);
        const chunks = await collect(bspatchStream(oldFileFromBytes(p.old), chunked(p.patch, patchChunks), newSize, { chunkSize }));
        expect(concat(chunks)).toEqual(p.expected);
        for (const c of chunks) expect(c.length).toBeLessThanOrEqual(chunkSize);
        for (const c of chunks.slice(0, -1)) expect(c.length).toBe(chunkSize);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('ignores bytes after the last triple needed, as ostree does', async () => {
    const old = bytes(1, 2, 3);
    const patch = concat([buildPatch([{ diff: bytes(1, 1), extra: bytes(9), oldSeek: 0 }]), bytes(0xde, 0xad)]);
    expect(bspatch(old, patch, 3)).toEqual(bytes(2, 3, 9));
    expect(await runStream(old, patch, 3)).toEqual({ ok: true, out: bytes(2, 3, 9) });
  });

  it('needs no patch bytes for an empty new file', async () => {
    expect(bspatch(bytes(1, 2), new Uint8Array(0), 0)).toEqual(new Uint8Array(0));
    expect(await collect(bspatchStream(oldFileFromBytes(bytes(1)), [], 0))).toEqual([]);
  });

  it('keeps buffering bounded: patch pulled lazily, old read in chunk-sized pieces', async () => {
    const chunkSize = 4096;
    const size = 1 << 22;
    const old = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
    // One long diff, streamed from a generator that records how much of the patch was pulled.
    const diff = new Uint8Array(size).fill(1);
    const patch = buildPatch([{ diff, extra: new Uint8Array(0), oldSeek: 0 }]);
    let pulled = 0;
    function* source() {
      for (const c of chunked(patch, [1000])) {
        pulled += c.length;
        yield c;
      }
    }
    let maxOldRead = 0;
    const file: OldFile = {
      size,
      read: async (buf, off, len, pos) => {
        maxOldRead = Math.max(maxOldRead, len);
        return oldFileFromBytes(old).read(buf, off, len, pos);
      },
    };
    let produced = 0;
    for await (const c of bspatchStream(file, source(), size, { chunkSize })) {
      expect(pulled - 24).toBeLessThanOrEqual(produced + c.length + 1000);
      for (let i = 0; i < c.length; i += 997) expect(c[i]).toBe((old[produced + i]! + 1) & 0xff);
      produced += c.length;
    }
    expect(produced).toBe(size);
    expect(maxOldRead).toBeLessThanOrEqual(chunkSize);
  });

  it('closes a generator patch source when it stops early', async () => {
    let closed = false;
    function* source() {
      try {
        yield buildPatch([{ diff: new Uint8Array(0), extra: bytes(1, 2), oldSeek: 0 }]);
        yield bytes(0xff);
      } finally {
        closed = true;
      }
    }
    expect(await runStream(new Uint8Array(0), source(), 2)).toEqual({ ok: true, out: bytes(1, 2) });
    expect(closed).toBe(true);
  });
});

describe('bspatch on hostile patches', () => {
  const old = bytes(10, 20, 30, 40);
  const triple = (diffLength: number, extraLength: number, oldSeek: number) => encodeControl({ diffLength, extraLength, oldSeek });
  const cases: [string, Uint8Array, number, BsdiffErrorCode][] = [
    ['negative diff length', triple(-1, 0, 0), 4, 'CORRUPT_PATCH'],
    ['negative extra length', triple(0, -5, 0), 4, 'CORRUPT_PATCH'],
    ['diff length above INT_MAX', triple(0x80000000, 0, 0), 4, 'CORRUPT_PATCH'],
    ['extra length above INT_MAX', triple(0, 0x80000000, 0), 4, 'CORRUPT_PATCH'],
    ['magnitude above 2^53', concat([bytes(0, 0, 0, 0, 0, 0, 0, 0x7f), new Uint8Array(16)]), 4, 'CORRUPT_PATCH'],
    ['diff past new size', concat([triple(4, 0, 0), new Uint8Array(4)]), 3, 'OUTPUT_OVERFLOW'],
    ['extra past new size', concat([triple(1, 3, 0), new Uint8Array(4)]), 3, 'OUTPUT_OVERFLOW'],
    ['diff reading past old', concat([triple(0, 1, 3), bytes(1), triple(2, 0, 0), bytes(1, 1)]), 3, 'OLD_OUT_OF_RANGE'],
    ['seek before old', concat([triple(0, 1, -1), bytes(1), triple(0, 1, 0), bytes(1)]), 2, 'OLD_OUT_OF_RANGE'],
    ['seek past old', concat([triple(1, 0, 4), bytes(1), triple(0, 1, 0), bytes(1)]), 2, 'OLD_OUT_OF_RANGE'],
    ['huge seek', concat([triple(0, 1, Number.MAX_SAFE_INTEGER), bytes(1)]), 1, 'OLD_OUT_OF_RANGE'],
    ['no triple', new Uint8Array(0), 1, 'TRUNCATED_PATCH'],
    ['short triple', triple(1, 0, 0).subarray(0, 23), 1, 'TRUNCATED_PATCH'],
    ['short diff', concat([triple(2, 0, 0), bytes(1)]), 2, 'TRUNCATED_PATCH'],
    ['short extra', concat([triple(0, 2, 0), bytes(1)]), 2, 'TRUNCATED_PATCH'],
    ['endless empty triples', concat([triple(0, 0, 0), triple(0, 0, 0)]), 1, 'TRUNCATED_PATCH'],
  ];
  it.each(cases)('%s → %s', async (_name, patch, newSize, code) => {
    expect(runSync(old, patch, newSize)).toEqual({ ok: false, code });
    expect(await runStream(old, patch, newSize)).toEqual({ ok: false, code });
    expect(await runStream(old, chunked(patch, [1]), newSize, 1)).toEqual({ ok: false, code });
  });

  it('every strict prefix of a valid patch is TRUNCATED_PATCH', async () => {
    await fc.assert(
      fc.asyncProperty(validPatch, async (p) => {
        const newSize = p.expected.length;
        for (let cut = 0; cut < p.patch.length; cut += 1 + (cut >> 4)) {
          const prefix = p.patch.subarray(0, cut);
          const outcome = runSync(p.old, prefix, newSize);
          if (newSize === 0) expect(outcome.ok).toBe(true);
          else expect(outcome).toEqual({ ok: false, code: 'TRUNCATED_PATCH' });
          expect(await runStream(p.old, chunked(prefix, [7]), newSize, 16)).toEqual(outcome);
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('random bytes only ever fail with a BsdiffError, the same in both forms', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 200 }), fc.nat(300), async (o, patch, newSize) => {
        const outcome = runSync(o, patch, newSize);
        expect(await runStream(o, chunked(patch, [5, 11]), newSize, 8)).toEqual(outcome);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a huge newSize with a short patch is TRUNCATED_PATCH, without allocating it', async () => {
    const patch = concat([triple(0, 2, 0), bytes(1, 2)]);
    expect(runSync(old, patch, 2 ** 50)).toEqual({ ok: false, code: 'TRUNCATED_PATCH' });
    expect(await runStream(old, patch, 2 ** 50)).toEqual({ ok: false, code: 'TRUNCATED_PATCH' });
  });

  it('an old file shorter than its declared size is OLD_TRUNCATED', async () => {
    const file: OldFile = { size: 4, read: async (buf, off, len, pos) => oldFileFromBytes(bytes(1, 2)).read(buf, off, len, pos) };
    const patch = concat([triple(4, 0, 0), new Uint8Array(4)]);
    expect(await runStream(file, patch, 4)).toEqual({ ok: false, code: 'OLD_TRUNCATED' });
  });

  it('bad arguments are INVALID_ARGUMENT', async () => {
    expect(runSync(old, new Uint8Array(0), -1)).toEqual({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(runSync(old, new Uint8Array(0), 1.5)).toEqual({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(() => bspatch([1] as unknown as Uint8Array, new Uint8Array(0), 0)).toThrow(BsdiffError);
    expect(await runStream(old, new Uint8Array(0), 0, 0)).toEqual({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await runStream(old, 42 as unknown as Uint8Array, 1)).toEqual({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(await runStream(old, [[1, 2] as unknown as Uint8Array], 1)).toEqual({ ok: false, code: 'INVALID_ARGUMENT' });
  });
});

describe.runIf(HAVE_DEBIAN_BSDIFF)("patches made by Debian's bsdiff (same algorithm as ostree's)", () => {
  const similarPair = fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 3000 }) /* Debian's bsdiff cannot mmap an empty file */, fc.array(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 40 }), fc.nat(30)), { maxLength: 8 }))
    .map(([old, edits]) => {
      let next: Uint8Array = old;
      for (const [where, insert, remove] of edits) {
        const at = next.length === 0 ? 0 : where % next.length;
        next = concat([next.subarray(0, at), insert, next.subarray(at + remove)]);
      }
      return { old, next };
    });

  it('apply exactly, one-shot and streamed', async () => {
    await fc.assert(
      fc.asyncProperty(similarPair, async ({ old, next }) => {
        const raw = debianBsdiff(old, next);
        expect(bspatch(old, raw, next.length)).toEqual(next);
        expect(await runStream(old, chunked(raw, [333]), next.length, 1024)).toEqual({ ok: true, out: next });
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});
