// Property tests for the part and operation codecs: every value round-trips, the layout found
// from the trailer alone matches the full decode, and damaged bytes only raise OstreeError.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OstreeError } from '@ostree-ts/core';
import {
  OpWriter,
  decodePartPayload,
  encodePartPayload,
  partPayloadLayout,
  partPayloadTrailerBytes,
  readOps,
  type DeltaOp,
  type PartPayload,
} from '../src/index.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const xattrArb = fc.tuple(
  fc.stringMatching(/^user\.[a-z]{1,8}$/).map((n) => new TextEncoder().encode(n + '\0')),
  bytes(20),
);
const payloadArb: fc.Arbitrary<PartPayload> = fc.record({
  modes: fc.array(fc.record({ uid: u32, gid: u32, mode: u32 }), { maxLength: 5 }),
  xattrs: fc.array(fc.array(xattrArb, { maxLength: 3 }), { maxLength: 4 }),
  blob: bytes(3000),
  operations: bytes(200),
});

const n = fc.nat({ max: 2 ** 40 });
const opArb: fc.Arbitrary<DeltaOp> = fc.oneof(
  fc.record({ op: fc.constant('S-meta' as const), size: n, offset: n }),
  fc.record({ op: fc.constant('S-content' as const), modeIndex: n, xattrIndex: n, size: n, offset: n }),
  fc.record({ op: fc.constant('open' as const), modeIndex: n, xattrIndex: n, size: n }),
  fc.record({ op: fc.constant('write' as const), size: n, offset: n }),
  fc.record({ op: fc.constant('set-read-source' as const), offset: n }),
  fc.constant({ op: 'unset-read-source' as const }),
  fc.constant({ op: 'close' as const }),
  fc.record({ op: fc.constant('bspatch' as const), offset: n, length: n }),
);

function write(ops: readonly DeltaOp[]): Uint8Array {
  const w = new OpWriter();
  for (const op of ops) {
    if (op.op === 'S-meta') w.spliceMetadata(op.size, op.offset);
    else if (op.op === 'S-content') w.spliceContent(op.modeIndex, op.xattrIndex, op.size, op.offset);
    else if (op.op === 'open') w.open(op.modeIndex, op.xattrIndex, op.size);
    else if (op.op === 'write') w.write(op.size, op.offset);
    else if (op.op === 'set-read-source') w.setReadSource(op.offset);
    else if (op.op === 'unset-read-source') w.unsetReadSource();
    else if (op.op === 'close') w.close();
    else w.bspatch(op.offset, op.length);
  }
  return w.bytes();
}

describe('part payload codec (properties)', () => {
  it('round-trips, and the trailer alone locates every field', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        const bytes = encodePartPayload(p);
        const back = decodePartPayload(bytes);
        expect(back.modes).toEqual(p.modes);
        expect(back.xattrs.map((set) => set.map(([k, v]) => [Array.from(k), Array.from(v)]))).toEqual(p.xattrs.map((set) => set.map(([k, v]) => [Array.from(k), Array.from(v)])));
        expect(Array.from(back.blob)).toEqual(Array.from(p.blob));
        expect(Array.from(back.operations)).toEqual(Array.from(p.operations));
        const layout = partPayloadLayout(bytes.length, bytes.subarray(bytes.length - partPayloadTrailerBytes(bytes.length)));
        expect(Array.from(bytes.subarray(...layout.blob))).toEqual(Array.from(p.blob));
      }),
    );
  });

  it('damaged payloads raise only OstreeError', () => {
    fc.assert(
      fc.property(payloadArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (p, at, value) => {
        const bad = encodePartPayload(p);
        bad[at % bad.length] = value;
        try {
          decodePartPayload(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(OstreeError);
        }
      }),
    );
  });
});

describe('operations codec (properties)', () => {
  it('round-trips any operation sequence (S decoded by the object type)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        // Object k is metadata exactly when the k-th object-creating op is an S-meta.
        const kinds: boolean[] = [];
        for (const op of ops) {
          if (op.op === 'S-meta') kinds.push(true);
          else if (op.op === 'S-content') kinds.push(false);
          else if (op.op === 'close') kinds.push(false);
        }
        expect([...readOps(write(ops), (i) => kinds[i] ?? false)]).toEqual(ops);
      }),
    );
  });

  it('arbitrary bytes decode or raise INVALID_DELTA', () => {
    fc.assert(
      fc.property(bytes(100), fc.boolean(), (b, meta) => {
        try {
          for (const _ of readOps(b, () => meta)) void _;
        } catch (e) {
          expect(e).toBeInstanceOf(OstreeError);
          expect((e as OstreeError).code).toBe('INVALID_DELTA');
        }
      }),
    );
  });
});
