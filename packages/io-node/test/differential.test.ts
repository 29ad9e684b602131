/**
 * Differential test: random operation sequences run against nodeFs (the real kernel, the
 * ground truth) and memoryFs side by side; every result or errno, and the whole tree after
 * every step (types, modes, sizes, link counts, hard-link groups, contents, link targets,
 * xattrs), must agree.
 */
import { chmod, lstat, mkdir, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryFs, type Fs, type Stat } from '@ostree-ts/io';
import { nodeFs } from '@ostree-ts/io-node';

process.umask(0o022);

type Op =
  | { op: 'writeFile'; path: string; content: number; exclusive: boolean; mode: number }
  | { op: 'mkdir'; path: string; recursive: boolean; mode: number }
  | { op: 'symlink'; target: string; path: string }
  | { op: 'link'; from: string; path: string }
  | { op: 'rename'; from: string; path: string; noReplace: boolean }
  | { op: 'unlink' | 'rmdir' | 'removeTree'; path: string }
  | { op: 'chmod'; path: string; mode: number }
  | { op: 'lchown'; path: string; uid: number }
  | { op: 'lutimes'; path: string; ms: number }
  | { op: 'setXattr'; path: string; name: string; value: number }
  | { op: 'getXattr'; path: string; name: string }
  | { op: 'readChunks'; path: string; size: number }
  | {
      op: 'lstat' | 'stat' | 'lstatIfExists' | 'readdir' | 'readFile' | 'readlink' | 'getXattrs' | 'fsync' | 'openRead';
      path: string;
    };

/** A relative path whose last component is a plain name (used by every mutating op). */
const path = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c', 'a/b', 'a/c', 'b/a', 'b/c', 'a/b/c') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.array(fc.constantFrom('a', 'b', 'c', '.', '..', ''), { maxLength: 2 }),
        fc.constantFrom('a', 'b', 'c'),
        fc.constantFrom('', '', '/'),
      )
      .map(([dirs, last, slash]) => [...dirs, last].join('/') + slash),
  },
);
/** Read-only ops may also end in '.' or '..'. */
const anyPath = fc.oneof({ weight: 5, arbitrary: path }, fc.constantFrom('.', '..', 'a/..', 'a/.', 'a/b/..'));
const mode = fc.constantFrom(0o644, 0o600, 0o755, 0o700, 0o4755, 0o2755, 0o1777, 0o000);
const xattrName = fc.constantFrom('user.a', 'user.b', 'trusted.t', 'bogus.x', 'user.');
const target = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'a/b', 'a/', '../a', '.', '..', 'nowhere', 'b/../c', 'c/a/b'),
  fc.constantFrom('@/a', '@/b', '@/a/b', '@/c/../a', '@'),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('writeFile' as const), path, content: fc.nat(3), exclusive: fc.boolean(), mode }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('mkdir' as const), path, recursive: fc.boolean(), mode }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('symlink' as const), target, path }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('link' as const), from: path, path }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('rename' as const), from: path, path, noReplace: fc.boolean() }) },
  fc.record({ op: fc.constantFrom('unlink' as const, 'rmdir' as const, 'removeTree' as const), path }),
  fc.record({ op: fc.constant('chmod' as const), path, mode }),
  fc.record({ op: fc.constant('lchown' as const), path, uid: fc.constantFrom(0, 1000, 1001) }),
  fc.record({ op: fc.constant('lutimes' as const), path, ms: fc.constantFrom(0, 1_000_000_000_000, 1_700_000_000_000) }),
  fc.record({ op: fc.constant('setXattr' as const), path, name: xattrName, value: fc.nat(2) }),
  fc.record({ op: fc.constant('getXattr' as const), path: anyPath, name: xattrName }),
  fc.record({ op: fc.constant('readChunks' as const), path: anyPath, size: fc.constantFrom(1, 3, 64) }),
  fc.record({
    op: fc.constantFrom(
      'lstat' as const,
      'stat' as const,
      'lstatIfExists' as const,
      'readdir' as const,
      'readFile' as const,
      'readlink' as const,
      'getXattrs' as const,
      'fsync' as const,
      'openRead' as const,
    ),
    path: anyPath,
  }),
);

