/**
 * The conformance suite must catch broken adapters: run it (with a tiny in-process runner)
 * against memoryFs with one deliberate bug at a time, and require failures.
 */
import { describe, expect, it } from 'vitest';
import { memoryFs, type Fs, type FsXattr } from '@ostree-ts/io';
import { fileSystemConformance, type ConformanceRunner, type ConformanceTestFn } from '@ostree-ts/io/conformance';

const methods = [
  'lstat',
  'stat',
  'lstatIfExists',
  'readdir',
  'readFile',
  'readChunks',
  'openRead',
  'readlink',
  'writeFile',
  'openWrite',
  'mkdir',
  'symlink',
  'link',
  'rename',
  'unlink',
  'rmdir',
  'removeTree',
  'chmod',
  'lchown',
  'lutimes',
  'getXattrs',
  'getXattr',
  'setXattr',
  'fsync',
  'syncfs',
  'lockFile',
] as const;

/** memoryFs with some methods replaced; `base` is the honest implementation underneath. */
function mutant(overrides: (base: Fs) => Partial<Fs>): () => { fs: Fs; root: string } {
  return () => {
    const base = memoryFs();
    const fs = { capabilities: base.capabilities } as Record<string, unknown>;
    for (const m of methods) fs[m] = (base[m] as (...args: unknown[]) => unknown).bind(base);
    Object.assign(fs, overrides(base));
    return { fs: fs as unknown as Fs, root: '/' };
  };
}

/**
 * Runs the suite in-process; returns the names of the failing tests. `only` picks the tests
 * to run by name (default all): the lock tests sleep, so other mutants skip them. With
 * `firstFailure`, stops at the first failing test (a mutant only has to fail one).
 */
