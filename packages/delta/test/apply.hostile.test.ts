// Hostile deltas: each mutation of a real ostree delta must fail with a typed error, and the
// repository must hold only verified objects afterwards (real ostree fsck passes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { hasOstree, ostree, ostreeResult } from '../../../test-vectors/trees/ostree.js';
import { OstreeError, metadataChecksum } from '@ostree-ts/core';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo, type Repo } from '@ostree-ts/repo';
import {
  OpWriter,
  applyStaticDelta,
  decodePartPayload,
  deltaPartPath,
  deltaSuperblockPath,
  encodePartFile,
  encodePartPayload,
  openDeltaSuperblock,
  readOps,
  type DeltaOp,
  type DeltaSuperblock,
  type PartPayload,
} from '../src/index.js';
import { nodeXz } from '../src/xz-node.js';
import { makeRealDeltaFixture, readRepoFile, type RealDeltaFixture } from './helpers/real-deltas.js';

const fs = nodeFs();
const limits = { memlimit: 64 << 20, maxOutputBytes: 1 << 30 };

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of it) chunks.push(Uint8Array.from(c));
  return new Uint8Array(Buffer.concat(chunks));
}

function encodeOps(ops: readonly DeltaOp[]): Uint8Array {
  const w = new OpWriter();
  for (const op of ops) {
    switch (op.op) {
      case 'S-meta':
        w.spliceMetadata(op.size, op.offset);
        break;
      case 'S-content':
        w.spliceContent(op.modeIndex, op.xattrIndex, op.size, op.offset);
        break;
      case 'open':
        w.open(op.modeIndex, op.xattrIndex, op.size);
        break;
      case 'write':
        w.write(op.size, op.offset);
        break;
      case 'set-read-source':
        w.setReadSource(op.offset);
        break;
      case 'unset-read-source':
        w.unsetReadSource();
        break;
      case 'close':
        w.close();
        break;
      case 'bspatch':
        w.bspatch(op.offset, op.length);
        break;
    }
  }
  return w.bytes();
}

