// Hardlink fallbacks (EXDEV across filesystems, EMLINK, --require-hardlinks), reflink
// support and its fallback, checkouts between different Fs instances, and the devino cache.
import { copyFile, constants } from 'node:fs/promises';
import { lstatSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsError, memoryFs, type Fs } from '@ostree-ts/io';
import { nodeFs } from '@ostree-ts/io-node';
import { commitDirectory, initRepo, openRepo, type Repo } from '@ostree-ts/repo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevinoCache, checkout, devinoLookup, scanHardlinks, type ReflinkFs } from '../src/index.js';
import { makeCraftedTree } from '../../../test-vectors/trees/crafted-tree.js';
import { fsSnapshot } from './helpers/fs-snapshot.js';
import { hasOstree, ostree, ostreeError } from './helpers/ostree.js';
import { objectInodes, snapshot } from './helpers/snapshot.js';

/** nodeFs with some calls replaced. */
function wrapFs(base: Fs, overrides: Partial<Record<keyof Fs | 'cloneFile', unknown>>): Fs {
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof typeof overrides];
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
    has(target, prop) {
      return prop in overrides || prop in target;
    },
  });
}

const shm = '/dev/shm';
const otherDevice = (() => {
  try {
    return statSync(shm).dev !== statSync(tmpdir()).dev;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOstree)('fallbacks against ostree', () => {
  let work: string;
  const fs = nodeFs();
  let n = 0;
  const repos: Record<string, { path: string; repo: Repo }> = {};
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ostree-ts-fallback-'));
    const tree = join(work, 'tree');
    makeCraftedTree(tree, { xattrs: true, owners: true, specialModes: false, largeFileBytes: 1024 * 1024 });
    for (const mode of ['bare', 'bare-user-only']) {
      const path = join(work, mode);
      ostree('init', `--repo=${path}`, `--mode=${mode}`);
      ostree('commit', `--repo=${path}`, '-b', 'main', `--tree=dir=${tree}`);
      repos[mode] = { path, repo: await openRepo(fs, path) };
    }
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  describe.skipIf(!otherDevice)('across filesystems (EXDEV)', () => {
    let shmWork: string;
    beforeAll(() => {
      shmWork = mkdtempSync(join(shm, 'ostree-ts-fallback-'));
    });
    afterAll(() => rmSync(shmWork, { recursive: true, force: true }));

    it.each(['bare', 'bare-user-only'])('%s: copies instead of hardlinking, like ostree', async (mode) => {
      const { path, repo } = repos[mode]!;
      const theirs = join(shmWork, `theirs-${n}`);
      const ours = join(shmWork, `ours-${n++}`);
      ostree('checkout', `--repo=${path}`, 'main', theirs);
      const r = await checkout(repo, 'main', ours);
      expect(r.stats.hardlinks).toBe(0);
      expect(r.stats.copies).toBeGreaterThan(5);
      expect(snapshot(ours, { noXattrs: true })).toEqual(snapshot(theirs, { noXattrs: true }));
    });

    it('with --require-hardlinks fails with the same message', async () => {
      const { path, repo } = repos['bare-user-only']!;
      const message = ostreeError('checkout', `--repo=${path}`, '-H', 'main', join(shmWork, `theirs-${n}`));
      expect(message).toMatch(/^Unable to do hardlink checkout across devices \(src=\d+ destination=\d+\)$/);
      await expect(checkout(repo, 'main', join(shmWork, `ours-${n++}`), { requireHardlinks: true })).rejects.toMatchObject({ code: 'UNSUPPORTED', message });
    });
  });

  it('EMLINK (link count exhausted) falls back to copies; with -H it is an error', async () => {
    const { path, repo } = repos.bare!;
    const emlink = wrapFs(fs, {
      link: async (_from: string, to: string) => {
        throw new FsError('EMLINK', 'link', to);
      },
    });
    const limited = await openRepo(emlink, path);
    const ours = join(work, `ours-${n++}`);
    const theirs = join(work, `theirs-${n++}`);
    ostree('checkout', `--repo=${path}`, 'main', theirs);
    const r = await checkout(limited, 'main', ours);
    expect(r.stats.hardlinks).toBe(0);
    expect(snapshot(ours)).toEqual(snapshot(theirs));
    const objects = objectInodes(path);
    expect(snapshot(ours, { objects }).some((l) => l.includes(' link='))).toBe(false);
    await expect(checkout(limited, 'main', join(work, `ours-${n++}`), { requireHardlinks: true })).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringMatching(/^Hardlinking [0-9a-f]{2}\/[0-9a-f]{62}\.file to .+: Too many links$/),
    });
    void repo;
  });

  it('reflinks through ReflinkFs.cloneFile, and falls back once when the filesystem cannot', async () => {
    const { path } = repos.bare!;
    let attempts = 0;
    const ficlone = wrapFs(fs, {
      cloneFile: async (src: string, dest: string) => {
        attempts++;
        // FICLONE only: ext4 and tmpfs refuse with ENOTSUP.
        await copyFile(src, dest, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE_FORCE);
      },
    }) as ReflinkFs;
    const repo = await openRepo(ficlone, path);
    const theirs = join(work, `theirs-${n++}`);
    const ours = join(work, `ours-${n++}`);
    ostree('checkout', `--repo=${path}`, '-C', 'main', theirs);
    const r = await checkout(repo, 'main', ours, { forceCopy: true, concurrency: 8 });
    const cloned = r.stats.reflinks > 0;
    // Tried (by the copies already in flight) until the first refusal, then copied every file itself.
    if (!cloned) expect(attempts).toBeLessThanOrEqual(8);
    expect(r.stats.copies + r.stats.reflinks).toBeGreaterThan(5);
    expect(snapshot(ours, { mtimes: false })).toEqual(snapshot(theirs, { mtimes: false }));

    // A filesystem that does clone: every non-empty regular file is cloned, nothing copied.
    let clones = 0;
    const cloning = wrapFs(fs, {
      cloneFile: async (src: string, dest: string) => {
        clones++;
        await copyFile(src, dest, constants.COPYFILE_EXCL);
      },
    });
    const r2 = await checkout(await openRepo(cloning, path), 'main', join(work, `ours-${n}`), { forceCopy: true });
    expect(r2.stats.reflinks).toBe(clones);
    expect(r2.stats.copies).toBe(2); // the two empty files are written, not cloned
    expect(snapshot(join(work, `ours-${n++}`), { mtimes: false })).toEqual(snapshot(theirs, { mtimes: false }));
  });

  it('fills a devino cache that maps every hardlinked file to its checksum (cross-checked with ostree ls -C)', async () => {
    const { path, repo } = repos['bare-user-only']!;
    const cache = new DevinoCache();
    const dest = join(work, `ours-${n++}`);
    const r = await checkout(repo, 'main', dest, { devinoCache: cache });
    expect(cache.size).toBeGreaterThan(0);
    const listing = ostree('ls', `--repo=${path}`, '-R', '-C', 'main');
    let checked = 0;
    for (const line of listing.split('\n')) {
      const m = /^-\S+ \d+ \d+ +\d+ ([0-9a-f]{64}) (\/\S.*)$/.exec(line);
      if (!m) continue;
      const st = lstatSync(join(dest, m[2]!), { bigint: true });
      const found = devinoLookup(cache, st);
      if (st.nlink > 1n) {
        expect(found).toBe(m[1]);
        checked++;
      } else expect(found).toBeUndefined(); // copied (empty or unreadable): not a hardlink
    }
    expect(checked).toBe(r.stats.hardlinks);
    // Scanning the repository finds the same inodes (commit --link-checkout-speedup).
    const scanned = await scanHardlinks(repo);
    for (const e of cache) expect(scanned.get(e.dev, e.ino)).toBe(e.checksum);
    expect(devinoLookup(undefined, { dev: 1n, ino: 1n })).toBeUndefined();
  });
});

