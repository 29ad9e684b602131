/**
 * A conformance suite for {@link Fs} implementations, exported as a function so that every
 * adapter runs the same checks with its own test runner (vitest, jest, node:test, mocha…):
 *
 * ```ts
 * import { describe, it, expect } from 'vitest';
 * import { fileSystemConformance } from '@ostree-ts/io/conformance';
 * fileSystemConformance(async () => ({ fs: myFs(), root: '/tmp/x', cleanup: … }), { describe, it, expect }, { privileged: true });
 * ```
 *
 * The expected behaviour is Linux's (ext4) as seen through the interface's rules: nothing
 * but `stat`, `syncfs` and intermediate path components follows a symlink, files are
 * created exclusively by default, errors carry errno names in `code`.
 * @module
 */
import type { FileLock, Fs, LockKind, Stat } from './fs.js';
import { utf8Encode } from './utf8.js';

/** A fresh, empty directory on the filesystem under test. */
export interface ConformanceTarget {
  readonly fs: Fs;
  /** Absolute path of an existing, empty directory the test may use freely. */
  readonly root: string;
  /** Called after the test, pass or fail (e.g. to remove a temporary directory). */
  readonly cleanup?: () => void | Promise<void>;
}

/** Makes a new target for every test. */
export type ConformanceFactory = () => ConformanceTarget | Promise<ConformanceTarget>;

/** A test body. */
export type ConformanceTestFn = () => void | Promise<void>;

/** The subset of an assertion library the suite uses (vitest's and jest's `expect` fit). */
export type ConformanceExpect = (actual: unknown) => {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
};

/** The test-runner functions the suite registers its tests with. */
export interface ConformanceRunner {
  describe(name: string, fn: () => void): void;
  it: {
    (name: string, fn: ConformanceTestFn): void;
    /** Used only for the ownership tests when `privileged` is false. */
    skip(name: string, fn: ConformanceTestFn): void;
  };
  expect: ConformanceExpect;
}

/** Options of {@link fileSystemConformance}. */
export interface ConformanceOptions {
  /** Title of the outer `describe` (default `'Fs conformance'`). */
  readonly name?: string;
  /**
   * The caller is privileged (root): it may give files any owner and set `trusted.*`
   * attributes, and `fs.capabilities.chown` must be true. When false, the tests that need
   * this are registered with `it.skip` and a test checks that changing an owner fails
   * with `EPERM` instead.
   */
  readonly privileged: boolean;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** Test helpers bound to one target. */
interface Ctx {
  readonly fs: Fs;
  readonly root: string;
  /** Absolute path of `rel` under the root. */
  p(rel: string): string;
  /** Writes a file under the root. */
  put(rel: string, content: string | Uint8Array, mode?: number): Promise<void>;
  /** Expects the file `rel` to hold `content`. */
  has(rel: string, content: string | Uint8Array): Promise<void>;
  /** Expects `action` to reject with errno `code`. */
  fails(code: string, action: () => unknown): Promise<void>;
  /** Expects two byte arrays to be equal (compact failure message). */
  same(actual: Uint8Array, expected: Uint8Array | string): void;
  is(actual: unknown, expected: unknown): void;
  eq(actual: unknown, expected: unknown): void;
  gone(rel: string): Promise<void>;
}

function toBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? utf8Encode(content) : content;
}

function sequence(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 + 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of it) out.push(chunk);
  return out;
}

/** '' if equal, else a short description of the first difference. */
function diffBytes(a: Uint8Array, b: Uint8Array): string {
  if (!(a instanceof Uint8Array)) return `not a Uint8Array: ${Object.prototype.toString.call(a)}`;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return `byte ${i} is ${a[i]}, expected ${b[i]} (lengths ${a.length}/${b.length})`;
  }
  return a.length === b.length ? '' : `length ${a.length}, expected ${b.length}`;
}

async function errorCode(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : `error without code: ${String(e)}`;
  }
  return 'no error';
}

function perm(st: Stat): number {
  return st.mode & 0o7777;
}

/**
 * Registers the conformance tests for the `Fs` made by `makeFs` with the given runner.
 * Each test calls `makeFs()` for a fresh target and `cleanup()` afterwards. Capabilities
 * the filesystem reports as absent (`xattrs`, `hardlinks`) are checked to fail with the
 * documented errno (`ENOTSUP`, `EPERM`) instead.
 */