describe.skipIf(!hasOstree)('hostile deltas', () => {
  let fx: RealDeltaFixture;
  let work: string;
  let sb: DeltaSuperblock;
  let payload: PartPayload;
  let ops: DeltaOp[];
  let n = 0;

  beforeAll(async () => {
    fx = makeRealDeltaFixture();
    work = mkdtempSync(join(tmpdir(), 'delta-hostile-'));
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--min-fallback-size=0');
    sb = openDeltaSuperblock(readRepoFile(fx.repo, deltaSuperblockPath(fx.v1, fx.v2))).superblock;
    expect(sb.parts).toHaveLength(1);
    const part = readRepoFile(fx.repo, deltaPartPath(fx.v1, fx.v2, 0));
    payload = decodePartPayload(Uint8Array.from(await collect(nodeXz().decompress([part.subarray(1)] as unknown as AsyncIterable<Uint8Array>, limits))));
    const objects = sb.parts[0]!.objects;
    ops = [...readOps(payload.operations, (i) => objects[i]!.type !== 'file')];
  });
  afterAll(() => {
    fx?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function target(): Promise<{ path: string; repo: Repo }> {
    const path = join(work, `t${n++}`);
    ostree('init', `--repo=${path}`, '--mode=bare-user');
    ostree(`--repo=${path}`, 'pull-local', fx.repo, fx.v1);
    return { path, repo: await openRepo(fs, path) };
  }

  async function objectCount(repo: Repo): Promise<number> {
    let count = 0;
    for await (const _ of repo.listObjects()) count++;
    return count;
  }

  /** Applies `file` as part 0 (with a header made to match it unless `header` overrides). */
  async function applyPart(file: Uint8Array, overrides: Partial<DeltaSuperblock['parts'][number]> = {}, options = {}): Promise<{ error: unknown; path: string; before: number; after: number }> {
    const { path, repo } = await target();
    const header = { ...sb.parts[0]!, size: BigInt(file.length), checksum: metadataChecksum(file), ...overrides };
    const mutated: DeltaSuperblock = { ...sb, parts: [header] };
    const before = await objectCount(repo);
    let error: unknown;
    try {
      await applyStaticDelta(repo, mutated, { readPart: async () => file, ...options });
    } catch (e) {
      error = e;
    }
    return { error, path, before, after: await objectCount(repo) };
  }

  const partWith = (p: Partial<PartPayload>): Uint8Array => encodePartFile(0, encodePartPayload({ ...payload, ...p }));
  const withOps = (edit: (ops: DeltaOp[]) => DeltaOp[]): Uint8Array => partWith({ operations: encodeOps(edit([...ops])) });

  function expectCode(r: { error: unknown; path: string }, code: string): void {
    expect(r.error).toBeInstanceOf(OstreeError);
    expect((r.error as OstreeError).code).toBe(code);
    const fsck = ostreeResult(`--repo=${r.path}`, 'fsck');
    expect(fsck.status).toBe(0);
    // No temporary files left behind (spools, half-written objects).
    expect(readdirSync(join(r.path, 'tmp')).filter((f) => f !== 'cache')).toEqual([]);
  }

  it('the unmodified payload re-encoded uncompressed applies (control)', async () => {
    const r = await applyPart(partWith({}));
    expect(r.error).toBeUndefined();
    expect(r.after).toBeGreaterThan(r.before);
  });

  it('part checksum mismatch: CHECKSUM_MISMATCH before anything is decompressed or stored', async () => {
    const file = readRepoFile(fx.repo, deltaPartPath(fx.v1, fx.v2, 0));
    const bad = Uint8Array.from(file);
    bad[bad.length - 100] = bad[bad.length - 100]! ^ 1;
    const r = await applyPart(bad, { checksum: sb.parts[0]!.checksum });
    expectCode(r, 'CHECKSUM_MISMATCH');
    expect(r.after).toBe(r.before);
  });

  it('part shorter or longer than its header: INVALID_DELTA', async () => {
    const file = readRepoFile(fx.repo, deltaPartPath(fx.v1, fx.v2, 0));
    expectCode(await applyPart(file.subarray(0, file.length - 1), { checksum: sb.parts[0]!.checksum, size: sb.parts[0]!.size }), 'INVALID_DELTA');
  });

  it('unknown compression byte: INVALID_DELTA', async () => {
    const file = encodePartFile(0x67, encodePartPayload(payload));
    expectCode(await applyPart(file), 'INVALID_DELTA');
  });

  it('payload data altered under a recomputed part checksum: the object is not stored', async () => {
    const blob = Uint8Array.from(payload.blob);
    const firstContent = ops.find((o) => o.op === 'S-content' && o.size > 10) as Extract<DeltaOp, { op: 'S-content' }>;
    blob[firstContent.offset + 5] = blob[firstContent.offset + 5]! ^ 0xff;
    const r = await applyPart(partWith({ blob }));
    expectCode(r, 'CHECKSUM_MISMATCH');
  });

  it('splice past the end of the payload: INVALID_DELTA', async () => {
    const file = withOps((o) => o.map((op) => (op.op === 'S-content' ? { ...op, offset: payload.blob.length - 1, size: 10 } : op)));
    expectCode(await applyPart(file), 'INVALID_DELTA');
  });

  it('write past the end of the read source: INVALID_DELTA', async () => {
    const file = withOps((o) => {
      const i = o.findIndex((op) => op.op === 'set-read-source');
      const j = o.findIndex((op, k) => k > i && op.op === 'write');
      const w = o[j] as Extract<DeltaOp, { op: 'write' }>;
      o[j] = { ...w, offset: 1e9 };
      return o;
    });
    expectCode(await applyPart(file), 'INVALID_DELTA');
  });

  it('huge declared object size: INVALID_DELTA, no huge allocation', async () => {
    const file = withOps((o) => o.map((op) => (op.op === 'open' ? { ...op, size: 2 ** 50 } : op)));
    expectCode(await applyPart(file), 'INVALID_DELTA');
  });

  it('declared size larger than the data written: INVALID_DELTA', async () => {
    const file = withOps((o) => o.map((op) => (op.op === 'open' ? { ...op, size: op.size + 1 } : op)));
    expectCode(await applyPart(file), 'INVALID_DELTA');
  });

  it('mode and xattr indexes outside their tables: INVALID_DELTA', async () => {
    expectCode(await applyPart(withOps((o) => o.map((op) => (op.op === 'S-content' ? { ...op, modeIndex: 999 } : op)))), 'INVALID_DELTA');
    expectCode(await applyPart(withOps((o) => o.map((op) => (op.op === 'open' ? { ...op, xattrIndex: 999 } : op)))), 'INVALID_DELTA');
  });

  it('unknown opcode and truncated varint: INVALID_DELTA', async () => {
    expectCode(await applyPart(partWith({ operations: Uint8Array.from([...payload.operations.subarray(0, 10), 0x7a]) })), 'INVALID_DELTA');
    expectCode(await applyPart(partWith({ operations: Uint8Array.from([0x53, 0x80]) })), 'INVALID_DELTA');
  });

  it('operations that create fewer objects than the header lists: INVALID_DELTA', async () => {
    expectCode(await applyPart(withOps((o) => o.slice(0, o.length - 1))), 'INVALID_DELTA');
  });

  it('a corrupted bsdiff patch never stores the object', async () => {
    const blob = Uint8Array.from(payload.blob);
    const patch = ops.find((o) => o.op === 'bspatch') as Extract<DeltaOp, { op: 'bspatch' }>;
    for (let i = 0; i < 24; i++) blob[patch.offset + i] = 0xff; // first control triple: absurd lengths
    const r = await applyPart(partWith({ blob }));
    expect(['INVALID_DELTA', 'CHECKSUM_MISMATCH']).toContain((r.error as OstreeError).code);
    expectCode(r, (r.error as OstreeError).code);
  });

  it('a decompression bomb stops at the payload cap', async () => {
    const bomb = await nodeXz().compress!(new Uint8Array(20 << 20));
    expectCode(await applyPart(encodePartFile(0x78, bomb), {}, { maxPayloadBytes: 1 << 20 }), 'INVALID_DELTA');
  });

  it('an aborted signal stops the apply with ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await applyPart(partWith({}), {}, { signal: controller.signal });
    expectCode(r, 'ABORTED');
    expect(r.after).toBe(r.before);
  });

  it('random corruption of operations and payload only ever raises OstreeError and stores only verified objects', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        async (inOps, at, value) => {
          const target = inOps ? Uint8Array.from(payload.operations) : Uint8Array.from(payload.blob);
          target[at % target.length] = value;
          const r = await applyPart(partWith(inOps ? { operations: target } : { blob: target }));
          if (r.error !== undefined) expect(r.error).toBeInstanceOf(OstreeError);
          expect(ostreeResult(`--repo=${r.path}`, 'fsck').status).toBe(0);
        },
      ),
      { numRuns: 15 },
    );
  });
});