describe('checkouts between filesystems (Fs instances) and in memory', () => {
  it('commits and checks out entirely in memoryFs, and into a memoryFs from another', async () => {
    const mem = memoryFs();
    const enc = new TextEncoder();
    await mem.mkdir('/src/a/b', { recursive: true });
    await mem.writeFile('/src/a/b/file', enc.encode('hello\n'), { mode: 0o640 });
    await mem.writeFile('/src/empty', new Uint8Array(0));
    await mem.symlink('a/b/file', '/src/link');
    await mem.setXattr('/src/a', 'user.x', enc.encode('1'));
    await mem.lchown('/src/a/b/file', 1000, 1000);
    await mem.link('/src/a/b/file', '/src/hard');
    for (const mode of ['bare', 'archive', 'bare-user'] as const) {
      const repo = await initRepo(mem, `/repo-${mode}`, { mode });
      await commitDirectory(repo, mem, '/src', { ref: 'main', timestamp: 1n });
      const r = await checkout(repo, 'main', `/co-${mode}`);
      const expected = await fsSnapshot(mem, '/src');
      const strip = (l: string[]) => l.filter((x) => !x.startsWith('. '));
      expect(strip(await fsSnapshot(mem, `/co-${mode}`))).toEqual(strip(expected));
      if (mode === 'bare') expect(r.stats.hardlinks).toBe(3);
      // Into another Fs: never hardlinks, same tree.
      const other = memoryFs();
      const r2 = await checkout(repo, 'main', '/elsewhere', { destinationFs: other });
      expect(r2.stats.hardlinks).toBe(0);
      expect(strip(await fsSnapshot(other, '/elsewhere'))).toEqual(strip(expected));
      await expect(checkout(repo, 'main', '/elsewhere2', { destinationFs: other, requireHardlinks: true, userMode: mode !== 'bare' })).rejects.toMatchObject({
        code: 'UNSUPPORTED', // checked per directory, before any file
      });
    }
  });
});
