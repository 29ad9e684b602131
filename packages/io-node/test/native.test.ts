/** The koffi/libc layer: errno mapping, buffer growth, fallbacks, and what happens without it. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsError } from '@ostree-ts/io';
import { nodeFs } from '@ostree-ts/io-node';
import {
  EAGAIN,
  EINTR,
  ENODATA,
  ENOSYS,
  ERANGE,
  EINVAL,
  FLOCK_LAYOUT,
  F_OFD_GETLK,
  F_OFD_SETLK,
  F_OFD_SETLKW,
  F_RDLCK,
  F_WRLCK,
  F_UNLCK,
  LOCK_EX,
  LOCK_NB,
  LOCK_SH,
  LOCK_UN,
  SEEK_SET,
  errnoName,
  loadLibc,
  type Libc,
} from '../src/native.js';
import { NodeFs } from '../src/node-fs.js';
import { getXattr, listXattrs } from '../src/xattr.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ostree-ts-native-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return 'no error';
}

const realLibc = loadLibc() as Libc;

/** The real libc with some calls replaced. */
function patched(overrides: Partial<Libc> & { errnoValue?: () => number }): Libc {
  const { errnoValue, ...rest } = overrides;
  return { ...realLibc, ...rest, errno: errnoValue ?? realLibc.errno };
}

describe('koffi and libc', () => {
  it('load on Linux; capabilities follow', () => {
    expect(realLibc).toBeDefined();
    expect(typeof realLibc.renameat2).toBe('function');
    expect(nodeFs().capabilities).toEqual({
      xattrs: true,
      chown: process.getuid?.() === 0,
      hardlinks: true,
      atomicNoReplace: true,
      locks: true,
    });
  });

  it('errno numbers get the names Node uses', () => {
    expect(errnoName(2)).toBe('ENOENT');
    expect(errnoName(17)).toBe('EEXIST');
    expect(errnoName(1)).toBe('EPERM');
    expect(errnoName(13)).toBe('EACCES');
    expect(errnoName(95)).toBe('ENOTSUP');
    expect(errnoName(61)).toBe('ENODATA');
    expect(errnoName(34)).toBe('ERANGE');
    expect(errnoName(28)).toBe('ENOSPC');
    expect(errnoName(7)).toBe('E2BIG');
    expect(errnoName(40)).toBe('ELOOP');
    expect(errnoName(122)).toBe('EDQUOT'); // not in libuv's table: from os.constants.errno
    expect(errnoName(200)).toBe('E200');
    expect(errnoName(4095)).toBe('E4095');
  });

  it('errors are FsError with the path', async () => {
    const fs = nodeFs();
    const missing = join(dir, 'missing');
    for (const action of [
      () => fs.getXattr(missing, 'user.a'),
      () => fs.getXattrs(missing),
      () => fs.setXattr(missing, 'user.a', new Uint8Array(1)),
      () => fs.lstat(missing),
      () => fs.readFile(missing),
    ]) {
      const e = await action().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(FsError);
      expect((e as FsError).code).toBe('ENOENT');
      expect((e as FsError).path).toBe(missing);
    }
  });

  it('an embedded NUL is EINVAL, not a silently truncated C string', async () => {
    const fs = nodeFs();
    await writeFile(join(dir, 'f'), 'x');
    expect(await codeOf(() => fs.setXattr(join(dir, 'f'), 'user.a\0b', new Uint8Array(1)))).toBe('EINVAL');
    expect(await codeOf(() => fs.getXattr(`${join(dir, 'f')}\0x`, 'user.a'))).toBe('EINVAL');
    expect(await codeOf(() => fs.rename(join(dir, 'f'), `${join(dir, 'g')}\0`, { noReplace: true }))).toBe('EINVAL');
    expect(await fs.getXattrs(join(dir, 'f'))).toEqual([]);
  });
});

