// Option handling and engine behaviour that needs no real ostree (memoryFs): flag
// combinations, ostree's two code paths, passthrough whiteouts, fsync, statistics, and the
// deterministic choice of the error reported when several entries fail at once.
import { memoryFs, type MemoryFs } from '@ostree-ts/io';
import { commitDirectory, initRepo, type Repo } from '@ostree-ts/repo';
import { describe, expect, it } from 'vitest';
import { DevinoCache, checkout, devinoLookup, resolveCheckoutOptions, scanHardlinks } from '../src/index.js';

const enc = new TextEncoder();

async function setup(mode: 'bare' | 'bare-user-only' | 'archive' | 'bare-user', files: Record<string, string>): Promise<{ fs: MemoryFs; repo: Repo }> {
  const fs = memoryFs();
  for (const [path, content] of Object.entries(files)) {
    const full = `/src/${path}`;
    await fs.mkdir(full.slice(0, full.lastIndexOf('/')), { recursive: true });
    await fs.writeFile(full, enc.encode(content), { mode: 0o644 });
  }
  await fs.mkdir('/src', { recursive: true });
  const repo = await initRepo(fs, '/repo', { mode });
  await commitDirectory(repo, fs, '/src', { ref: 'main', timestamp: 1n });
  return { fs, repo };
}

describe('resolveCheckoutOptions', () => {
  it.each([
    [{ union: true, unionAdd: true }, 'Cannot specify both --union and --union-add'],
    [{ union: true, unionIdentical: true }, 'Cannot specify both --union and --union-identical'],
    [{ unionAdd: true, unionIdentical: true }, 'Cannot specify both --union-add and --union-identical'],
    [{ requireHardlinks: true, forceCopy: true }, 'Cannot specify both --require-hardlinks and --force-copy'],
    [{ selinuxPrefix: '/x' }, 'Cannot specify --selinux-prefix without --selinux-policy'],
    [{ unionIdentical: true }, '--union-identical requires --require-hardlinks'],
    [{ requireHardlinks: true, selinuxPolicy: '/' }, 'Cannot specify both --require-hardlinks and --force-copy'],
    [{ concurrency: 0 }, 'concurrency must be a positive integer, not 0'],
  ])('refuses %j', (options, message) => {
    expect(() => resolveCheckoutOptions(options, 'bare')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message }));
  });

  it('SELinux labeling is unsupported, after ostree checks', () => {
    expect(() => resolveCheckoutOptions({ selinuxPolicy: '/' }, 'bare')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });

  it('follows ostree legacy and at code paths', () => {
    const legacy = resolveCheckoutOptions({ union: true, allowNoent: true, userMode: true }, 'archive');
    expect(legacy).toMatchObject({ legacy: true, allowNoent: true, overwrite: 'union-files', enableUncompressedCache: true });
    const at = resolveCheckoutOptions({ unionAdd: true, allowNoent: true, whiteouts: true }, 'archive');
    expect(at).toMatchObject({ legacy: false, allowNoent: false, overwrite: 'add-files', processWhiteouts: true, enableUncompressedCache: false });
    // --union + --union-add is only refused on the at path, which --union-add selects.
    expect(resolveCheckoutOptions({ whiteouts: true }, 'bare').processWhiteouts).toBe(true);
    expect(resolveCheckoutOptions({ union: true, disableCache: true }, 'archive').enableUncompressedCache).toBe(false);
    // bare-user-only repositories always check out in user mode.
    expect(resolveCheckoutOptions({}, 'bare-user-only').userMode).toBe(true);
    expect(resolveCheckoutOptions({}, 'bare').userMode).toBe(false);
  });
});