export function fileSystemConformance(
  makeFs: ConformanceFactory,
  runner: ConformanceRunner,
  options: ConformanceOptions,
): void {
  const { describe, it, expect } = runner;
  const privileged = options.privileged;

  const ctxFor = (target: ConformanceTarget): Ctx => {
    const { fs, root } = target;
    const base = root.endsWith('/') ? root.slice(0, -1) : root;
    const p = (rel: string): string => (rel === '' ? base || '/' : `${base}/${rel}`);
    const same = (actual: Uint8Array, expected: Uint8Array | string): void => {
      expect(diffBytes(actual, toBytes(expected))).toBe('');
    };
    return {
      fs,
      root,
      p,
      put: (rel, content, mode) =>
        fs.writeFile(p(rel), toBytes(content), mode === undefined ? undefined : { mode }),
      has: async (rel, content) => same(await fs.readFile(p(rel)), content),
      fails: async (code, action) => expect(await errorCode(action)).toBe(code),
      same,
      is: (a, b) => expect(a).toBe(b),
      eq: (a, b) => expect(a).toEqual(b),
      gone: async (rel) => expect(await fs.lstatIfExists(p(rel))).toBe(undefined),
    };
  };

  const test = (name: string, body: (c: Ctx) => Promise<void>, skip = false): void => {
    (skip ? it.skip : it)(name, async () => {
      const target = await makeFs();
      try {
        await body(ctxFor(target));
      } finally {
        await target.cleanup?.();
      }
    });
  };

  /** A test of an optional capability: when absent, checks the documented failure instead. */
  const xattrTest = (name: string, body: (c: Ctx) => Promise<void>, skip = false): void =>
    test(
      name,
      async (c) => {
        if (c.fs.capabilities.xattrs) return body(c);
        await c.put('f', 'x');
        await c.fails('ENOTSUP', () => c.fs.setXattr(c.p('f'), 'user.a', new Uint8Array([1])));
        await c.fails('ENOTSUP', () => c.fs.getXattr(c.p('f'), 'user.a'));
        await c.fails('ENOTSUP', () => c.fs.getXattrs(c.p('f')));
      },
      skip,
    );
  /** A lock test: without the `locks` capability, checks that lockFile is ENOTSUP and creates nothing. */
  const lockTest = (name: string, body: (c: Ctx) => Promise<void>): void =>
    test(name, async (c) => {
      if (c.fs.capabilities.locks) return body(c);
      await c.fails('ENOTSUP', () => c.fs.lockFile(c.p('lock'), 'shared'));
      await c.fails('ENOTSUP', () => c.fs.lockFile(c.p('lock'), 'exclusive', { waitMs: 10 }));
      await c.gone('lock');
    });
  const linkTest = (name: string, body: (c: Ctx) => Promise<void>): void =>
    test(name, async (c) => {
      if (c.fs.capabilities.hardlinks) return body(c);
      await c.put('f', 'x');
      await c.fails('EPERM', () => c.fs.link(c.p('f'), c.p('g')));
      await c.gone('g');
    });

  describe(options.name ?? 'Fs conformance', () => {
    describe('capabilities', () => {
      test('are five booleans; chown matches the privileged option', async ({ fs, is }) => {
        for (const key of ['xattrs', 'chown', 'hardlinks', 'atomicNoReplace', 'locks'] as const) {
          is(typeof fs.capabilities[key], 'boolean');
        }
        is(fs.capabilities.chown, privileged);
      });
    });

    describe('lstat, stat, lstatIfExists', () => {
      test('lstat of a regular file', async ({ fs, p, put, is }) => {
        await put('f', 'abc');
        await fs.chmod(p('f'), 0o640);
        const st = await fs.lstat(p('f'));
        is(st.type, 'file');
        is(st.mode & S_IFMT, S_IFREG);
        is(perm(st), 0o640);
        is(st.size, 3);
        is(st.nlink, 1);
        is(Number.isInteger(st.uid) && Number.isInteger(st.gid), true);
        is(typeof st.dev, 'bigint');
        is(typeof st.ino, 'bigint');
        is(Number.isFinite(st.mtimeMs), true);
      });

      test('lstat of directories, including the root', async ({ fs, p, is }) => {
        await fs.mkdir(p('d'));
        for (const path of [p('d'), p('')]) {
          const st = await fs.lstat(path);
          is(st.type, 'directory');
          is(st.mode & S_IFMT, S_IFDIR);
        }
      });

      test('lstat does not follow a symlink, stat does', async ({ fs, p, put, is }) => {
        await put('fïle', 'abcdef');
        await fs.symlink('fïle', p('l'));
        const l = await fs.lstat(p('l'));
        is(l.type, 'symlink');
        is(l.mode & S_IFMT, S_IFLNK);
        is(l.size, 5); // bytes of the target in UTF-8
        const s = await fs.stat(p('l'));
        is(s.type, 'file');
        is(s.size, 6);
        is(s.ino, (await fs.lstat(p('fïle'))).ino);
      });

      test('stat follows chains of relative and absolute symlinks', async ({ fs, p, put, is }) => {
        await put('f', 'x');
        await fs.symlink(p('f'), p('l2'));
        await fs.symlink('l2', p('l1'));
        is((await fs.stat(p('l1'))).ino, (await fs.lstat(p('f'))).ino);
        is((await fs.lstat(p('l1'))).type, 'symlink');
      });

      test('a dangling symlink: lstat works, stat is ENOENT', async ({ fs, p, is, fails }) => {
        await fs.symlink('nowhere', p('l'));
        is((await fs.lstat(p('l'))).type, 'symlink');
        await fails('ENOENT', () => fs.stat(p('l')));
      });

      test('ENOENT for missing paths, ENOTDIR for a file used as a directory', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        for (const op of [fs.lstat, fs.stat] as const) {
          await fails('ENOENT', () => op.call(fs, p('nope')));
          await fails('ENOENT', () => op.call(fs, p('nope/x')));
          await fails('ENOTDIR', () => op.call(fs, p('f/x')));
        }
      });

      test('lstatIfExists: undefined only for missing paths, never follows', async ({ fs, p, put, is, fails }) => {
        await put('f', 'x');
        await fs.symlink('f', p('l'));
        is(await fs.lstatIfExists(p('nope')), undefined);
        is(await fs.lstatIfExists(p('nope/deeper')), undefined);
        is((await fs.lstatIfExists(p('f')))?.type, 'file');
        is((await fs.lstatIfExists(p('l')))?.type, 'symlink');
        await fails('ENOTDIR', () => fs.lstatIfExists(p('f/x')));
      });

      test('a trailing slash follows a symlink and requires a directory', async ({ fs, p, put, is, fails }) => {
        await fs.mkdir(p('d'));
        await put('f', 'x');
        await fs.symlink('d', p('ld'));
        await fs.symlink('nowhere', p('dangling'));
        is((await fs.lstat(p('ld/'))).type, 'directory');
        is((await fs.lstat(p('ld/'))).ino, (await fs.lstat(p('d'))).ino);
        await fails('ENOTDIR', () => fs.lstat(p('f/')));
        await fails('ENOENT', () => fs.lstat(p('dangling/')));
      });

      test('symlink loops are ELOOP', async ({ fs, p, is, fails }) => {
        await fs.symlink('l2', p('l1'));
        await fs.symlink('l1', p('l2'));
        await fs.symlink('self', p('self'));
        is((await fs.lstat(p('l1'))).type, 'symlink');
        await fails('ELOOP', () => fs.stat(p('l1')));
        await fails('ELOOP', () => fs.stat(p('self')));
        await fails('ELOOP', () => fs.lstat(p('l1/x')));
        await fails('ELOOP', () => fs.readFile(p('self/x')));
      });

      test('long symlink chains are followed; 41 links are ELOOP', async ({ fs, p, put, is, fails }) => {
        await put('f', 'x');
        await fs.symlink('f', p('l0'));
        for (let i = 1; i <= 40; i++) await fs.symlink(`l${i - 1}`, p(`l${i}`));
        // Linux follows at most 40 links per lookup, counting any in the root path itself.
        is((await fs.stat(p('l29'))).type, 'file'); // 30 links
        await fails('ELOOP', () => fs.stat(p('l40'))); // 41 links
      });

      test('distinct files have distinct inode numbers on one device', async ({ fs, p, put, is }) => {
        await put('a', '1');
        await put('b', '1');
        await fs.mkdir(p('d'));
        const [a, b, d] = await Promise.all([fs.lstat(p('a')), fs.lstat(p('b')), fs.lstat(p('d'))]);
        is(new Set([a.ino, b.ino, d.ino]).size, 3);
        is(a.dev === b.dev && b.dev === d.dev, true);
      });

      test('names longer than 255 bytes are ENAMETOOLONG', async ({ fs, p, put, fails }) => {
        const long = 'é'.repeat(128); // 256 bytes
        await fails('ENAMETOOLONG', () => fs.lstat(p(long)));
        await fails('ENAMETOOLONG', () => put(long, 'x'));
        await put('é'.repeat(127), 'x'); // 254 bytes is fine
      });
    });

    describe('path resolution', () => {
      test('intermediate symlinks are followed, relative and absolute', async ({ fs, p, put, has, is }) => {
        await fs.mkdir(p('d'));
        await put('d/x', 'in d');
        await fs.symlink('d', p('rel'));
        await fs.symlink(p('d'), p('abs'));
        await has('rel/x', 'in d');
        await has('abs/x', 'in d');
        await put('rel/y', 'via rel');
        await has('d/y', 'via rel');
        await fs.mkdir(p('abs/sub'));
        is((await fs.lstat(p('d/sub'))).type, 'directory');
        await fs.unlink(p('rel/y'));
        is(await fs.lstatIfExists(p('d/y')), undefined);
      });

      test('".." after a symlink is the physical parent, not a lexical one', async ({ fs, p, put, has }) => {
        await fs.mkdir(p('a/b'), { recursive: true });
        await put('c', 'top');
        await put('a/c', 'inner');
        await fs.symlink('a/b', p('l'));
        await fs.symlink(p('a/b'), p('abs'));
        await has('l/../c', 'inner');
        await has('abs/../c', 'inner');
        await has('a/b/../c', 'inner');
      });

      test('"." and repeated slashes are ignored', async ({ fs, p, put, has, is }) => {
        await fs.mkdir(p('d'));
        await put('d/x', 'x');
        await has('/d/./x', 'x');
        await has('d//x', 'x');
        await has('./d/../d/x', 'x');
        is((await fs.lstat(`${p('d')}/.`)).ino, (await fs.lstat(p('d'))).ino);
      });
    });

    describe('readdir', () => {
      test('lists every kind of entry, without . and ..', async ({ fs, p, put, eq }) => {
        await fs.mkdir(p('d'));
        await put('d/file', 'x');
        await fs.mkdir(p('d/sub'));
        await fs.symlink('file', p('d/link'));
        await fs.symlink('nowhere', p('d/dangling'));
        if (fs.capabilities.hardlinks) await fs.link(p('d/file'), p('d/hard'));
        const expected = ['dangling', 'file', 'link', 'sub', ...(fs.capabilities.hardlinks ? ['hard'] : [])].sort();
        eq((await fs.readdir(p('d'))).sort(), expected);
      });

      test('an empty directory lists nothing', async ({ fs, p, eq }) => {
        await fs.mkdir(p('d'));
        eq(await fs.readdir(p('d')), []);
      });

      test('ENOENT, ENOTDIR for files and for symlinks (not followed)', async ({ fs, p, put, eq, fails }) => {
        await fs.mkdir(p('d'));
        await put('d/x', '');
        await put('f', '');
        await fs.symlink('d', p('ld'));
        await fails('ENOENT', () => fs.readdir(p('nope')));
        await fails('ENOTDIR', () => fs.readdir(p('f')));
        await fails('ENOTDIR', () => fs.readdir(p('ld')));
        eq(await fs.readdir(p('ld/')), ['x']); // a trailing slash asks to follow
      });

      test('non-ASCII and odd names round-trip', async ({ fs, p, put, eq }) => {
        const names = ['é', '日本語', 'a b', 'back\\slash', '-dash', '.hidden', '..dots', 'emoji😀', 'x'.repeat(255)];
        await fs.mkdir(p('d'));
        for (const n of names) await put(`d/${n}`, n);
        eq((await fs.readdir(p('d'))).sort(), [...names].sort());
      });
    });

    describe('readFile', () => {
      test('round-trips all byte values and empty files', async ({ fs, p, same, is }) => {
        const all = Uint8Array.from({ length: 256 }, (_, i) => i);
        await fs.writeFile(p('all'), all);
        await fs.writeFile(p('empty'), new Uint8Array(0));
        same(await fs.readFile(p('all')), all);
        const empty = await fs.readFile(p('empty'));
        is(empty instanceof Uint8Array, true);
        is(empty.length, 0);
        is((await fs.lstat(p('empty'))).size, 0);
      });

      test('results are independent copies', async ({ fs, p, same }) => {
        const data = new Uint8Array([1, 2, 3]);
        await fs.writeFile(p('f'), data);
        data[0] = 99;
        const read = await fs.readFile(p('f'));
        same(read, new Uint8Array([1, 2, 3]));
        read[1] = 99;
        same(await fs.readFile(p('f')), new Uint8Array([1, 2, 3]));
      });

      test('ELOOP for a symlink (never followed), EISDIR, ENOENT', async ({ fs, p, put, fails }) => {
        await put('f', 'secret');
        await fs.symlink('f', p('l'));
        await fs.mkdir(p('d'));
        await fails('ELOOP', () => fs.readFile(p('l')));
        await fails('EISDIR', () => fs.readFile(p('d')));
        await fails('ENOENT', () => fs.readFile(p('nope')));
      });

      test('a 1 MiB file', async ({ fs, p, same }) => {
        const data = sequence(1 << 20, 1);
        await fs.writeFile(p('big'), data);
        same(await fs.readFile(p('big')), data);
      });
    });

    describe('readChunks', () => {
      test('chunks are non-empty, at most chunkSize, and add up to the file', async ({ fs, p, same, is }) => {
        for (const size of [1, 999, 1000, 1001, 3005]) {
          const data = sequence(size, size);
          await fs.writeFile(p(`f${size}`), data);
          const chunks = await collect(fs.readChunks(p(`f${size}`), 1000));
          for (const c of chunks) is(c.length > 0 && c.length <= 1000, true);
          is(chunks.length >= Math.ceil(size / 1000), true);
          same(concat(chunks), data);
        }
      });

      test('the default chunk size is at most 64 KiB', async ({ fs, p, same, is }) => {
        const data = sequence(200_000, 7);
        await fs.writeFile(p('f'), data);
        const chunks = await collect(fs.readChunks(p('f')));
        for (const c of chunks) is(c.length > 0 && c.length <= 65536, true);
        same(concat(chunks), data);
      });

      test('an empty file yields no chunks', async ({ fs, p, eq }) => {
        await fs.writeFile(p('e'), new Uint8Array(0));
        eq(await collect(fs.readChunks(p('e'))), []);
      });

      test('chunks are fresh buffers the consumer may keep and modify', async ({ fs, p, same }) => {
        const data = sequence(10_000, 3);
        await fs.writeFile(p('f'), data);
        const kept: Uint8Array[] = [];
        for await (const c of fs.readChunks(p('f'), 1024)) kept.push(c); // no copies taken
        same(concat(kept), data); // a reused buffer would have overwritten earlier chunks
        for (const c of kept) c.fill(0xee);
        same(concat(await collect(fs.readChunks(p('f'), 1024))), data);
        same(await fs.readFile(p('f')), data);
      });

      test('errors surface when iterating: ENOENT, ELOOP, EISDIR, EINVAL', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fs.symlink('f', p('l'));
        await fs.mkdir(p('d'));
        await fails('ENOENT', () => collect(fs.readChunks(p('nope'))));
        await fails('ELOOP', () => collect(fs.readChunks(p('l'))));
        await fails('EISDIR', () => collect(fs.readChunks(p('d'))));
        await fails('EINVAL', () => collect(fs.readChunks(p('f'), 0)));
      });

      test('stopping early releases the file', async ({ fs, p, same, gone }) => {
        const data = sequence(5000, 9);
        await fs.writeFile(p('f'), data);
        for (let i = 0; i < 3; i++) {
          for await (const c of fs.readChunks(p('f'), 100)) {
            same(c, data.subarray(0, 100));
            break;
          }
        }
        await fs.removeTree(p('f'));
        await gone('f');
      });
    });

    describe('openRead', () => {
      test('positional reads, straddling and past the end', async ({ fs, p, is, eq }) => {
        const data = Uint8Array.from({ length: 100 }, (_, i) => i);
        await fs.writeFile(p('f'), data);
        const h = await fs.openRead(p('f'));
        try {
          const buf = new Uint8Array(20);
          is(await h.read(buf, 0, 10, 0), 10);
          eq([...buf.subarray(0, 10)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
          is(await h.read(buf, 5, 10, 95), 5);
          eq([...buf.subarray(5, 10)], [95, 96, 97, 98, 99]);
          is(await h.read(buf, 0, 10, 50), 10);
          is(buf[0], 50);
          is(await h.read(buf, 0, 10, 100), 0);
          is(await h.read(buf, 0, 10, 1_000_000), 0);
          is(await h.read(buf, 0, 0, 0), 0);
        } finally {
          await h.close();
        }
      });

      test('stat() describes the open file', async ({ fs, p, put, is }) => {
        await put('f', 'hello');
        const h = await fs.openRead(p('f'));
        try {
          const st = await h.stat();
          is(st.type, 'file');
          is(st.size, 5);
          is(st.ino, (await fs.lstat(p('f'))).ino);
        } finally {
          await h.close();
        }
      });

      test('an open file stays readable after unlink', async ({ fs, p, put, is }) => {
        await put('f', 'still here');
        const h = await fs.openRead(p('f'));
        try {
          await fs.unlink(p('f'));
          const buf = new Uint8Array(32);
          is(await h.read(buf, 0, 32, 0), 10);
        } finally {
          await h.close();
        }
      });

      test('reads after close are EBADF', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        const h = await fs.openRead(p('f'));
        await h.close();
        await fails('EBADF', () => h.read(new Uint8Array(1), 0, 1, 0));
      });

      test('ELOOP for a symlink, ENOENT', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fs.symlink('f', p('l'));
        await fails('ELOOP', () => fs.openRead(p('l')));
        await fails('ENOENT', () => fs.openRead(p('nope')));
      });

      test('EINVAL when the range does not fit the buffer', async ({ fs, p, put, fails }) => {
        await put('f', 'abcdef');
        const h = await fs.openRead(p('f'));
        try {
          await fails('EINVAL', () => h.read(new Uint8Array(4), 2, 4, 0));
          await fails('EINVAL', () => h.read(new Uint8Array(4), 0, 4, -1));
        } finally {
          await h.close();
        }
      });
    });

    describe('writeFile', () => {
      test('exclusive by default: EEXIST leaves the file alone', async ({ fs, p, put, has, fails }) => {
        await put('f', 'original');
        await fails('EEXIST', () => put('f', 'clobbered'));
        await has('f', 'original');
      });

      test('exclusive creation refuses a dangling symlink and creates nothing through it', async (c) => {
        await c.fs.symlink(c.p('target'), c.p('l'));
        await c.fails('EEXIST', () => c.put('l', 'x'));
        await c.gone('target');
      });

      test('exclusive: false truncates in place, keeping inode and mode', async ({ fs, p, put, has, is }) => {
        await put('f', 'a long original text', 0o600);
        await fs.chmod(p('f'), 0o640);
        const before = await fs.lstat(p('f'));
        await fs.writeFile(p('f'), utf8Encode('short'), { exclusive: false, mode: 0o600 });
        await has('f', 'short');
        const after = await fs.lstat(p('f'));
        is(after.ino, before.ino);
        is(perm(after), 0o640);
        is(after.size, 5);
      });

      test('exclusive: false never writes through a symlink (ELOOP)', async (c) => {
        await c.put('f', 'precious');
        await c.fs.symlink('f', c.p('l'));
        await c.fs.symlink('newtarget', c.p('dangling'));
        await c.fails('ELOOP', () => c.fs.writeFile(c.p('l'), utf8Encode('x'), { exclusive: false }));
        await c.fails('ELOOP', () => c.fs.writeFile(c.p('dangling'), utf8Encode('x'), { exclusive: false }));
        await c.has('f', 'precious');
        await c.gone('newtarget');
      });

      test('EISDIR for directories and trailing slashes; ENOENT, ENOTDIR for bad parents', async (c) => {
        await c.fs.mkdir(c.p('d'));
        await c.put('f', 'x');
        await c.fails('EISDIR', () => c.fs.writeFile(c.p('d'), utf8Encode('x'), { exclusive: false }));
        await c.fails('EEXIST', () => c.put('d', 'x'));
        await c.fails('EISDIR', () => c.put('new/', 'x'));
        await c.fails('ENOENT', () => c.put('nope/x', 'x'));
        await c.fails('ENOTDIR', () => c.put('f/x', 'x'));
      });

      test('mode sets the permission bits of new files (after umask)', async ({ fs, p, put, is }) => {
        await put('a', 'x', 0o600);
        await put('b', 'x', 0o700);
        await put('c', 'x');
        is(perm(await fs.lstat(p('a'))), 0o600);
        is(perm(await fs.lstat(p('b'))), 0o700);
        const c = perm(await fs.lstat(p('c'))); // default 0o644 & ~umask
        is(c & 0o700, 0o600);
        is(c & 0o133, 0);
      });
    });

    describe('openWrite', () => {
      test('sequential writes, sync, close', async ({ fs, p, has }) => {
        const h = await fs.openWrite(p('f'));
        await h.write(utf8Encode('hello, '));
        await h.write(new Uint8Array(0));
        await h.write(utf8Encode('world'));
        await h.sync();
        await h.close();
        await has('f', 'hello, world');
      });

      test('large writes', async ({ fs, p, same }) => {
        const data = sequence(3 << 20, 5);
        const h = await fs.openWrite(p('f'));
        await h.write(data.subarray(0, 1 << 20));
        await h.write(data.subarray(1 << 20));
        await h.close();
        same(await fs.readFile(p('f')), data);
      });

      test('exclusive by default; exclusive: false truncates', async ({ fs, p, put, has, fails }) => {
        await put('f', 'original content');
        await fails('EEXIST', () => fs.openWrite(p('f')));
        await has('f', 'original content');
        const h = await fs.openWrite(p('f'), { exclusive: false });
        await h.write(utf8Encode('new'));
        await h.close();
        await has('f', 'new');
      });

      test('writes after close are EBADF', async ({ fs, p, fails }) => {
        const h = await fs.openWrite(p('f'));
        await h.close();
        await fails('EBADF', () => h.write(utf8Encode('x')));
      });

      test('never opens through a symlink', async (c) => {
        await c.put('f', 'precious');
        await c.fs.symlink('f', c.p('l'));
        await c.fails('EEXIST', () => c.fs.openWrite(c.p('l')));
        await c.fails('ELOOP', () => c.fs.openWrite(c.p('l'), { exclusive: false }));
        await c.has('f', 'precious');
      });

      test('mode', async ({ fs, p, is }) => {
        await (await fs.openWrite(p('f'), { mode: 0o700 })).close();
        is(perm(await fs.lstat(p('f'))), 0o700);
      });
    });

    describe('mkdir', () => {
      test('creates a directory with the given mode (after umask)', async ({ fs, p, is }) => {
        await fs.mkdir(p('a'), { mode: 0o700 });
        await fs.mkdir(p('b'));
        is(perm(await fs.lstat(p('a'))), 0o700);
        is(perm(await fs.lstat(p('b'))) & 0o700, 0o700);
        is((await fs.lstat(p('b'))).type, 'directory');
      });

      test('EEXIST for anything that exists; symlinks are never followed', async (c) => {
        await c.fs.mkdir(c.p('d'));
        await c.put('f', 'x');
        await c.fs.symlink('d', c.p('ld'));
        await c.fs.symlink('nowhere', c.p('dangling'));
        for (const name of ['d', 'f', 'ld', 'dangling']) await c.fails('EEXIST', () => c.fs.mkdir(c.p(name)));
        await c.gone('nowhere');
      });

      test('ENOENT for a missing parent, ENOTDIR for a file parent', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fails('ENOENT', () => fs.mkdir(p('nope/x')));
        await fails('ENOTDIR', () => fs.mkdir(p('f/x')));
      });

      test('recursive creates parents and accepts existing directories', async ({ fs, p, is }) => {
        await fs.mkdir(p('a/b/c'), { recursive: true, mode: 0o700 });
        await fs.mkdir(p('a/b/c'), { recursive: true });
        await fs.mkdir(p('a'), { recursive: true });
        is((await fs.lstat(p('a/b/c'))).type, 'directory');
        is(perm(await fs.lstat(p('a'))), 0o700);
        is(perm(await fs.lstat(p('a/b'))), 0o700);
      });

      test('recursive: EEXIST for an existing non-directory, ENOTDIR through a file', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fails('EEXIST', () => fs.mkdir(p('f'), { recursive: true }));
        await fails('ENOTDIR', () => fs.mkdir(p('f/x/y'), { recursive: true }));
      });

      test('recursive follows symlinks to directories', async ({ fs, p, is }) => {
        await fs.mkdir(p('d'));
        await fs.symlink('d', p('ld'));
        await fs.mkdir(p('ld/x/y'), { recursive: true });
        is((await fs.lstat(p('d/x/y'))).type, 'directory');
        await fs.mkdir(p('ld'), { recursive: true });
        is((await fs.lstat(p('ld'))).type, 'symlink');
      });
    });

    describe('symlink, readlink', () => {
      test('readlink returns the target verbatim', async ({ fs, p, is }) => {
        const targets = ['rel', '../up/x', '/abs/path', 'with space', 'a//b/./c/', 'ünï', '.'];
        for (const [i, t] of targets.entries()) {
          await fs.symlink(t, p(`l${i}`));
          is(await fs.readlink(p(`l${i}`)), t);
        }
      });

      test('symlink: EEXIST for existing paths (dangling links too), ENOENT for an empty target or missing parent', async (c) => {
        await c.put('f', 'x');
        await c.fs.symlink('nowhere', c.p('dangling'));
        await c.fails('EEXIST', () => c.fs.symlink('x', c.p('f')));
        await c.fails('EEXIST', () => c.fs.symlink('x', c.p('dangling')));
        await c.fails('ENOENT', () => c.fs.symlink('', c.p('empty')));
        await c.fails('ENOENT', () => c.fs.symlink('x', c.p('nope/l')));
        await c.has('f', 'x');
      });

      test('readlink: EINVAL for non-symlinks, ENOENT, never follows', async ({ fs, p, put, is, fails }) => {
        await put('f', 'x');
        await fs.mkdir(p('d'));
        await fs.symlink('f', p('l1'));
        await fs.symlink('l1', p('l2'));
        is(await fs.readlink(p('l2')), 'l1');
        await fails('EINVAL', () => fs.readlink(p('f')));
        await fails('EINVAL', () => fs.readlink(p('d')));
        await fails('ENOENT', () => fs.readlink(p('nope')));
      });
    });

    describe('link', () => {
      linkTest('hard links share one inode', async ({ fs, p, put, has, is }) => {
        await put('a', 'shared');
        await fs.link(p('a'), p('b'));
        const [a, b] = [await fs.lstat(p('a')), await fs.lstat(p('b'))];
        is(a.ino, b.ino);
        is(a.dev, b.dev);
        is(a.nlink, 2);
        is(b.nlink, 2);
        await has('b', 'shared');
        await fs.writeFile(p('a'), utf8Encode('changed'), { exclusive: false });
        await has('b', 'changed');
        await fs.chmod(p('b'), 0o600);
        is(perm(await fs.lstat(p('a'))), 0o600);
      });

      linkTest('unlinking one name keeps the other', async ({ fs, p, put, has, is }) => {
        await put('a', 'data');
        await fs.link(p('a'), p('b'));
        await fs.link(p('a'), p('c'));
        is((await fs.lstat(p('a'))).nlink, 3);
        await fs.unlink(p('a'));
        is((await fs.lstat(p('b'))).nlink, 2);
        await has('c', 'data');
      });

      linkTest('EEXIST, ENOENT, EPERM for directories', async ({ fs, p, put, fails }) => {
        await put('a', 'x');
        await put('b', 'y');
        await fs.mkdir(p('d'));
        await fs.symlink('nowhere', p('dangling'));
        await fails('EEXIST', () => fs.link(p('a'), p('b')));
        await fails('EEXIST', () => fs.link(p('a'), p('dangling')));
        await fails('ENOENT', () => fs.link(p('nope'), p('c')));
        await fails('ENOENT', () => fs.link(p('a'), p('nope/c')));
        await fails('EPERM', () => fs.link(p('d'), p('d2')));
      });

      linkTest('linking a symlink links the symlink itself', async ({ fs, p, put, is }) => {
        await put('f', 'x');
        await fs.symlink('f', p('l'));
        await fs.link(p('l'), p('l2'));
        const st = await fs.lstat(p('l2'));
        is(st.type, 'symlink');
        is(st.ino, (await fs.lstat(p('l'))).ino);
        is((await fs.lstat(p('f'))).nlink, 1);
      });
    });

    describe('rename', () => {
      test('moves a file, keeping its inode', async ({ fs, p, put, has, is, gone }) => {
        await put('a', 'x');
        await fs.mkdir(p('d'));
        const ino = (await fs.lstat(p('a'))).ino;
        await fs.rename(p('a'), p('d/b'));
        await gone('a');
        is((await fs.lstat(p('d/b'))).ino, ino);
        await has('d/b', 'x');
      });

      test('replaces an existing file by default', async ({ fs, p, put, has, is, gone }) => {
        await put('a', 'new');
        await put('b', 'old');
        const ino = (await fs.lstat(p('a'))).ino;
        await fs.rename(p('a'), p('b'));
        await gone('a');
        await has('b', 'new');
        is((await fs.lstat(p('b'))).ino, ino);
      });

      test('noReplace: EEXIST when anything is there, both untouched', async (c) => {
        await c.put('a', 'source');
        await c.put('f', 'target');
        await c.fs.mkdir(c.p('d'));
        await c.fs.symlink('nowhere', c.p('dangling'));
        for (const target of ['f', 'd', 'dangling']) {
          await c.fails('EEXIST', () => c.fs.rename(c.p('a'), c.p(target), { noReplace: true }));
        }
        await c.has('a', 'source');
        await c.has('f', 'target');
        c.is((await c.fs.lstat(c.p('dangling'))).type, 'symlink');
        await c.gone('nowhere');
        await c.fs.mkdir(c.p('d2'));
        await c.fails('EEXIST', () => c.fs.rename(c.p('d2'), c.p('d'), { noReplace: true }));
        c.is((await c.fs.lstat(c.p('d2'))).type, 'directory');
      });

      test('noReplace moves files, symlinks and directories to free names', async (c) => {
        await c.put('a', 'x');
        await c.fs.mkdir(c.p('d'));
        await c.put('d/inner', 'y');
        await c.fs.symlink('a', c.p('l'));
        await c.fs.rename(c.p('a'), c.p('b'), { noReplace: true });
        await c.fs.rename(c.p('d'), c.p('e'), { noReplace: true });
        await c.fs.rename(c.p('l'), c.p('l2'), { noReplace: true });
        await c.has('b', 'x');
        await c.has('e/inner', 'y');
        c.is(await c.fs.readlink(c.p('l2')), 'a');
        await c.gone('a');
        await c.gone('d');
        await c.gone('l');
      });

      test('concurrent noReplace renames to one name: exactly one wins', async (c) => {
        const n = 8;
        for (let i = 0; i < n; i++) await c.put(`src${i}`, `content ${i}`);
        const results = await Promise.allSettled(
          Array.from({ length: n }, (_, i) => c.fs.rename(c.p(`src${i}`), c.p('dst'), { noReplace: true })),
        );
        const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        c.is(winners.length, 1);
        for (const r of results) {
          if (r.status === 'rejected') c.is((r.reason as { code?: unknown }).code, 'EEXIST');
        }
        await c.has('dst', `content ${winners[0]}`);
        c.eq((await c.fs.readdir(c.p(''))).length, n);
      });

      test('renames a symlink itself, and replaces a symlink rather than its target', async (c) => {
        await c.put('f', 'target');
        await c.put('g', 'other');
        await c.fs.symlink('f', c.p('l'));
        await c.fs.rename(c.p('l'), c.p('m'));
        c.is(await c.fs.readlink(c.p('m')), 'f');
        await c.fs.rename(c.p('g'), c.p('m'));
        c.is((await c.fs.lstat(c.p('m'))).type, 'file');
        await c.has('m', 'other');
        await c.has('f', 'target');
      });

      test('directories: EINVAL into itself, ENOTEMPTY over a non-empty one, replaces an empty one', async (c) => {
        await c.fs.mkdir(c.p('d/sub'), { recursive: true });
        await c.fs.mkdir(c.p('full/x'), { recursive: true });
        await c.fs.mkdir(c.p('empty'));
        await c.fails('EINVAL', () => c.fs.rename(c.p('d'), c.p('d/sub/x')));
        await c.fails('EINVAL', () => c.fs.rename(c.p('d'), c.p('d/x')));
        await c.fails('ENOTEMPTY', () => c.fs.rename(c.p('d'), c.p('full')));
        await c.fails('ENOTEMPTY', () => c.fs.rename(c.p('d/sub'), c.p('d')));
        const ino = (await c.fs.lstat(c.p('d'))).ino;
        await c.fs.rename(c.p('d'), c.p('empty'));
        c.is((await c.fs.lstat(c.p('empty'))).ino, ino);
        c.eq(await c.fs.readdir(c.p('empty')), ['sub']);
      });

      test('EISDIR for a file over a directory, ENOTDIR for a directory over a file', async (c) => {
        await c.put('f', 'x');
        await c.fs.mkdir(c.p('d'));
        await c.fails('EISDIR', () => c.fs.rename(c.p('f'), c.p('d')));
        await c.fails('ENOTDIR', () => c.fs.rename(c.p('d'), c.p('f')));
        await c.fails('ENOTDIR', () => c.fs.rename(c.p('f'), c.p('g/')));
      });

      test('ENOENT for a missing source or target directory', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fails('ENOENT', () => fs.rename(p('nope'), p('x')));
        await fails('ENOENT', () => fs.rename(p('f'), p('nope/x')));
        await fails('ENOENT', () => fs.rename(p('nope'), p('x'), { noReplace: true }));
      });

      test('renaming a name onto itself does nothing; with noReplace it is EEXIST', async (c) => {
        await c.put('f', 'x');
        await c.fs.rename(c.p('f'), c.p('f'));
        await c.has('f', 'x');
        await c.fails('EEXIST', () => c.fs.rename(c.p('f'), c.p('f'), { noReplace: true }));
        if (c.fs.capabilities.hardlinks) {
          await c.fs.link(c.p('f'), c.p('g'));
          await c.fs.rename(c.p('f'), c.p('g')); // same inode: POSIX says both names stay
          await c.has('f', 'x');
          await c.has('g', 'x');
        }
      });

      test('a moved directory keeps its contents, and .. is its new parent', async (c) => {
        await c.fs.mkdir(c.p('a/d'), { recursive: true });
        await c.fs.mkdir(c.p('b'));
        await c.put('a/d/x', 'x');
        await c.put('b/marker', 'in b');
        await c.fs.rename(c.p('a/d'), c.p('b/d'));
        await c.has('b/d/x', 'x');
        await c.has('b/d/../marker', 'in b');
        c.eq(await c.fs.readdir(c.p('a')), []);
      });
    });

    describe('unlink, rmdir', () => {
      test('unlink removes files and symlinks, never their targets', async (c) => {
        await c.put('f', 'x');
        await c.fs.symlink('f', c.p('l'));
        await c.fs.symlink('nowhere', c.p('dangling'));
        await c.fs.unlink(c.p('l'));
        await c.fs.unlink(c.p('dangling'));
        await c.gone('l');
        await c.gone('dangling');
        await c.has('f', 'x');
        await c.fs.unlink(c.p('f'));
        await c.gone('f');
      });

      test('unlink: ENOENT, EISDIR for directories, ENOTDIR with a trailing slash', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fs.mkdir(p('d'));
        await fails('ENOENT', () => fs.unlink(p('nope')));
        await fails('EISDIR', () => fs.unlink(p('d')));
        await fails('ENOTDIR', () => fs.unlink(p('f/')));
      });

      test('rmdir removes an empty directory', async ({ fs, p, gone }) => {
        await fs.mkdir(p('d'));
        await fs.rmdir(p('d'));
        await gone('d');
      });

      test('rmdir: ENOTEMPTY, ENOTDIR for files and symlinks, ENOENT', async (c) => {
        await c.fs.mkdir(c.p('d'));
        await c.put('d/x', 'x');
        await c.put('f', 'x');
        await c.fs.mkdir(c.p('e'));
        await c.fs.symlink('e', c.p('le'));
        await c.fails('ENOTEMPTY', () => c.fs.rmdir(c.p('d')));
        await c.fails('ENOTDIR', () => c.fs.rmdir(c.p('f')));
        await c.fails('ENOTDIR', () => c.fs.rmdir(c.p('le')));
        await c.fails('ENOENT', () => c.fs.rmdir(c.p('nope')));
        c.is((await c.fs.lstat(c.p('e'))).type, 'directory');
      });
    });

    describe('removeTree', () => {
      test('removes a tree with every kind of entry', async (c) => {
        await c.put('outside', 'outside');
        await c.fs.mkdir(c.p('t/a/b/c'), { recursive: true });
        await c.fs.mkdir(c.p('t/empty'));
        for (let i = 0; i < 150; i++) await c.put(`t/a/f${i}`, `${i}`);
        await c.put('t/a/b/c/ro', 'ro', 0o444);
        await c.put('t/a/b/none', 'none', 0o000);
        await c.fs.symlink('f1', c.p('t/a/l'));
        await c.fs.symlink('/nowhere/at/all', c.p('t/dangling'));
        if (c.fs.capabilities.hardlinks) await c.fs.link(c.p('outside'), c.p('t/a/b/hard'));
        await c.fs.removeTree(c.p('t'));
        await c.gone('t');
        await c.has('outside', 'outside');
        c.is((await c.fs.lstat(c.p('outside'))).nlink, 1);
      });

      test('no error when the path does not exist', async ({ fs, p }) => {
        await fs.removeTree(p('nope'));
        await fs.removeTree(p('nope/deeper'));
      });

      test('removes a single file, or a symlink but not what it points to', async (c) => {
        await c.put('f', 'x');
        await c.fs.mkdir(c.p('d'));
        await c.put('d/x', 'kept');
        await c.fs.symlink('d', c.p('ld'));
        await c.fs.removeTree(c.p('f'));
        await c.fs.removeTree(c.p('ld'));
        await c.gone('f');
        await c.gone('ld');
        await c.has('d/x', 'kept');
      });

      test('never follows symlinks out of the tree', async (c) => {
        await c.fs.mkdir(c.p('outside/dir'), { recursive: true });
        await c.put('outside/file', 'keep me');
        await c.put('outside/dir/x', 'keep me too');
        await c.fs.mkdir(c.p('tree/sub'), { recursive: true });
        await c.fs.symlink(c.p('outside/file'), c.p('tree/abs-file'));
        await c.fs.symlink('../outside/file', c.p('tree/rel-file'));
        await c.fs.symlink(c.p('outside/dir'), c.p('tree/sub/abs-dir'));
        await c.fs.symlink('../../outside', c.p('tree/sub/rel-dir'));
        await c.fs.symlink(c.p('outside/dir/x'), c.p('tree/sub/abs-dir-file'));
        await c.fs.removeTree(c.p('tree'));
        await c.gone('tree');
        await c.has('outside/file', 'keep me');
        await c.has('outside/dir/x', 'keep me too');
      });

      test('ENOTDIR when a parent is a file', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fails('ENOTDIR', () => fs.removeTree(p('f/x')));
      });
    });

    describe('chmod', () => {
      test('sets all twelve permission bits of files and directories', async ({ fs, p, put, is }) => {
        await put('f', 'x');
        await fs.mkdir(p('d'));
        for (const mode of [0o4755, 0o2755, 0o1644, 0o000, 0o777, 0o640]) {
          await fs.chmod(p('f'), mode);
          const st = await fs.lstat(p('f'));
          is(perm(st), mode);
          is(st.mode & S_IFMT, S_IFREG);
        }
        for (const mode of [0o1777, 0o2755, 0o700, 0o755]) {
          await fs.chmod(p('d'), mode);
          const st = await fs.lstat(p('d'));
          is(perm(st), mode);
          is(st.mode & S_IFMT, S_IFDIR);
        }
      });

      test('refuses a symlink (ENOTSUP), leaving its target alone; ENOENT', async ({ fs, p, put, is, fails }) => {
        await put('f', 'x');
        await fs.chmod(p('f'), 0o644);
        await fs.symlink('f', p('l'));
        await fails('ENOTSUP', () => fs.chmod(p('l'), 0o600));
        is(perm(await fs.lstat(p('f'))), 0o644);
        await fails('ENOENT', () => fs.chmod(p('nope'), 0o600));
      });
    });

    describe('lchown', () => {
      test('setting the current owner succeeds', async ({ fs, p, put, is }) => {
        await put('f', 'x');
        const st = await fs.lstat(p('f'));
        await fs.lchown(p('f'), st.uid, st.gid);
        is((await fs.lstat(p('f'))).uid, st.uid);
      });

      test('ENOENT', async ({ fs, p, fails }) => {
        await fails('ENOENT', () => fs.lchown(p('nope'), 0, 0));
      });

      test(
        'changes the owner of files and directories',
        async ({ fs, p, put, is }) => {
          await put('f', 'x');
          await fs.mkdir(p('d'));
          for (const path of [p('f'), p('d')]) {
            await fs.lchown(path, 1234, 5678);
            const st = await fs.lstat(path);
            is(st.uid, 1234);
            is(st.gid, 5678);
          }
        },
        !privileged,
      );

      test(
        'changes a symlink, not its target',
        async ({ fs, p, put, is }) => {
          await put('f', 'x');
          await fs.lchown(p('f'), 0, 0);
          await fs.symlink('f', p('l'));
          await fs.lchown(p('l'), 4321, 8765);
          const l = await fs.lstat(p('l'));
          is(l.uid, 4321);
          is(l.gid, 8765);
          const f = await fs.lstat(p('f'));
          is(f.uid, 0);
          is(f.gid, 0);
        },
        !privileged,
      );

      test(
        'clears setuid, and setgid when group-executable, of files but not directories',
        async ({ fs, p, put, is }) => {
          await put('a', 'x');
          await put('b', 'x');
          await fs.mkdir(p('d'));
          await fs.chmod(p('a'), 0o6755);
          await fs.chmod(p('b'), 0o6745);
          await fs.chmod(p('d'), 0o6755);
          for (const name of ['a', 'b', 'd']) await fs.lchown(p(name), 1000, 1000);
          is(perm(await fs.lstat(p('a'))), 0o755);
          is(perm(await fs.lstat(p('b'))), 0o2745);
          is(perm(await fs.lstat(p('d'))), 0o6755);
        },
        !privileged,
      );

      if (!privileged) {
        test('giving a file away needs privilege (EPERM)', async ({ fs, p, put, is, fails }) => {
          await put('f', 'x');
          const st = await fs.lstat(p('f'));
          const other = st.uid === 4242 ? 4243 : 4242;
          await fails('EPERM', () => fs.lchown(p('f'), other, st.gid));
          is((await fs.lstat(p('f'))).uid, st.uid);
        });
      }
    });

    describe('lutimes', () => {
      test('sets the mtime of files and directories', async ({ fs, p, put, is }) => {
        await put('f', 'x');
        await fs.mkdir(p('d'));
        for (const path of [p('f'), p('d')]) {
          await fs.lutimes(path, 1_500_000_000_000, 1_600_000_000_000);
          is((await fs.lstat(path)).mtimeMs, 1_600_000_000_000);
          await fs.lutimes(path, 0, 0);
          is((await fs.lstat(path)).mtimeMs, 0);
          await fs.lutimes(path, 0, 1234.5);
          is(Math.abs((await fs.lstat(path)).mtimeMs - 1234.5) < 0.01, true);
        }
      });

      test('sets a symlink itself, not its target', async ({ fs, p, put, is }) => {
        await put('f', 'x');
        await fs.lutimes(p('f'), 0, 1_000_000_000_000);
        await fs.symlink('f', p('l'));
        await fs.lutimes(p('l'), 0, 2_000_000_000_000);
        is((await fs.lstat(p('l'))).mtimeMs, 2_000_000_000_000);
        is((await fs.lstat(p('f'))).mtimeMs, 1_000_000_000_000);
      });

      test('ENOENT', async ({ fs, p, fails }) => {
        await fails('ENOENT', () => fs.lutimes(p('nope'), 0, 0));
      });
    });

    describe('extended attributes', () => {
      const userOnly = (xs: readonly (readonly [string, Uint8Array])[]): [string, number[]][] =>
        xs
          .filter(([n]) => n.startsWith('user.'))
          .map(([n, v]): [string, number[]] => [n, [...v]])
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

      xattrTest('binary values round-trip on files and directories', async ({ fs, p, put, same }) => {
        await put('f', 'x');
        await fs.mkdir(p('d'));
        const value = Uint8Array.from({ length: 256 }, (_, i) => 255 - i); // includes NUL bytes
        for (const path of [p('f'), p('d')]) {
          await fs.setXattr(path, 'user.binary', value);
          same((await fs.getXattr(path, 'user.binary')) as Uint8Array, value);
        }
      });

      xattrTest('absent attributes are undefined, empty values are empty arrays', async ({ fs, p, put, is }) => {
        await put('f', 'x');
        is(await fs.getXattr(p('f'), 'user.absent'), undefined);
        await fs.setXattr(p('f'), 'user.empty', new Uint8Array(0));
        const v = await fs.getXattr(p('f'), 'user.empty');
        is(v instanceof Uint8Array, true);
        is(v?.length, 0);
      });

      xattrTest('setting again replaces the value', async ({ fs, p, put, same }) => {
        await put('f', 'x');
        await fs.setXattr(p('f'), 'user.a', utf8Encode('a much longer first value'));
        await fs.setXattr(p('f'), 'user.a', utf8Encode('short'));
        same((await fs.getXattr(p('f'), 'user.a')) as Uint8Array, 'short');
      });

      xattrTest('getXattrs lists every name with its value', async ({ fs, p, put, eq }) => {
        await put('f', 'x');
        eq(userOnly(await fs.getXattrs(p('f'))), []);
        await fs.setXattr(p('f'), 'user.one', new Uint8Array([1]));
        await fs.setXattr(p('f'), 'user.two', new Uint8Array([2, 0, 2]));
        await fs.setXattr(p('f'), 'user.ünï', new Uint8Array(0));
        await fs.setXattr(p('f'), 'user.ostreemeta', sequence(1000, 2));
        eq(userOnly(await fs.getXattrs(p('f'))), [
          ['user.one', [1]],
          ['user.ostreemeta', [...sequence(1000, 2)]],
          ['user.two', [2, 0, 2]],
          ['user.ünï', []],
        ]);
      });

      xattrTest('returned values are copies', async ({ fs, p, put, same }) => {
        await put('f', 'x');
        const value = new Uint8Array([1, 2, 3]);
        await fs.setXattr(p('f'), 'user.a', value);
        value[0] = 9;
        const got = (await fs.getXattr(p('f'), 'user.a')) as Uint8Array;
        got[1] = 9;
        for (const [, v] of await fs.getXattrs(p('f'))) v.fill(9);
        same((await fs.getXattr(p('f'), 'user.a')) as Uint8Array, new Uint8Array([1, 2, 3]));
      });

      xattrTest('a symlink is never read or written through', async ({ fs, p, put, is, eq, fails, same }) => {
        await put('f', 'x');
        await fs.setXattr(p('f'), 'user.secret', utf8Encode('target value'));
        await fs.symlink('f', p('l'));
        is(await fs.getXattr(p('l'), 'user.secret'), undefined);
        eq(userOnly(await fs.getXattrs(p('l'))), []);
        // Linux allows user.* attributes only on regular files and directories.
        await fails('EPERM', () => fs.setXattr(p('l'), 'user.secret', utf8Encode('via link')));
        same((await fs.getXattr(p('f'), 'user.secret')) as Uint8Array, 'target value');
      });

      xattrTest(
        'trusted.* attributes of a symlink belong to the symlink',
        async ({ fs, p, put, is, same }) => {
          await put('f', 'x');
          await fs.symlink('f', p('l'));
          await fs.setXattr(p('l'), 'trusted.ostree-test', new Uint8Array([7, 0, 7]));
          same((await fs.getXattr(p('l'), 'trusted.ostree-test')) as Uint8Array, new Uint8Array([7, 0, 7]));
          is(await fs.getXattr(p('f'), 'trusted.ostree-test'), undefined);
          const names = (await fs.getXattrs(p('l'))).map(([n]) => n);
          is(names.includes('trusted.ostree-test'), true);
        },
        !privileged,
      );

      xattrTest('ENOTSUP for unknown namespaces, ENOENT for missing paths', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fails('ENOTSUP', () => fs.setXattr(p('f'), 'bogus.name', new Uint8Array(1)));
        await fails('ENOTSUP', () => fs.getXattr(p('f'), 'bogus.name'));
        await fails('ENOENT', () => fs.getXattr(p('nope'), 'user.a'));
        await fails('ENOENT', () => fs.getXattrs(p('nope')));
        await fails('ENOENT', () => fs.setXattr(p('nope'), 'user.a', new Uint8Array(1)));
      });

      xattrTest('attributes belong to the inode: kept by rename, shared by hard links', async (c) => {
        await c.put('f', 'x');
        await c.fs.setXattr(c.p('f'), 'user.a', new Uint8Array([42]));
        await c.fs.rename(c.p('f'), c.p('g'));
        c.same((await c.fs.getXattr(c.p('g'), 'user.a')) as Uint8Array, new Uint8Array([42]));
        if (c.fs.capabilities.hardlinks) {
          await c.fs.link(c.p('g'), c.p('h'));
          await c.fs.setXattr(c.p('h'), 'user.b', new Uint8Array([43]));
          c.same((await c.fs.getXattr(c.p('g'), 'user.b')) as Uint8Array, new Uint8Array([43]));
        }
      });
    });

    describe('lockFile', () => {
      /** Expects an immediate attempt to take `kind` on `path` to fail with EAGAIN. */
      const busy = (c: Ctx, path: string, kind: LockKind): Promise<void> =>
        c.fails('EAGAIN', () => c.fs.lockFile(path, kind));
      /** Expects an immediate attempt to succeed, and releases the lock. */
      const free = async (c: Ctx, path: string, kind: LockKind): Promise<void> => {
        await (await c.fs.lockFile(path, kind)).release();
      };
      const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

      lockTest('shared locks coexist; exclusive conflicts with shared and with exclusive (EAGAIN)', async (c) => {
        const f = c.p('lock');
        const s1 = await c.fs.lockFile(f, 'shared');
        const s2 = await c.fs.lockFile(f, 'shared');
        await busy(c, f, 'exclusive');
        await s1.release();
        await busy(c, f, 'exclusive'); // s2 still holds it
        await s2.release();
        const x = await c.fs.lockFile(f, 'exclusive');
        await busy(c, f, 'shared');
        await busy(c, f, 'exclusive');
        await x.release();
        await free(c, f, 'shared');
        await free(c, f, 'exclusive');
      });

      lockTest('each lock is its own holder: two handles of one caller conflict (OFD locks)', async (c) => {
        const f = c.p('lock');
        const x = await c.fs.lockFile(f, 'exclusive');
        // Classic POSIX (F_SETLK) locks would let the same process take it again; OFD locks do not.
        await busy(c, f, 'exclusive');
        await busy(c, f, 'shared');
        await x.release();
      });

      lockTest('creates a missing lock file: empty, mode 0o660 minus the umask', async (c) => {
        // The umask is whatever the caller's is: measure it with a file created 0o666.
        await c.put('probe', '', 0o666);
        const allowed = perm(await c.fs.lstat(c.p('probe')));
        const l = await c.fs.lockFile(c.p('.lock'), 'shared');
        const st = await c.fs.lstat(c.p('.lock'));
        c.is(st.type, 'file');
        c.is(st.size, 0);
        c.is(perm(st), 0o660 & allowed);
        await l.release();
        c.is((await c.fs.lstat(c.p('.lock'))).ino, st.ino); // release leaves the file in place
      });

      lockTest('an existing file is used as it is: not truncated, mode and inode kept', async (c) => {
        await c.put('f', 'content', 0o600);
        await c.fs.chmod(c.p('f'), 0o600);
        const before = await c.fs.lstat(c.p('f'));
        const l = await c.fs.lockFile(c.p('f'), 'exclusive');
        await l.release();
        await c.has('f', 'content');
        const after = await c.fs.lstat(c.p('f'));
        c.is(perm(after), 0o600);
        c.is(after.ino, before.ino);
      });

      lockTest('ELOOP for a symlink (nothing created through it), EISDIR, ENOENT, ENOTDIR', async (c) => {
        await c.put('f', 'x');
        await c.fs.mkdir(c.p('d'));
        await c.fs.symlink('f', c.p('l'));
        await c.fs.symlink('nowhere', c.p('dangling'));
        await c.fails('ELOOP', () => c.fs.lockFile(c.p('l'), 'shared'));
        await c.fails('ELOOP', () => c.fs.lockFile(c.p('dangling'), 'exclusive'));
        await c.gone('nowhere');
        await c.fails('EISDIR', () => c.fs.lockFile(c.p('d'), 'shared'));
        await c.fails('ENOENT', () => c.fs.lockFile(c.p('nope/lock'), 'shared'));
        await c.fails('ENOTDIR', () => c.fs.lockFile(c.p('f/lock'), 'shared'));
        await free(c, c.p('f'), 'exclusive'); // the failed attempts locked nothing
      });

      lockTest('EINVAL for an unknown kind or a bad waitMs, before anything is created', async (c) => {
        const f = c.p('lock');
        await c.fails('EINVAL', () => c.fs.lockFile(f, 'read' as LockKind));
        await c.fails('EINVAL', () => c.fs.lockFile(f, 'shared', { waitMs: -1 }));
        await c.fails('EINVAL', () => c.fs.lockFile(f, 'shared', { waitMs: Number.NaN }));
        await c.fails('EINVAL', () => c.fs.lockFile(f, 'shared', { waitMs: '10' as unknown as number }));
        await c.gone('lock');
      });

      lockTest('waitMs: the lock is taken as soon as the holder releases it', async (c) => {
        const f = c.p('lock');
        const x = await c.fs.lockFile(f, 'exclusive');
        const start = Date.now();
        // The release runs from a timer: a lockFile that blocked the event loop would never see it.
        const timer = sleep(40).then(() => x.release());
        const s = await c.fs.lockFile(f, 'shared', { waitMs: 1500 });
        const waited = Date.now() - start;
        await timer;
        c.is(waited >= 30 && waited < 1200, true);
        await busy(c, f, 'exclusive');
        await s.release();
      });

      lockTest('waitMs: EAGAIN once the time is up; 0 is a single attempt', async (c) => {
        const f = c.p('lock');
        const s = await c.fs.lockFile(f, 'shared');
        let start = Date.now();
        await c.fails('EAGAIN', () => c.fs.lockFile(f, 'exclusive', { waitMs: 100 }));
        const waited = Date.now() - start;
        c.is(waited >= 90 && waited < 1200, true);
        start = Date.now();
        await c.fails('EAGAIN', () => c.fs.lockFile(f, 'exclusive', { waitMs: 0 }));
        c.is(Date.now() - start < 100, true);
        await s.release();
        await free(c, f, 'exclusive'); // the timed-out attempts left nothing behind
      });

      lockTest('waiters: shared waiters all get in when an exclusive holder releases; then an exclusive one', async (c) => {
        const f = c.p('lock');
        const x = await c.fs.lockFile(f, 'exclusive');
        const order: string[] = [];
        // Never rejects (a failure shows in `order`), so a failing test leaves no unhandled rejection.
        const take = (name: string, kind: LockKind): Promise<FileLock | undefined> =>
          c.fs.lockFile(f, kind, { waitMs: 1500 }).then(
            (l) => {
              order.push(name);
              return l;
            },
            (e: unknown) => {
              order.push(`${name}: ${(e as { code?: unknown } | null)?.code}`);
              return undefined;
            },
          );
        const sa = take('sa', 'shared');
        const sb = take('sb', 'shared');
        await sleep(20);
        c.eq(order, []);
        await x.release();
        const [a, b] = await Promise.all([sa, sb]);
        c.eq(order.sort(), ['sa', 'sb']);
        if (a === undefined || b === undefined) return;
        const xb = take('x', 'exclusive');
        await sleep(20);
        c.eq(order.includes('x'), false);
        await a.release();
        await sleep(20);
        c.eq(order.includes('x'), false); // b still holds a shared lock
        await b.release();
        const x2 = await xb;
        c.eq(order.includes('x'), true);
        await busy(c, f, 'shared');
        await x2?.release();
      });

      lockTest('release frees everything at once; releasing twice is harmless and frees nothing else', async (c) => {
        const f = c.p('lock');
        const x1 = await c.fs.lockFile(f, 'exclusive');
        await Promise.all([x1.release(), x1.release()]);
        const x2 = await c.fs.lockFile(f, 'exclusive');
        await x1.release(); // must not drop x2's lock
        await busy(c, f, 'shared');
        await x2.release();
        await x2.release();
        await free(c, f, 'exclusive');
      });

      lockTest('a lock belongs to the file, not its name; different files are independent', async (c) => {
        const x = await c.fs.lockFile(c.p('a'), 'exclusive');
        await free(c, c.p('other'), 'exclusive');
        await c.fs.rename(c.p('a'), c.p('b'));
        await busy(c, c.p('b'), 'shared'); // the same inode, renamed
        await free(c, c.p('a'), 'exclusive'); // a new file under the old name
        await x.release();
        await free(c, c.p('b'), 'exclusive');
      });
    });

    describe('fsync, syncfs', () => {
      test('fsync files and directories; ENOENT; ELOOP for a symlink', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fs.mkdir(p('d'));
        await fs.symlink('f', p('l'));
        await fs.fsync(p('f'));
        await fs.fsync(p('d'));
        await fs.fsync(p(''));
        await fails('ENOENT', () => fs.fsync(p('nope')));
        await fails('ELOOP', () => fs.fsync(p('l')));
      });

      test('syncfs a directory or a file; ENOENT', async ({ fs, p, put, fails }) => {
        await put('f', 'x');
        await fs.syncfs(p(''));
        await fs.syncfs(p('f'));
        await fails('ENOENT', () => fs.syncfs(p('nope')));
      });
    });
  });
}
