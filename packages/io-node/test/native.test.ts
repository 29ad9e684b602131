/** The koffi/libc layer: errno mapping, buffer growth, fallbacks, and what happens without it. */
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsError } from '@ostree-ts/io';
import { nodeFs } from '@ostree-ts/io-node';
import { ENODATA, ENOSYS, ERANGE, EINVAL, errnoName, loadLibc, type Libc } from '../src/native.js';
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