describe('checkout on memoryFs', () => {
  it('reports what it did', async () => {
    const { fs, repo } = await setup('bare', { 'a/x': 'x', 'a/y': 'y', 'b/empty': '' });
    const r = await checkout(repo, 'main', '/co');
    expect(r.checkedOut).toBe(true);
    expect(r.stats).toMatchObject({ directories: 3, hardlinks: 2, copies: 1, bytesCopied: 0 });
    expect((await fs.lstat('/co/a')).mtimeMs).toBe(0);
    const r2 = await checkout(repo, 'main', '/co2', { forceCopy: true, enableFsync: true });
    expect(r2.stats).toMatchObject({ hardlinks: 0, copies: 3, bytesCopied: 2 });
    expect((await fs.lstat('/co2/a')).mtimeMs).not.toBe(0); // --force-copy leaves mtimes
  });

  it('refuses a rev that does not resolve, like ostree', async () => {
    const { repo } = await setup('bare', { f: 'f' });
    await expect(checkout(repo, 'nope', '/co')).rejects.toMatchObject({ code: 'REF_NOT_FOUND', message: "Refspec 'nope' not found" });
    await expect(checkout(repo, '0'.repeat(64), '/co')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND', message: `No such metadata object ${'0'.repeat(64)}.commit` });
    // The rev is resolved before options are checked, as ostree does.
    await expect(checkout(repo, 'nope', '/co', { union: true, unionAdd: true })).rejects.toMatchObject({ code: 'REF_NOT_FOUND' });
  });

  it('passthrough whiteouts need mknod: UNSUPPORTED only when one is met', async () => {
    const { repo } = await setup('bare', { '.ostree-wh.gone': '', keep: 'k' });
    await expect(checkout(repo, 'main', '/co', { processPassthroughWhiteouts: true })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const r = await checkout(repo, 'main', '/co2');
    expect(r.stats.copies + r.stats.hardlinks).toBe(2); // without the option it is a plain file
  });

  it('reports the first failure in ostree order whatever the parallelism', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`d${String(i).padStart(3, '0')}/f`] = `v1-${i}`;
    const { fs, repo } = await setup('bare', files);
    await checkout(repo, 'main', '/co');
    for (const [path] of Object.entries(files)) {
      await fs.unlink(`/co/${path}`);
      await fs.writeFile(`/co/${path}`, enc.encode('changed'));
    }
    for (let round = 0; round < 3; round++) {
      await expect(checkout(repo, 'main', '/co', { unionIdentical: true, requireHardlinks: true, concurrency: 64 })).rejects.toThrow(/ to f: File exists$/);
      const e = (await checkout(repo, 'main', '/co', { unionIdentical: true, requireHardlinks: true, concurrency: 64 }).catch((x: unknown) => x)) as Error;
      // d000/f is the first file ostree meets.
      const first = (await repo.loadDirTree((await repo.loadCommit((await repo.resolveRev('main'))!)).rootTree)).dirs[0]!;
      expect(first.name).toBe('d000');
      const sub = await repo.loadDirTree(Buffer.from(first.treeChecksum).toString('hex'));
      const cs = Buffer.from(sub.files[0]!.checksum).toString('hex');
      expect(e.message).toBe(`Hardlinking ${cs.slice(0, 2)}/${cs.slice(2)}.file to f: File exists`);
    }
  });

  it('devino cache and scan agree on memoryFs', async () => {
    const { fs, repo } = await setup('bare-user-only', { a: 'a', b: 'b', 'c/d': 'd' });
    const cache = new DevinoCache();
    await checkout(repo, 'main', '/co', { devinoCache: cache });
    expect(cache.size).toBe(3);
    const scanned = await scanHardlinks(repo);
    for (const p of ['/co/a', '/co/b', '/co/c/d']) {
      const st = await fs.lstat(p);
      expect(devinoLookup(cache, st)).toBeDefined();
      expect(devinoLookup(scanned, st)).toBe(devinoLookup(cache, st));
    }
    expect([...cache].map((e) => e.checksum).sort()).toEqual([...cache].map((e) => scanned.get(e.dev, e.ino)).sort());
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('archive user mode fills the uncompressed-objects cache, honouring --fsync=false and core.fsync', async () => {
    const { fs, repo } = await setup('archive', { a: 'aaaa', b: 'bbbb' });
    let syncs = 0;
    const counting = new Proxy(fs, {
      get(t, p) {
        if (p === 'openWrite') {
          return async (path: string, o: unknown) => {
            const h = await t.openWrite(path, o as never);
            return { ...h, sync: async () => (syncs++, h.sync()) };
          };
        }
        const v = Reflect.get(t, p) as unknown;
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    const repo2 = Object.create(repo, { fs: { value: counting } }) as Repo;
    const r = await checkout(repo2, 'main', '/co', { userMode: true, fsync: false });
    expect(r.stats).toMatchObject({ cacheWrites: 2, hardlinks: 2 });
    expect(syncs).toBe(0);
    const again = await checkout(repo2, 'main', '/co2', { userMode: true });
    expect(again.stats).toMatchObject({ cacheWrites: 0, hardlinks: 2 });
    expect(syncs).toBe(0);
    await fs.removeTree('/repo/uncompressed-objects-cache');
    await checkout(repo2, 'main', '/co4', { userMode: true });
    expect(syncs).toBe(2); // fsync on by default (core.fsync=true)
    expect((await fs.readdir('/repo/uncompressed-objects-cache')).length).toBeGreaterThan(0);
    // --disable-cache (or any option of the at path) neither uses nor fills it.
    const r3 = await checkout(repo2, 'main', '/co3', { userMode: true, disableCache: true });
    expect(r3.stats).toMatchObject({ cacheWrites: 0, hardlinks: 0, copies: 2 });
  });
});
