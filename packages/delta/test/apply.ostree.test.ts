// Applying deltas made by real ostree, into every repo mode, checked with real ostree fsck and
// compared with the source repository's tree listing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasOstree, ostree, ostreeResult } from '../../../test-vectors/trees/ostree.js';
import { OstreeError, deltaDirectory, type RepoMode } from '@ostree-ts/core';
import { nodeFs } from '@ostree-ts/io-node';
import { openRepo, type Repo } from '@ostree-ts/repo';
import { applyOfflineDelta, applyStaticDelta, deltaPartPath, deltaSuperblockPath, openDeltaSuperblock } from '../src/index.js';
import { wasmXz } from '../src/xz-wasm.js';
import { makeRealDeltaFixture, readRepoFile, type RealDeltaFixture } from './helpers/real-deltas.js';

const isRoot = process.getuid?.() === 0;
const modes: RepoMode[] = ['archive', 'bare-user', 'bare-user-only', ...(isRoot ? (['bare'] as RepoMode[]) : [])];
const fs = nodeFs();

describe.skipIf(!hasOstree)('apply deltas made by real ostree', () => {
  let fx: RealDeltaFixture;
  let work: string;
  let n = 0;
  beforeAll(() => {
    fx = makeRealDeltaFixture();
    work = mkdtempSync(join(tmpdir(), 'delta-apply-'));
  });
  afterAll(() => {
    fx?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const listing = (repo: string, rev: string): string => ostree(`--repo=${repo}`, 'ls', '-R', '-C', '-X', rev);

  /** A fresh repo of `mode` holding v1 (pulled with real ostree). */
  async function target(mode: RepoMode, withV1 = true): Promise<{ path: string; repo: Repo }> {
    const path = join(work, `t${n++}-${mode}`);
    ostree('init', `--repo=${path}`, `--mode=${mode}`);
    if (withV1) ostree(`--repo=${path}`, 'pull-local', fx.repo, fx.v1);
    return { path, repo: await openRepo(fs, path) };
  }

  function expectLikeSource(path: string): void {
    const r = ostreeResult(`--repo=${path}`, 'fsck');
    expect(r.stdout).toMatch(/object fsck of \d+ commits completed successfully - no errors found/);
    expect(r.status).toBe(0);
    expect(listing(path, fx.v2)).toBe(listing(fx.repo, fx.v2));
  }

  for (const flags of [[], ['--inline'], ['--swap-endianness'], ['--disable-bsdiff']] as string[][]) {
    describe(`from→to ${flags.join(' ') || '(default)'}`, () => {
      beforeAll(() => {
        fx.clearDeltas();
        fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--min-fallback-size=0', ...flags);
      });
      it.each(modes)('applies offline into %s', async (mode) => {
        const { path, repo } = await target(mode);
        const result = await applyOfflineDelta(repo, join(fx.repo, deltaDirectory(fx.v1, fx.v2)));
        expect(result.commitWritten).toBe(true);
        expect(result.stats.objectsWritten).toBeGreaterThan(0);
        expectLikeSource(path);
      });
    });
  }

  describe('spilling to temporary files (tiny spill threshold)', () => {
    beforeAll(() => {
      fx.clearDeltas();
      fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--min-fallback-size=0');
    });
    it.each(['archive', 'bare-user'] as RepoMode[])('applies with payloads, streamed parts and read sources in tmp/ files into %s', async (mode) => {
      const { path } = await target(mode);
      const { superblock } = openDeltaSuperblock(readRepoFile(fx.repo, deltaSuperblockPath(fx.v1, fx.v2)));
      async function* chunks(bytes: Uint8Array): AsyncIterable<Uint8Array> {
        for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096);
      }
      // Count the spool files the apply creates, through a wrapped filesystem.
      let spools = 0;
      const counting = new Proxy(fs, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (prop !== 'openWrite') return typeof value === 'function' ? value.bind(target) : value;
          return (p: string, o?: object) => {
            if (p.includes('/delta-spool-')) spools++;
            return target.openWrite(p, o);
          };
        },
      });
      const spyRepo = await openRepo(counting, path);
      await applyStaticDelta(spyRepo, superblock, {
        spillBytes: 1000,
        readPart: async (i) => chunks(readRepoFile(fx.repo, deltaPartPath(fx.v1, fx.v2, i))),
      });
      // the streamed part, its payload, and (archive) inflated read sources
      expect(spools).toBeGreaterThanOrEqual(mode === 'archive' ? 3 : 2);
      expectLikeSource(path);
      expect(readdirSync(join(path, 'tmp')).filter((f) => f !== 'cache')).toEqual([]);
      const { path: path2, repo: repo2 } = await target(mode);
      await applyOfflineDelta(repo2, join(fx.repo, deltaDirectory(fx.v1, fx.v2)), fs, { spillBytes: 1000 });
      expectLikeSource(path2);
      expect(readdirSync(join(path2, 'tmp')).filter((f) => f !== 'cache')).toEqual([]);
    });
  });

  it('applies with the pure-WASM xz decoder too', async () => {
    fx.clearDeltas();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--min-fallback-size=0');
    const { path, repo } = await target('bare-user');
    await applyOfflineDelta(repo, join(fx.repo, deltaDirectory(fx.v1, fx.v2)), fs, { xz: wasmXz() });
    expectLikeSource(path);
  });

  it('uses rollsum and bsdiff operations in the fixture delta', () => {
    fx.clearDeltas();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--min-fallback-size=0');
    const show = ostree(`--repo=${fx.repo}`, 'static-delta', 'show', `${fx.v1}-${fx.v2}`);
    const m = /PartPayloadOps0: openspliceclose=(\d+) open=(\d+) write=(\d+) setread=(\d+) unsetread=(\d+) close=(\d+) bspatch=(\d+)/.exec(show);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThanOrEqual(2); // rollsum and bsdiff objects are opened
    expect(Number(m![3])).toBeGreaterThan(0); // rollsum writes
    expect(Number(m![7])).toBeGreaterThan(0); // bspatch
  });

  describe('scratch delta', () => {
    beforeAll(() => {
      fx.clearDeltas();
      fx.generate('--empty', `--to=${fx.v2}`, '--min-fallback-size=0');
    });
    it.each(modes)('applies a scratch delta (no source commit) into %s', async (mode) => {
      const { path, repo } = await target(mode, false);
      await applyOfflineDelta(repo, join(fx.repo, deltaSuperblockPath(undefined, fx.v2)));
      expectLikeSource(path);
    });
  });

  it('reports fallback objects for the caller to fetch, marks the commit partial, then completes', async () => {
    fx.clearDeltas();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`);
    const { path, repo } = await target('bare-user');
    const { superblock } = openDeltaSuperblock(readRepoFile(fx.repo, deltaSuperblockPath(fx.v1, fx.v2)));
    expect(superblock.fallbacks).toHaveLength(1);
    await expect(applyOfflineDelta(repo, join(fx.repo, deltaDirectory(fx.v1, fx.v2)))).rejects.toThrow(/fallback/);
    async function* chunks(bytes: Uint8Array): AsyncIterable<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 10_000) yield bytes.subarray(i, i + 10_000);
    }
    const result = await applyStaticDelta(repo, superblock, {
      readPart: async (i) => chunks(readRepoFile(fx.repo, deltaPartPath(fx.v1, fx.v2, i))),
    });
    expect(result.missingFallbacks.map((f) => f.checksum)).toEqual([superblock.fallbacks[0]!.checksum]);
    expect(await repo.isCommitPartial(fx.v2)).toBe(true);
    // The caller fetches the fallback (here: copied from the source repo) and clears the marker.
    const source = await openRepo(fs, fx.repo);
    const obj = await source.loadContent(superblock.fallbacks[0]!.checksum);
    await repo.writeContent({ header: obj.header, size: obj.size, payload: obj.chunks() }, { expectedChecksum: obj.checksum });
    await repo.setCommitPartial(fx.v2, false);
    expectLikeSource(path);
  });

  it('signed superblocks: unwrapped, verified through the caller, mandatory with core.sign-verify-deltas', async () => {
    fx.clearDeltas();
    process.env.OSTREE_DUMMY_SIGN_ENABLED = '1';
    try {
      fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--min-fallback-size=0', '--sign-type=dummy', '--sign=secret');
    } finally {
      delete process.env.OSTREE_DUMMY_SIGN_ENABLED;
    }
    const dir = join(fx.repo, deltaDirectory(fx.v1, fx.v2));
    const rejecting = await target('bare-user');
    await expect(applyOfflineDelta(rejecting.repo, dir, fs, { verifySignature: async () => false })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    expect(await rejecting.repo.hasObject(fx.v2, 'commit')).toBe(false);
    const strict = await target('bare-user');
    ostree(`--repo=${strict.path}`, 'config', 'set', 'core.sign-verify-deltas', 'true');
    const strictRepo = await openRepo(fs, strict.path);
    await expect(applyOfflineDelta(strictRepo, dir, fs)).rejects.toMatchObject({ code: 'SIGNATURE_MISSING' });
    let seen = '';
    await applyOfflineDelta(strictRepo, dir, fs, {
      verifySignature: async (signed) => {
        seen = new TextDecoder().decode(signed.signatures.get('dummy')![0]);
        return true;
      },
    });
    expect(seen).toBe('secret');
    expectLikeSource(strict.path);
  });

  it('multi-part deltas: the next part is prepared while one executes; a failing part stops the apply cleanly', async () => {
    fx.clearDeltas();
    fx.generate('--empty', `--to=${fx.v2}`, '--min-fallback-size=0', '--max-chunk-size=1');
    const { superblock } = openDeltaSuperblock(readRepoFile(fx.repo, deltaSuperblockPath(undefined, fx.v2)));
    expect(superblock.parts.length).toBeGreaterThanOrEqual(3);
    const good = await target('bare-user', false);
    const progress: number[] = [];
    await applyStaticDelta(good.repo, superblock, {
      readPart: async (i) => readRepoFile(fx.repo, deltaPartPath(undefined, fx.v2, i)),
      onProgress: (p) => progress.push(p.part),
    });
    expect(progress).toEqual(superblock.parts.map((_, i) => i));
    expectLikeSource(good.path);
    const bad = await target('bare-user', false);
    const failAt = superblock.parts.length - 1;
    await expect(
      applyStaticDelta(bad.repo, superblock, {
        readPart: async (i) => {
          if (i === failAt) throw new OstreeError('NETWORK_ERROR', 'part download failed');
          return readRepoFile(fx.repo, deltaPartPath(undefined, fx.v2, i));
        },
      }),
    ).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(await bad.repo.hasObject(fx.v2, 'commit')).toBe(false);
    expect(readdirSync(join(bad.path, 'tmp')).filter((f) => f !== 'cache')).toEqual([]);
    expect(ostreeResult(`--repo=${bad.path}`, 'fsck').status).toBe(0);
  });

  it('skips parts whose objects are all present and creates nothing twice', async () => {
    fx.clearDeltas();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--min-fallback-size=0');
    const { path, repo } = await target('archive');
    const dir = join(fx.repo, deltaDirectory(fx.v1, fx.v2));
    await applyOfflineDelta(repo, dir);
    const again = await applyOfflineDelta(repo, dir);
    expect(again.stats.partsSkipped).toBe(1);
    expect(again.stats.objectsWritten).toBe(0);
    expect(again.commitWritten).toBe(false);
    expectLikeSource(path);
  });

  it('real ostree and ostree-ts agree on a delta applied into bare-user', async () => {
    fx.clearDeltas();
    fx.generate(`--from=${fx.v1}`, `--to=${fx.v2}`, '--min-fallback-size=0');
    const ours = await target('bare-user');
    const theirs = await target('bare-user');
    const dir = join(fx.repo, deltaDirectory(fx.v1, fx.v2));
    await applyOfflineDelta(ours.repo, dir);
    ostree(`--repo=${theirs.path}`, 'static-delta', 'apply-offline', dir);
    const objects = (p: string) => ostree(`--repo=${p}`, 'ls', '-R', '-C', fx.v2);
    expect(objects(ours.path)).toBe(objects(theirs.path));
    const co = (p: string, out: string) => ostree(`--repo=${p}`, 'checkout', '-U', fx.v2, out);
    co(ours.path, join(work, 'co-ours'));
    co(theirs.path, join(work, 'co-theirs'));
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync('diff', ['-r', '--no-dereference', join(work, 'co-ours'), join(work, 'co-theirs')], { encoding: 'utf8' })).toBe('');
  });
});