const contents = ['', 'x', 'hello world', 'a longer content\n'.repeat(20)].map((s) => new TextEncoder().encode(s));
const values = [new Uint8Array(0), new Uint8Array([0, 1, 2]), new TextEncoder().encode('value')];

function statView(st: Stat): Record<string, unknown> {
  return {
    type: st.type,
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    // Directory sizes are filesystem-specific.
    size: st.type === 'directory' ? undefined : st.size,
    nlink: st.nlink,
  };
}

/** Runs one op; returns a comparable description of its result or errno. */
async function run(fs: Fs, root: string, op: Op): Promise<unknown> {
  const abs = (p: string): string => `${root}/${p}`;
  try {
    switch (op.op) {
      case 'writeFile':
        return await fs.writeFile(abs(op.path), contents[op.content] as Uint8Array, { exclusive: op.exclusive, mode: op.mode });
      case 'mkdir':
        return await fs.mkdir(abs(op.path), { recursive: op.recursive, mode: op.mode });
      case 'symlink':
        return await fs.symlink(op.target.startsWith('@') ? root + op.target.slice(1) : op.target, abs(op.path));
      case 'link':
        return await fs.link(abs(op.from), abs(op.path));
      case 'rename':
        return await fs.rename(abs(op.from), abs(op.path), { noReplace: op.noReplace });
      case 'unlink':
      case 'rmdir':
      case 'removeTree':
        return await fs[op.op](abs(op.path));
      case 'chmod':
        return await fs.chmod(abs(op.path), op.mode);
      case 'lchown':
        return await fs.lchown(abs(op.path), op.uid, op.uid);
      case 'lutimes':
        await fs.lutimes(abs(op.path), op.ms, op.ms);
        return (await fs.lstat(abs(op.path))).mtimeMs;
      case 'setXattr':
        return await fs.setXattr(abs(op.path), op.name, values[op.value] as Uint8Array);
      case 'getXattr': {
        const v = await fs.getXattr(abs(op.path), op.name);
        return v === undefined ? 'absent' : [...v];
      }
      case 'readChunks': {
        const chunks: number[][] = [];
        for await (const c of fs.readChunks(abs(op.path), op.size)) chunks.push([...c]);
        return chunks;
      }
      case 'lstat':
      case 'stat':
        return statView(await fs[op.op](abs(op.path)));
      case 'lstatIfExists': {
        const st = await fs.lstatIfExists(abs(op.path));
        return st === undefined ? 'absent' : statView(st);
      }
      case 'readdir':
        return (await fs.readdir(abs(op.path))).sort();
      case 'readFile':
        return [...(await fs.readFile(abs(op.path)))];
      case 'readlink':
        return (await fs.readlink(abs(op.path))).replace(root, '@');
      case 'getXattrs':
        return xattrView(await fs.getXattrs(abs(op.path)));
      case 'fsync':
        return await fs.fsync(abs(op.path));
      case 'openRead': {
        const h = await fs.openRead(abs(op.path));
        try {
          const buf = new Uint8Array(8);
          return [await h.read(buf, 0, 8, 2), [...buf]];
        } finally {
          await h.close();
        }
      }
    }
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') throw e;
    return `error ${code}`;
  }
}