describe('xattr buffers', () => {
  it('values larger than the 4 KiB scratch buffer are read whole (real kernel, tmpfs if it allows)', async () => {
    // tmpfs keeps values up to 64 KiB; ext4 without ea_inode refuses big ones (ENOSPC/E2BIG).
    const fs = nodeFs();
    const base = await mkdtemp(join((await stat('/dev/shm').catch(() => undefined)) ? '/dev/shm' : dir, 'x-'));
    try {
      const value = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) & 0xff);
      await writeFile(join(base, 'f'), 'x');
      const code = await codeOf(() => fs.setXattr(join(base, 'f'), 'user.big', value));
      if (code === 'no error') {
        expect(await fs.getXattr(join(base, 'f'), 'user.big')).toEqual(value);
        expect(await fs.getXattrs(join(base, 'f'))).toEqual([['user.big', value]]);
      } else {
        expect(['ENOSPC', 'E2BIG', 'ENOTSUP']).toContain(code);
      }
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it('ERANGE: asks for the size and retries, also when the value grows in between', () => {
    let size = 5000;
    const calls: number[] = [];
    let errno = 0;
    const fake = patched({
      lgetxattr: (_path, _name, value, bufSize) => {
        calls.push(bufSize);
        if (value === null) {
          const current = size;
          size = 9000; // grows after the size query
          return current;
        }
        if (bufSize < size) {
          errno = ERANGE;
          return -1;
        }
        value.fill(0xab, 0, size);
        return size;
      },
      errnoValue: () => errno,
    });
    const v = getXattr(fake, '/x', 'user.a');
    expect(v?.length).toBe(9000);
    expect(v?.every((b) => b === 0xab)).toBe(true);
    expect(calls).toEqual([4096, 0, 8192, 0, 16384]); // at least doubling each time
  });

  it('ERANGE forever: gives up with ERANGE', () => {
    let errno = 0;
    const fake = patched({
      llistxattr: (_path, list) => {
        if (list === null) return 10;
        errno = ERANGE;
        return -1;
      },
      errnoValue: () => errno,
    });
    expect(() => listXattrs(fake, '/x')).toThrowError(expect.objectContaining({ code: 'ERANGE' }) as Error);
  });

  it('ENODATA is undefined, other errnos are thrown, never dropped', () => {
    let errno = ENODATA;
    const fake = patched({ lgetxattr: () => -1, errnoValue: () => errno });
    expect(getXattr(fake, '/x', 'user.a')).toBeUndefined();
    errno = 95;
    expect(() => getXattr(fake, '/x', 'user.a')).toThrowError(expect.objectContaining({ code: 'ENOTSUP' }) as Error);
  });

  it('a value that vanishes between list and get is skipped', async () => {
    await writeFile(join(dir, 'f'), 'x');
    const fs = new NodeFs(
      () =>
        patched({
          llistxattr: (_path, list, size) => {
            const names = new TextEncoder().encode('user.gone\0user.here\0');
            if (list === null) return names.length;
            if (size < names.length) return -1;
            list.set(names);
            return names.length;
          },
          lgetxattr: (path, name, value, size) => {
            if (name === 'user.gone') return realLibc.lgetxattr(path, 'user.nonexistent', value, size);
            value?.set([1, 2]);
            return 2;
          },
        }),
      () => '',
    );
    expect(await fs.getXattrs(join(dir, 'f'))).toEqual([['user.here', new Uint8Array([1, 2])]]);
  });
});

describe('rename noReplace fallback (renameat2 missing or refused)', () => {
  for (const [label, errno] of [
    ['ENOSYS', ENOSYS],
    ['EINVAL', EINVAL],
  ] as const) {
    it(`renameat2 failing with ${label}: link+unlink for files, check+rename for directories`, async () => {
      let calls = 0;
      const fs = new NodeFs(
        () =>
          patched({
            renameat2: () => {
              calls++;
              return -1;
            },
            errnoValue: () => errno,
          }),
        () => '',
      );
      await writeFile(join(dir, 'a'), 'A');
      await writeFile(join(dir, 'b'), 'B');
      await fs.rename(join(dir, 'a'), join(dir, 'c'), { noReplace: true });
      expect(await readFile(join(dir, 'c'), 'utf8')).toBe('A');
      expect(await fs.lstatIfExists(join(dir, 'a'))).toBeUndefined();
      expect((await fs.lstat(join(dir, 'c'))).nlink).toBe(1);
      expect(await codeOf(() => fs.rename(join(dir, 'c'), join(dir, 'b'), { noReplace: true }))).toBe('EEXIST');
      expect(await readFile(join(dir, 'b'), 'utf8')).toBe('B');
      await fs.mkdir(join(dir, 'd'));
      await fs.mkdir(join(dir, 'e'));
      await fs.rename(join(dir, 'd'), join(dir, 'd2'), { noReplace: true });
      expect(await codeOf(() => fs.rename(join(dir, 'd2'), join(dir, 'e'), { noReplace: true }))).toBe('EEXIST');
      expect(await codeOf(() => fs.rename(join(dir, 'd2'), join(dir, 'd2/x'), { noReplace: true }))).toBe('EINVAL');
      await symlink('c', join(dir, 'l'));
      await fs.rename(join(dir, 'l'), join(dir, 'l2'), { noReplace: true });
      expect(await fs.readlink(join(dir, 'l2'))).toBe('c');
      expect(calls).toBe(6);
    });
  }

  it('other renameat2 errors are reported as they are', async () => {
    const fs = new NodeFs(() => patched({ renameat2: () => -1, errnoValue: () => 13 }), () => '');
    await writeFile(join(dir, 'a'), 'A');
    expect(await codeOf(() => fs.rename(join(dir, 'a'), join(dir, 'b'), { noReplace: true }))).toBe('EACCES');
  });

  it('without a renameat2 wrapper in libc, atomicNoReplace is false and the fallback is used', async () => {
    const fs = new NodeFs(() => patched({ renameat2: undefined }), () => '');
    expect(fs.capabilities.atomicNoReplace).toBe(false);
    await writeFile(join(dir, 'a'), 'A');
    await writeFile(join(dir, 'b'), 'B');
    expect(await codeOf(() => fs.rename(join(dir, 'a'), join(dir, 'b'), { noReplace: true }))).toBe('EEXIST');
    await fs.rename(join(dir, 'a'), join(dir, 'c'), { noReplace: true });
    expect(await readFile(join(dir, 'c'), 'utf8')).toBe('A');
  });
});

describe('without koffi (native: false, or koffi failing to load)', () => {
  it('reports no xattrs and no atomic noReplace', () => {
    expect(nodeFs({ native: false }).capabilities).toEqual({
      xattrs: false,
      chown: process.getuid?.() === 0,
      hardlinks: true,
      atomicNoReplace: false,
      locks: false,
    });
  });

  it('xattr calls throw ENOTSUP FsErrors that say why', async () => {
    const reason = 'Cannot find module koffi (simulated)';
    const fs = new NodeFs(() => undefined, () => reason);
    await writeFile(join(dir, 'f'), 'x');
    for (const action of [
      () => fs.getXattr(join(dir, 'f'), 'user.a'),
      () => fs.getXattrs(join(dir, 'f')),
      () => fs.setXattr(join(dir, 'f'), 'user.a', new Uint8Array(1)),
    ]) {
      const e = (await action().then(
        () => undefined,
        (err: unknown) => err,
      )) as FsError;
      expect(e).toBeInstanceOf(FsError);
      expect(e.code).toBe('ENOTSUP');
      expect(e.message).toContain('koffi');
      expect(e.message).toContain(reason);
    }
  });

  it('chmod still refuses symlinks, syncfs still works', async () => {
    const fs = nodeFs({ native: false });
    await writeFile(join(dir, 'f'), 'x');
    await symlink('f', join(dir, 'l'));
    expect(await codeOf(() => fs.chmod(join(dir, 'l'), 0o600))).toBe('ENOTSUP');
    await fs.chmod(join(dir, 'f'), 0o600);
    expect((await stat(join(dir, 'f'))).mode & 0o777).toBe(0o600);
    await fs.syncfs(dir);
  });

  it('chmod falls back when fchmodat rejects AT_SYMLINK_NOFOLLOW (glibc < 2.32)', async () => {
    const fs = new NodeFs(() => patched({ fchmodat: () => -1, errnoValue: () => 95 }), () => '');
    await writeFile(join(dir, 'f'), 'x');
    await symlink('f', join(dir, 'l'));
    await fs.chmod(join(dir, 'f'), 0o640);
    expect((await stat(join(dir, 'f'))).mode & 0o777).toBe(0o640);
    expect(await codeOf(() => fs.chmod(join(dir, 'l'), 0o600))).toBe('ENOTSUP');
    expect((await stat(join(dir, 'f'))).mode & 0o777).toBe(0o640);
  });
});

describe('syncfs', () => {
  it('runs off the main thread and reports errors', async () => {
    const fs = nodeFs();
    await fs.syncfs(dir);
    let fdSeen = -1;
    const failing = new NodeFs(
      () =>
        patched({
          syncfs: async (fd) => {
            fdSeen = fd;
            return [-1, 5] as const;
          },
        }),
      () => '',
    );
    expect(await codeOf(() => failing.syncfs(dir))).toBe('EIO');
    expect(fdSeen).toBeGreaterThan(2);
  });
});

const hasGcc = spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;

describe('lockFile', () => {
  it.skipIf(!hasGcc || process.arch !== 'x64')('struct flock and the constants match what gcc compiles against glibc', async () => {
    const src = join(dir, 'flock.c');
    await writeFile(
      src,
      `#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/file.h>
int main(void) {
  printf("%zu %zu %zu %zu %zu %zu\\n", sizeof(struct flock), offsetof(struct flock, l_type),
         offsetof(struct flock, l_whence), offsetof(struct flock, l_start), offsetof(struct flock, l_len),
         offsetof(struct flock, l_pid));
  printf("%zu %zu %zu %zu\\n", sizeof(short), sizeof(off_t), sizeof(pid_t), sizeof(((struct flock *)0)->l_start));
  printf("%d %d %d %d %d %d %d\\n", F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_RDLCK, F_WRLCK, F_UNLCK, SEEK_SET);
  printf("%d %d %d %d\\n", LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN);
  return 0;
}
`,
    );
    const build = spawnSync('gcc', ['-o', join(dir, 'flock'), src], { encoding: 'utf8' });
    expect(build.stderr).toBe('');
    const out = spawnSync(join(dir, 'flock'), { encoding: 'utf8' }).stdout.trim().split('\n');
    const o = FLOCK_LAYOUT.offsets;
    expect(out).toEqual([
      [FLOCK_LAYOUT.size, o.l_type, o.l_whence, o.l_start, o.l_len, o.l_pid].join(' '),
      '2 8 4 8',
      [F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_RDLCK, F_WRLCK, F_UNLCK, SEEK_SET].join(' '),
      [LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN].join(' '),
    ]);
  });

  /** The /proc/locks lines for the inode of `path` ("OFDLCK ADVISORY WRITE -1 fe:00:123 0 EOF"). */
  async function procLocks(path: string): Promise<string[]> {
    const ino = (await stat(path)).ino;
    const lines = (await readFile('/proc/locks', 'utf8')).split('\n');
    return lines
      .filter((l) => l.split(/\s+/)[5]?.endsWith(`:${ino}`))
      .map((l) => {
        const f = l.trim().split(/\s+/);
        return [f[1], f[2], f[3], f[4], f[6], f[7]].join(' '); // without the id and the device
      });
  }

  /** Whether descriptor `fd` of this process still refers to `path`. */
  async function fdOpenOn(fd: number, path: string): Promise<boolean> {
    return (await readlink(`/proc/self/fd/${fd}`).catch(() => '')) === path;
  }

  it('takes whole-file OFD locks, as /proc/locks shows, and release removes them', async () => {
    const fs = nodeFs();
    const path = join(dir, '.lock');
    const x = await fs.lockFile(path, 'exclusive');
    expect(await procLocks(path)).toEqual(['OFDLCK ADVISORY WRITE -1 0 EOF']);
    await x.release();
    expect(await procLocks(path)).toEqual([]);
    const a = await fs.lockFile(path, 'shared');
    const b = await fs.lockFile(path, 'shared');
    expect(await procLocks(path)).toEqual(['OFDLCK ADVISORY READ -1 0 EOF', 'OFDLCK ADVISORY READ -1 0 EOF']);
    await a.release();
    await b.release();
    expect(await procLocks(path)).toEqual([]);
  });

  it('passes F_OFD_SETLK and the lock type to fcntl, and closes the descriptor on release', async () => {
    const calls: [number, number, number][] = [];
    const fs = new NodeFs(
      () =>
        patched({
          fcntlLock: (fd, cmd, type) => {
            calls.push([fd, cmd, type]);
            return realLibc.fcntlLock?.(fd, cmd, type) ?? -1;
          },
        }),
      () => '',
    );
    const path = join(dir, '.lock');
    const s = await fs.lockFile(path, 'shared');
    const x = await fs.lockFile(join(dir, 'other'), 'exclusive');
    const fd = calls[0]?.[0] as number;
    expect(await fdOpenOn(fd, path)).toBe(true);
    await s.release();
    await x.release();
    expect(calls.map(([, cmd, type]) => [cmd, type])).toEqual([
      [F_OFD_SETLK, 0],
      [F_OFD_SETLK, 1],
      [F_OFD_SETLK, F_UNLCK],
      [F_OFD_SETLK, F_UNLCK],
    ]);
    expect(await fdOpenOn(fd, path)).toBe(false);
  });

  it('falls back to flock when fcntl says EINVAL (kernel without OFD locks), as ostree does', async () => {
    const ops: number[] = [];
    let errno = 0;
    const held = new Set<number>();
    const fs = new NodeFs(
      () =>
        patched({
          fcntlLock: () => {
            errno = EINVAL;
            return -1;
          },
          flock: (fd, op) => {
            ops.push(op);
            if ((op & LOCK_UN) !== 0) return held.delete(fd) ? 0 : -1;
            if (held.size > 0) {
              errno = EAGAIN;
              return -1;
            }
            held.add(fd);
            return 0;
          },
          errnoValue: () => errno,
        }),
      () => '',
    );
    const path = join(dir, '.lock');
    const x = await fs.lockFile(path, 'exclusive');
    expect(await codeOf(() => fs.lockFile(path, 'shared'))).toBe('EAGAIN');
    await x.release();
    expect(held.size).toBe(0);
    await (await fs.lockFile(path, 'shared')).release();
    expect(ops).toEqual([LOCK_EX | LOCK_NB, LOCK_SH | LOCK_NB, LOCK_UN, LOCK_SH | LOCK_NB, LOCK_UN]);
  });

  it('retries on EINTR; other errors are thrown with the descriptor closed', async () => {
    let interrupts = 2;
    let errno = 0;
    const seen: number[] = [];
    const fs = new NodeFs(
      () =>
        patched({
          fcntlLock: (fd, cmd, type) => {
            seen.push(fd);
            if (type !== F_UNLCK && interrupts-- > 0) {
              errno = EINTR;
              return -1;
            }
            if (interrupts < -1) {
              errno = 37; // ENOLCK
              return -1;
            }
            errno = 0;
            return realLibc.fcntlLock?.(fd, cmd, type) ?? -1;
          },
          errnoValue: () => errno,
        }),
      () => '',
    );
    const path = join(dir, '.lock');
    await (await fs.lockFile(path, 'exclusive')).release();
    expect(seen.length).toBe(4); // two EINTRs, the lock, the unlock
    const e = await fs.lockFile(path, 'shared').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(FsError);
    expect((e as FsError).code).toBe('ENOLCK');
    expect(await fdOpenOn(seen.at(-1) as number, path)).toBe(false);
  });

  it('gives up after waitMs without blocking the event loop, polling every 10 to 50 ms', async () => {
    let attempts = 0;
    const fs = new NodeFs(
      () =>
        patched({
          fcntlLock: () => {
            attempts++;
            return -1;
          },
          errnoValue: () => EAGAIN,
        }),
      () => '',
    );
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const start = performance.now();
    const e = await fs.lockFile(join(dir, '.lock'), 'exclusive', { waitMs: 300 }).catch((err: unknown) => err);
    const waited = performance.now() - start;
    clearInterval(ticker);
    expect((e as FsError).code).toBe('EAGAIN');
    expect((e as FsError).message).toContain('gave up after 300 ms');
    expect(waited).toBeGreaterThanOrEqual(299);
    expect(ticks).toBeGreaterThan(10); // timers kept running meanwhile
    // 10, 20, 40, then every 50 ms: about 8 attempts in 300 ms, not thousands.
    expect(attempts).toBeGreaterThanOrEqual(5);
    expect(attempts).toBeLessThanOrEqual(12);
  });

  it('ENOTSUP, saying why, where struct flock is unknown; capabilities.locks is false', async () => {
    const fs = new NodeFs(() => patched({ fcntlLock: undefined }), () => '');
    expect(fs.capabilities.locks).toBe(false);
    const e = (await fs.lockFile(join(dir, '.lock'), 'shared').catch((err: unknown) => err)) as FsError;
    expect(e.code).toBe('ENOTSUP');
    expect(e.message).toContain('struct flock');
    expect(await stat(join(dir, '.lock')).catch(() => 'absent')).toBe('absent');
  });
});