async function failures(
  make: () => { fs: Fs; root: string },
  only: (name: string) => boolean = () => true,
  firstFailure = false,
): Promise<{ failed: string[]; total: number }> {
  const tests: [string, ConformanceTestFn][] = [];
  const prefix: string[] = [];
  const runner: ConformanceRunner = {
    describe: (name, fn) => {
      prefix.push(name);
      fn();
      prefix.pop();
    },
    it: Object.assign((name: string, fn: ConformanceTestFn) => tests.push([[...prefix, name].join(' > '), fn]), {
      skip: () => {},
    }),
    expect,
  };
  fileSystemConformance(make, runner, { privileged: true });
  const failed: string[] = [];
  for (const [name, fn] of tests) {
    if (!only(name)) continue;
    try {
      await fn();
    } catch {
      failed.push(name);
      if (firstFailure) break;
    }
  }
  return { failed, total: tests.length };
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const mutants: Record<string, (base: Fs) => Partial<Fs>> = {
  'lstat follows symlinks': (b) => ({ lstat: (p) => b.stat(p) }),
  'lstatIfExists swallows every error': (b) => ({ lstatIfExists: (p) => b.lstat(p).catch(() => undefined) }),
  'readdir follows a final symlink': (b) => ({
    readdir: async (p) => b.readdir((await b.lstat(p)).type === 'symlink' ? `${p}/` : p),
  }),
  'readFile follows symlinks': (b) => ({
    readFile: async (p) => {
      const st = await b.lstat(p);
      return st.type === 'symlink' ? b.readFile(`${p.slice(0, p.lastIndexOf('/'))}/${await b.readlink(p)}`) : b.readFile(p);
    },
  }),
  'readFile returns shared storage': (b) => {
    const cache = new Map<string, Uint8Array>();
    return {
      readFile: async (p) => {
        const hit = cache.get(p) ?? (await b.readFile(p));
        cache.set(p, hit);
        return hit;
      },
    };
  },
  'writeFile is not exclusive by default': (b) => ({
    writeFile: (p, d, o) => b.writeFile(p, d, { exclusive: false, ...o }),
  }),
  'writeFile with exclusive: false writes through symlinks': (b) => ({
    writeFile: async (p, d, o) => {
      const st = await b.lstatIfExists(p);
      if (o?.exclusive === false && st?.type === 'symlink') {
        return b.writeFile(`${p.slice(0, p.lastIndexOf('/'))}/${await b.readlink(p)}`, d, o);
      }
      return b.writeFile(p, d, o);
    },
  }),
  'openWrite is not exclusive by default': (b) => ({ openWrite: (p, o) => b.openWrite(p, { exclusive: false, ...o }) }),
  'readChunks yields an empty chunk for empty files': (b) => ({
    readChunks: async function* (p, size) {
      let any = false;
      for await (const c of b.readChunks(p, size)) {
        any = true;
        yield c;
      }
      if (!any) yield new Uint8Array(0);
    },
  }),
  'readChunks reuses one buffer': (b) => ({
    readChunks: async function* (p, size) {
      const shared = new Uint8Array(size ?? 65536);
      for await (const c of b.readChunks(p, size)) {
        shared.set(c);
        yield shared.subarray(0, c.length);
      }
    },
  }),
  'readChunks ignores chunkSize': (b) => ({ readChunks: (p) => b.readChunks(p) }),
  'openRead reads fail past the end': (b) => ({
    openRead: async (p) => {
      const h = await b.openRead(p);
      return {
        ...h,
        read: async (buf, off, len, pos) => {
          if (pos >= (await h.stat()).size) throw Object.assign(new Error('EOF'), { code: 'EINVAL' });
          return h.read(buf, off, len, pos);
        },
      };
    },
  }),
  'rename ignores noReplace': (b) => ({ rename: (f, t) => b.rename(f, t) }),
  'noReplace rename is check-then-act': (b) => ({
    rename: async (f, t, o) => {
      if (o?.noReplace) {
        if (await b.lstatIfExists(t)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
        await new Promise((r) => setTimeout(r, 1));
      }
      return b.rename(f, t);
    },
  }),
  'link copies instead of sharing the inode': (b) => ({
    link: async (from, to) => b.writeFile(to, await b.readFile(from)),
  }),
  'removeTree follows symlinks': (b) => ({
    removeTree: async function rm(p: string): Promise<void> {
      const st = await b.stat(p).catch(() => undefined);
      if (st === undefined) return b.removeTree(p);
      if (st.type === 'directory') {
        for (const n of await b.readdir(`${p}/`)) await rm(`${p}/${n}`);
        if ((await b.lstat(p)).type === 'directory') return b.rmdir(p);
        return b.unlink(p);
      }
      await b.unlink(p);
    },
  }),
  'removeTree fails on missing paths': (b) => ({
    removeTree: async (p) => {
      await b.lstat(p);
      return b.removeTree(p);
    },
  }),
  'chmod follows symlinks': (b) => ({
    chmod: async (p, m) => {
      const st = await b.lstat(p);
      if (st.type !== 'symlink') return b.chmod(p, m);
      return b.chmod(`${p.slice(0, p.lastIndexOf('/'))}/${await b.readlink(p)}`, m);
    },
  }),
  'lchown follows symlinks': (b) => ({
    lchown: async (p, u, g) => {
      const st = await b.lstat(p);
      if (st.type !== 'symlink') return b.lchown(p, u, g);
      return b.lchown(`${p.slice(0, p.lastIndexOf('/'))}/${await b.readlink(p)}`, u, g);
    },
  }),
  'lchown does not clear setuid': (b) => ({
    lchown: async (p, u, g) => {
      const mode = (await b.lstat(p)).mode & 0o7777;
      await b.lchown(p, u, g);
      if ((await b.lstat(p)).type !== 'symlink') await b.chmod(p, mode);
    },
  }),
  'lutimes ignores symlinks': (b) => ({
    lutimes: async (p, a, m) => {
      if ((await b.lstat(p)).type === 'symlink') return;
      return b.lutimes(p, a, m);
    },
  }),
  'getXattrs reads through symlinks': (b) => ({
    getXattrs: async (p): Promise<FsXattr[]> => {
      const st = await b.lstat(p);
      return st.type === 'symlink' ? b.getXattrs(`${p.slice(0, p.lastIndexOf('/'))}/${await b.readlink(p)}`) : b.getXattrs(p);
    },
  }),
  'getXattr reports absent attributes as empty values': (b) => ({
    getXattr: async (p, n) => (await b.getXattr(p, n)) ?? new Uint8Array(0),
  }),
  'setXattr drops NUL bytes': (b) => ({
    setXattr: (p, n, v) => b.setXattr(p, n, v.filter((x) => x !== 0)),
  }),
  'setXattr silently ignores symlinks': (b) => ({
    setXattr: async (p, n, v) => {
      if ((await b.lstat(p)).type === 'symlink' && n.startsWith('user.')) return;
      return b.setXattr(p, n, v);
    },
  }),
  'errors without errno codes': (b) => ({
    lstat: (p) => b.lstat(p).catch(() => Promise.reject(new Error('failed'))),
  }),
  'fsync follows symlinks': (b) => ({ fsync: async (p) => void (await b.stat(p)) }),
  'mkdir recursive fails on existing directories': (b) => ({
    mkdir: async (p, o) => {
      if (o?.recursive && (await b.lstatIfExists(p))) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
      return b.mkdir(p, o);
    },
  }),
  'lockFile takes every lock shared': (b) => ({ lockFile: (p, _k, o) => b.lockFile(p, 'shared', o) }),
  'lockFile takes every lock exclusive': (b) => ({ lockFile: (p, _k, o) => b.lockFile(p, 'exclusive', o) }),
  'lockFile ignores waitMs': (b) => ({ lockFile: (p, k) => b.lockFile(p, k) }),
  'lockFile locks per process, like classic F_SETLK locks': (b) => {
    // A second lock by the same process on a file it already locked succeeds at once.
    const mine = new Map<string, number>();
    return {
      lockFile: async (p, k, o) => {
        const n = mine.get(p) ?? 0;
        const inner = n > 0 ? undefined : await b.lockFile(p, k, o);
        mine.set(p, n + 1);
        return {
          release: async () => {
            const left = (mine.get(p) ?? 1) - 1;
            mine.set(p, left);
            if (inner !== undefined) await inner.release();
          },
        };
      },
    };
  },
  'lockFile release does nothing': (b) => ({
    lockFile: async (p, k, o) => {
      await b.lockFile(p, k, o);
      return { release: async () => {} };
    },
  }),
  'lockFile polls with a busy loop': (b) => ({
    lockFile: async (p, k, o) => {
      const end = Date.now() + (o?.waitMs ?? 0);
      for (;;) {
        try {
          return await b.lockFile(p, k);
        } catch (e) {
          if (Date.now() >= end) throw e;
          while (Date.now() < Math.min(end, Date.now() + 5)); // blocks the event loop
        }
      }
    },
  }),
  'lockFile follows symlinks': (b) => ({
    lockFile: async (p, k, o) => {
      const st = await b.lstatIfExists(p);
      if (st?.type !== 'symlink') return b.lockFile(p, k, o);
      return b.lockFile(`${p.slice(0, p.lastIndexOf('/'))}/${await b.readlink(p)}`, k, o);
    },
  }),
  'lockFile creates the file with mode 0o644': (b) => ({
    lockFile: async (p, k, o) => {
      if ((await b.lstatIfExists(p)) === undefined) await b.writeFile(p, new Uint8Array(0));
      return b.lockFile(p, k, o);
    },
  }),
  'lockFile truncates an existing file': (b) => ({
    lockFile: async (p, k, o) => {
      const l = await b.lockFile(p, k, o);
      await b.writeFile(p, new Uint8Array(0), { exclusive: false });
      return l;
    },
  }),
  'lockFile release is not idempotent': (b) => ({
    lockFile: async (p, k, o) => {
      const l = await b.lockFile(p, k, o);
      let released = false;
      return {
        release: async () => {
          if (released) throw Object.assign(new Error('already released'), { code: 'EBADF' });
          released = true;
          await l.release();
        },
      };
    },
  }),
  'unlink removes directories': (b) => ({
    unlink: async (p) => ((await b.lstat(p)).type === 'directory' ? b.rmdir(p) : b.unlink(p)),
  }),
};

describe('the conformance suite', () => {
  it('passes on memoryFs, with no test skipped when privileged', async () => {
    const { failed, total } = await failures(mutant(() => ({})));
    expect(failed).toEqual([]);
    expect(total).toBeGreaterThan(100);
  });

  const isLockTest = (test: string): boolean => test.includes(' > lockFile > ');
  for (const [name, overrides] of Object.entries(mutants)) {
    it(`catches an adapter where ${name}`, async () => {
      const lockMutant = name.startsWith('lockFile');
      const { failed } = await failures(mutant(overrides), (test) => isLockTest(test) === lockMutant, true);
      expect(failed.length).toBeGreaterThan(0);
    });
  }

  it('exercises the mutants on content too (sanity check of the harness)', async () => {
    const make = mutant((b) => ({ writeFile: (p, d, o) => b.writeFile(p, d.length > 0 ? enc('corrupt') : d, o) }));
    const { failed } = await failures(make, (test) => !isLockTest(test));
    expect(failed.length).toBeGreaterThan(10);
  });
});