function xattrView(xs: readonly (readonly [string, Uint8Array])[]): [string, number[]][] {
  return xs
    .filter(([n]) => n.startsWith('user.') || n.startsWith('trusted.'))
    .map(([n, v]): [string, number[]] => [n, [...v]])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** Everything observable under `dir`, with hard links grouped by a per-snapshot inode id. */
async function snapshot(fs: Fs, dir: string): Promise<unknown> {
  const inodes = new Map<bigint, number>();
  const attempt = async <T>(f: () => Promise<T>): Promise<T | string> =>
    f().catch((e: { code?: string }) => `error ${e.code ?? String(e)}`);
  const walk = async (path: string, rel: string, out: Record<string, unknown>): Promise<void> => {
    const entries = await attempt(() => fs.readdir(path));
    if (typeof entries === 'string') {
      out[`${rel}(readdir)`] = entries;
      return;
    }
    for (const entry of entries.sort()) {
      const p = `${path}/${entry}`;
      const st = await attempt(() => fs.lstat(p));
      if (typeof st === 'string') {
        out[`${rel}${entry}`] = st;
        continue;
      }
      if (!inodes.has(st.ino)) inodes.set(st.ino, inodes.size);
      const node: Record<string, unknown> = { ...statView(st), inode: inodes.get(st.ino) };
      if (st.type !== 'symlink') node.xattrs = await attempt(async () => xattrView(await fs.getXattrs(p)));
      if (st.type === 'file') node.content = await attempt(async () => [...(await fs.readFile(p))]);
      if (st.type === 'symlink') node.target = await fs.readlink(p);
      out[`${rel}${entry}`] = node;
      if (st.type === 'directory') await walk(p, `${rel}${entry}/`, out);
    }
  };
  const out: Record<string, unknown> = { '.': statView(await fs.lstat(dir)) };
  await walk(dir, '', out);
  return out;
}

/** The directory `p` lives in, resolved by the kernel, is inside `root` (ops never touch anything else). */
async function staysInside(root: string, p: string): Promise<boolean> {
  const full = `${root}/${p}`.replace(/\/+$/, '');
  const parent = full.slice(0, full.lastIndexOf('/'));
  try {
    const real = await realpath(parent);
    return real === root || real.startsWith(`${root}/`);
  } catch {
    return true; // unresolvable: the op fails on both sides before touching anything
  }
}

const stats = new Map<string, number>();

/** rm -rf that also works for an unprivileged owner of directories with modes like 0o000. */
async function forceRemove(dir: string): Promise<void> {
  const unlock = async (d: string): Promise<void> => {
    await chmod(d, 0o700);
    for (const name of await readdir(d)) {
      const child = `${d}/${name}`;
      if ((await lstat(child)).isDirectory()) await unlock(child);
    }
  };
  await unlock(dir).catch(() => {});
  await rm(dir, { recursive: true, force: true });
}

describe('memoryFs behaves like the Linux kernel (differential, fast-check)', () => {
  it('random operation sequences give the same results and trees', async () => {
    const base = await realpath(await mkdtemp(join(tmpdir(), 'ostree-ts-diff-')));
    let run_ = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30, size: 'large' }), async (ops) => {
          // Padding directories above the root, mirrored in memory, so that a '..' which
          // slips past the check below still lands in identical surroundings.
          const root = `${base}/${run_++}/pad/root`;
          await mkdir(root, { recursive: true });
          const real = nodeFs();
          const mem = memoryFs({ umask: 0o022, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
          await mem.mkdir(root, { recursive: true });
          try {
            for (const op of ops) {
              const paths = 'from' in op ? [op.from, op.path] : [op.path];
              if (!(await Promise.all(paths.map((p) => staysInside(root, p)))).every(Boolean)) continue;
              const [a, b] = [await run(real, root, op), await run(mem, root, op)];
              if (process.env.FUZZ_STATS) stats.set(`${op.op} ${String(JSON.stringify(a)).slice(0, 14)}`, (stats.get(`${op.op} ${String(JSON.stringify(a)).slice(0, 14)}`) ?? 0) + 1);
              expect({ op, memoryFs: b }).toEqual({ op, memoryFs: a });
              expect(await snapshot(mem, root)).toEqual(await snapshot(real, root));
            }
          } finally {
            await forceRemove(root);
          }
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
      );
    } finally {
      await forceRemove(base);
      if (process.env.FUZZ_STATS) console.log([...stats].sort());
    }
  });
});
