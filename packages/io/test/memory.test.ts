/** memoryFs behaviour beyond the conformance suite: options, permissions, limits, bookkeeping. */
import { describe, expect, it } from 'vitest';
import { FsError, memoryFs, type Fs } from '@ostree-ts/io';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

async function codeOf(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return 'no error';
}

describe('memoryFs options', () => {
  it('starts with an empty root owned by the caller', async () => {
    const fs = memoryFs({ uid: 1000, gid: 100 });
    expect(await fs.readdir('/')).toEqual([]);
    const st = await fs.lstat('/');
    expect([st.type, st.mode & 0o7777, st.uid, st.gid]).toEqual(['directory', 0o755, 1000, 100]);
  });

  it('uses the clock for modification times of files and parents', async () => {
    let now = 1000;
    const fs = memoryFs({ now: () => now });
    now = 2000;
    await fs.mkdir('/d');
    expect((await fs.lstat('/d')).mtimeMs).toBe(2000);
    expect((await fs.lstat('/')).mtimeMs).toBe(2000);
    now = 3000;
    await fs.writeFile('/d/f', enc('x'));
    expect((await fs.lstat('/d')).mtimeMs).toBe(3000);
    expect((await fs.lstat('/d/f')).mtimeMs).toBe(3000);
    now = 4000;
    const h = await fs.openWrite('/d/g');
    now = 5000;
    await h.write(enc('y'));
    await h.close();
    expect((await fs.lstat('/d/g')).mtimeMs).toBe(5000);
    now = 6000;
    await fs.rename('/d/f', '/f');
    expect((await fs.lstat('/d')).mtimeMs).toBe(6000);
    expect((await fs.lstat('/f')).mtimeMs).toBe(3000); // renaming does not touch the file's mtime
    now = 7000;
    await fs.unlink('/f');
    expect((await fs.lstat('/')).mtimeMs).toBe(7000);
  });

  it('applies the umask to new files and directories', async () => {
    const fs = memoryFs({ umask: 0o027 });
    await fs.writeFile('/f', enc(''), { mode: 0o666 });
    await fs.mkdir('/d', { mode: 0o777 });
    expect((await fs.lstat('/f')).mode & 0o777).toBe(0o640);
    expect((await fs.lstat('/d')).mode & 0o777).toBe(0o750);
    expect((await fs.lstat('/')).mode & 0o777).toBe(0o755);
  });

  it('capabilities can be switched off', async () => {
    const fs = memoryFs({ capabilities: { xattrs: false, hardlinks: false } });
    expect(fs.capabilities).toEqual({ xattrs: false, chown: true, hardlinks: false, atomicNoReplace: true, locks: true });
    await fs.writeFile('/f', enc('x'));
    expect(await codeOf(() => fs.setXattr('/f', 'user.a', enc('v')))).toBe('ENOTSUP');
    expect(await codeOf(() => fs.getXattrs('/f'))).toBe('ENOTSUP');
    expect(await codeOf(() => fs.link('/f', '/g'))).toBe('EPERM');
    expect(memoryFs({ uid: 5 }).capabilities.chown).toBe(false);
  });
});

describe('memoryFs errors', () => {
  it('are FsError instances with code, syscall and path', async () => {
    const fs = memoryFs();
    const e = await fs.lstat('/nope').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(FsError);
    expect(e).toMatchObject({ code: 'ENOENT', path: '/nope', message: 'ENOENT: lstat "/nope"' });
  });

  it('EXDEV never happens: everything is one filesystem', async () => {
    const fs = memoryFs();
    await fs.mkdir('/a/b/c', { recursive: true });
    await fs.mkdir('/x');
    await fs.writeFile('/a/b/c/f', enc('x'));
    await fs.rename('/a/b/c/f', '/x/f', { noReplace: true });
    await fs.rename('/a', '/x/a');
    expect(await fs.readdir('/x')).toEqual(['f', 'a']);
  });

  it('rejects NUL in paths, empty paths, and over-long paths', async () => {
    const fs = memoryFs();
    expect(await codeOf(() => fs.lstat('/a\0b'))).toBe('EINVAL');
    expect(await codeOf(() => fs.lstat(''))).toBe('ENOENT');
    expect(await codeOf(() => fs.lstat(`/${'a/'.repeat(2048)}`))).toBe('ENAMETOOLONG');
    expect(await codeOf(() => fs.symlink('x'.repeat(4096), '/l'))).toBe('ENAMETOOLONG');
  });

  it('special last components: ., .. and /', async () => {
    const fs = memoryFs();
    await fs.mkdir('/d/sub', { recursive: true });
    expect(await codeOf(() => fs.rmdir('/d/sub/.'))).toBe('EINVAL');
    expect(await codeOf(() => fs.rmdir('/d/sub/..'))).toBe('ENOTEMPTY');
    expect(await codeOf(() => fs.rmdir('/'))).toBe('EBUSY');
    expect(await codeOf(() => fs.unlink('/d/.'))).toBe('EISDIR');
    expect(await codeOf(() => fs.mkdir('/d/..'))).toBe('EEXIST');
    expect(await codeOf(() => fs.rename('/d/.', '/x'))).toBe('EBUSY');
    expect(await codeOf(() => fs.rename('/d/sub', '/d/..'))).toBe('EBUSY');
    expect(await codeOf(() => fs.rename('/d', '/x/..'))).toBe('ENOENT');
    expect(await codeOf(() => fs.writeFile('/d/.', enc('')))).toBe('EISDIR');
    expect(await codeOf(() => fs.removeTree('/d/..'))).toBe('EINVAL');
    expect(await codeOf(() => fs.removeTree('/'))).toBe('EBUSY');
    expect(await fs.readdir('/d/sub/../..')).toEqual(['d']);
    expect(await fs.readdir('/..')).toEqual(['d']); // the root is its own parent
  });

  it('relative paths start at the root (the simulated cwd)', async () => {
    const fs = memoryFs();
    await fs.mkdir('d');
    await fs.writeFile('d/f', enc('rel'));
    expect(dec(await fs.readFile('/d/f'))).toBe('rel');
  });

  it('follows exactly 40 symlinks per lookup', async () => {
    const fs = memoryFs();
    await fs.writeFile('/f', enc('x'));
    await fs.symlink('f', '/l0');
    for (let i = 1; i <= 40; i++) await fs.symlink(`l${i - 1}`, `/l${i}`);
    expect((await fs.stat('/l39')).type).toBe('file');
    expect(await codeOf(() => fs.stat('/l40'))).toBe('ELOOP');
  });

  it('a symlink to / and symlinks with trailing slashes', async () => {
    const fs = memoryFs();
    await fs.mkdir('/d');
    await fs.writeFile('/f', enc('x'));
    await fs.symlink('/', '/root');
    await fs.symlink('f/', '/fslash');
    await fs.symlink('d/', '/dslash');
    expect((await fs.stat('/root')).ino).toBe((await fs.lstat('/')).ino);
    expect(await fs.readdir('/root/')).toEqual(['d', 'f', 'root', 'fslash', 'dslash']);
    expect(await codeOf(() => fs.stat('/fslash'))).toBe('ENOTDIR');
    expect((await fs.stat('/dslash')).type).toBe('directory');
  });

  it('xattr limits: name length ERANGE, value size E2BIG, empty suffix EINVAL, system.* ENOTSUP', async () => {
    const fs = memoryFs();
    await fs.writeFile('/f', enc('x'));
    expect(await codeOf(() => fs.setXattr('/f', `user.${'a'.repeat(251)}`, enc('')))).toBe('ERANGE');
    await fs.setXattr('/f', `user.${'a'.repeat(250)}`, enc(''));
    expect(await codeOf(() => fs.setXattr('/f', 'user.big', new Uint8Array(65537)))).toBe('E2BIG');
    await fs.setXattr('/f', 'user.big', new Uint8Array(65536));
    expect(await codeOf(() => fs.setXattr('/f', 'user.', enc('')))).toBe('EINVAL');
    expect(await codeOf(() => fs.setXattr('/f', 'system.posix_acl_access', enc('')))).toBe('ENOTSUP');
    expect(await codeOf(() => fs.setXattr('/f', 'user', enc('')))).toBe('ENOTSUP');
    await fs.setXattr('/f', 'security.selinux', enc('ctx'));
    expect(dec((await fs.getXattr('/f', 'security.selinux')) as Uint8Array)).toBe('ctx');
  });
});

describe('memoryFs as an unprivileged user', () => {
  async function asUser(): Promise<Fs> {
    const fs = memoryFs({ uid: 1000, gid: 1000 });
    await fs.mkdir('/home');
    return fs;
  }

  it('EACCES: reading unreadable files, writing into read-only directories, searching unsearchable ones', async () => {
    const fs = await asUser();
    await fs.writeFile('/home/secret', enc('x'), { mode: 0o200 });
    expect(await codeOf(() => fs.readFile('/home/secret'))).toBe('EACCES');
    expect(await codeOf(() => fs.openRead('/home/secret'))).toBe('EACCES');
    expect(await codeOf(() => fs.fsync('/home/secret'))).toBe('EACCES');
    await fs.writeFile('/home/secret', enc('y'), { exclusive: false }); // write permission is enough
    await fs.chmod('/home/secret', 0o400);
    expect(await codeOf(() => fs.writeFile('/home/secret', enc('z'), { exclusive: false }))).toBe('EACCES');
    expect(await codeOf(() => fs.setXattr('/home/secret', 'user.a', enc('')))).toBe('EACCES');
    await fs.chmod('/home', 0o555);
    expect(await codeOf(() => fs.writeFile('/home/new', enc('')))).toBe('EACCES');
    expect(await codeOf(() => fs.unlink('/home/secret'))).toBe('EACCES');
    expect(await codeOf(() => fs.mkdir('/home/d'))).toBe('EACCES');
    expect(await codeOf(() => fs.rename('/home/secret', '/moved'))).toBe('EACCES');
    expect(await codeOf(() => fs.removeTree('/home'))).toBe('EACCES');
    await fs.chmod('/home', 0o300);
    expect(await codeOf(() => fs.readdir('/home'))).toBe('EACCES');
    expect((await fs.lstat('/home/secret')).type).toBe('file'); // search (x) is still allowed
    await fs.chmod('/home', 0o600);
    expect(await codeOf(() => fs.lstat('/home/secret'))).toBe('EACCES');
    await fs.chmod('/home', 0o700);
    await fs.removeTree('/home');
    expect(await fs.readdir('/')).toEqual([]);
  });

  it('root bypasses permission bits', async () => {
    const root = memoryFs();
    await root.mkdir('/locked', { mode: 0o000 });
    await root.writeFile('/locked/f', enc('x'), { mode: 0o000 });
    expect(dec(await root.readFile('/locked/f'))).toBe('x');
    await root.removeTree('/locked');
  });

  it('EPERM on files owned by someone else', async () => {
    const root = memoryFs();
    await root.writeFile('/f', enc('x'));
    await root.mkdir('/home');
    await root.lchown('/home', 1000, 1000);
    const user = root.withCaller({ uid: 1000, gid: 1000 });
    expect(user.capabilities.chown).toBe(false);
    expect(await codeOf(() => user.chmod('/f', 0o777))).toBe('EPERM');
    expect(await codeOf(() => user.lutimes('/f', 0, 0))).toBe('EPERM');
    expect(await codeOf(() => user.lchown('/f', 1000, 1000))).toBe('EPERM');
    expect(await codeOf(() => user.setXattr('/f', 'user.a', enc('')))).toBe('EACCES'); // needs write permission
    expect(await codeOf(() => user.unlink('/f'))).toBe('EACCES'); // / belongs to root
    await user.writeFile('/home/mine', enc('x'));
    expect(await codeOf(() => user.lchown('/home/mine', 0, 1000))).toBe('EPERM');
    expect(await codeOf(() => user.lchown('/home/mine', 1000, 0))).toBe('EPERM');
    await user.lchown('/home/mine', -1, 1000);
    await user.lchown('/home/mine', 1000, -1);
    expect(await codeOf(() => user.setXattr('/home/mine', 'trusted.a', enc('')))).toBe('EPERM');
    expect(await codeOf(() => user.setXattr('/home/mine', 'security.a', enc('')))).toBe('EPERM');
    await user.setXattr('/home/mine', 'user.a', enc('ok'));
    const st = await root.lstat('/home/mine');
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([1000, 1000, 0o644]);
  });

  it('trusted.* attributes are invisible to unprivileged callers', async () => {
    const root = memoryFs();
    await root.writeFile('/f', enc('x'), { mode: 0o644 });
    await root.setXattr('/f', 'trusted.a', enc('hidden'));
    await root.setXattr('/f', 'user.b', enc('visible'));
    const user = root.withCaller({ uid: 1000, gid: 1000 });
    expect(await user.getXattr('/f', 'trusted.a')).toBeUndefined();
    expect((await user.getXattrs('/f')).map(([n]) => n)).toEqual(['user.b']);
    expect((await root.getXattrs('/f')).map(([n]) => n)).toEqual(['trusted.a', 'user.b']);
  });

  it('setgid directories pass on their group; chmod drops setgid for a foreign group', async () => {
    const root = memoryFs();
    await root.mkdir('/g');
    await root.lchown('/g', 0, 50);
    await root.chmod('/g', 0o2777);
    await root.writeFile('/g/f', enc(''));
    await root.mkdir('/g/sub');
    expect((await root.lstat('/g/f')).gid).toBe(50);
    const sub = await root.lstat('/g/sub');
    expect([sub.gid, sub.mode & 0o2000]).toEqual([50, 0o2000]);
    const user = root.withCaller({ uid: 1000, gid: 1000 });
    await user.writeFile('/g/u', enc(''));
    expect((await user.lstat('/g/u')).gid).toBe(50);
    await user.chmod('/g/u', 0o2755);
    expect((await user.lstat('/g/u')).mode & 0o7777).toBe(0o755); // not in group 50
    await user.mkdir('/g/own');
    await user.lchown('/g/own', -1, 1000);
    await user.writeFile('/g/own/f', enc(''));
    await user.lchown('/g/own/f', -1, 1000);
    await user.chmod('/g/own/f', 0o2755);
    expect((await user.lstat('/g/own/f')).mode & 0o7777).toBe(0o2755); // own group: kept
  });

  it('sticky directories: only owners remove or rename entries', async () => {
    const root = memoryFs();
    await root.mkdir('/tmp', { mode: 0o777 });
    await root.chmod('/tmp', 0o1777);
    await root.writeFile('/tmp/roots', enc(''));
    const user = root.withCaller({ uid: 1000, gid: 1000 });
    await user.writeFile('/tmp/mine', enc(''));
    expect(await codeOf(() => user.unlink('/tmp/roots'))).toBe('EPERM');
    expect(await codeOf(() => user.rename('/tmp/roots', '/tmp/x'))).toBe('EPERM');
    expect(await codeOf(() => user.rename('/tmp/mine', '/tmp/roots'))).toBe('EPERM');
    await user.rename('/tmp/mine', '/tmp/mine2');
    await user.unlink('/tmp/mine2');
    const other = root.withCaller({ uid: 2000, gid: 2000 });
    await user.writeFile('/tmp/users', enc(''));
    expect(await codeOf(() => other.unlink('/tmp/users'))).toBe('EPERM');
    await root.unlink('/tmp/users');
    expect(await root.readdir('/tmp')).toEqual(['roots']);
  });

  it('views share inodes, each with its own umask', async () => {
    const root = memoryFs();
    const user = root.withCaller({ uid: 1000, gid: 1000, umask: 0o077 });
    await root.chmod('/', 0o777);
    await user.writeFile('/u', enc('x'));
    expect(((await root.lstat('/u')).mode & 0o777)).toBe(0o600);
    expect((await root.lstat('/u')).uid).toBe(1000);
    await root.writeFile('/r', enc('x'));
    expect(((await user.lstat('/r')).mode & 0o777)).toBe(0o644);
  });
});

describe('memoryFs bookkeeping', () => {
  it('directory link counts are 2 + subdirectories, 0 once removed', async () => {
    const fs = memoryFs();
    await fs.mkdir('/d/a', { recursive: true });
    await fs.mkdir('/d/b');
    await fs.writeFile('/d/f', enc(''));
    expect((await fs.lstat('/d')).nlink).toBe(4);
    await fs.rename('/d/a', '/a');
    expect((await fs.lstat('/d')).nlink).toBe(3);
    expect((await fs.lstat('/')).nlink).toBe(4);
    await fs.rmdir('/d/b');
    expect((await fs.lstat('/d')).nlink).toBe(2);
    await fs.mkdir('/e');
    await fs.rename('/a', '/e'); // replaces the empty /e
    expect((await fs.lstat('/')).nlink).toBe(4);
  });

  it('inode numbers are unique and never reused', async () => {
    const fs = memoryFs();
    const seen = new Set<bigint>([(await fs.lstat('/')).ino]);
    for (let i = 0; i < 50; i++) {
      await fs.writeFile('/f', enc(''));
      const ino = (await fs.lstat('/f')).ino;
      expect(seen.has(ino)).toBe(false);
      seen.add(ino);
      await fs.unlink('/f');
    }
  });

  it('open handles keep working on unlinked and replaced files', async () => {
    const fs = memoryFs();
    const w = await fs.openWrite('/f');
    await w.write(enc('abc'));
    await fs.rename('/f', '/g');
    await w.write(enc('def'));
    await w.close();
    expect(dec(await fs.readFile('/g'))).toBe('abcdef');
    const r = await fs.openRead('/g');
    await fs.writeFile('/h', enc('other'));
    await fs.rename('/h', '/g');
    const buf = new Uint8Array(6);
    expect(await r.read(buf, 0, 6, 0)).toBe(6);
    expect(dec(buf)).toBe('abcdef');
    expect((await r.stat()).nlink).toBe(0);
    await r.close();
    await r.close(); // idempotent, like Node's FileHandle
  });

  it('many small writes grow the file correctly', async () => {
    const fs = memoryFs();
    const w = await fs.openWrite('/f');
    const expected: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const chunk = Uint8Array.from({ length: i % 17 }, (_, j) => (i + j) & 0xff);
      expected.push(...chunk);
      await w.write(chunk);
    }
    await w.close();
    expect([...(await fs.readFile('/f'))]).toEqual(expected);
    expect((await fs.lstat('/f')).size).toBe(expected.length);
  });
});

describe('memoryFs locks', () => {
  it('are shared by every view of one tree, like locks between processes of different users', async () => {
    const root = memoryFs();
    await root.mkdir('/repo');
    await root.chmod('/repo', 0o777);
    const user = root.withCaller({ uid: 1000, gid: 1000, umask: 0o002 });
    const held = await user.lockFile('/repo/.lock', 'shared');
    const st = await root.lstat('/repo/.lock');
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([1000, 1000, 0o660]); // the caller's umask
    expect(await codeOf(() => root.lockFile('/repo/.lock', 'exclusive'))).toBe('EAGAIN');
    await (await root.lockFile('/repo/.lock', 'shared')).release();
    await held.release();
    await (await root.lockFile('/repo/.lock', 'exclusive')).release();
    expect(await codeOf(() => memoryFs().lockFile('/.lock', 'exclusive').then((l) => l.release()))).toBe('no error');
  });

  it('need read and write permission on the file, and on the directory to create it (EACCES)', async () => {
    const root = memoryFs();
    await root.writeFile('/ro', enc('x'), { mode: 0o644 });
    await root.mkdir('/d', { mode: 0o755 });
    const user = root.withCaller({ uid: 1000, gid: 1000 });
    expect(await codeOf(() => user.lockFile('/ro', 'shared'))).toBe('EACCES'); // opened O_RDWR, as ostree does
    expect(await codeOf(() => user.lockFile('/d/.lock', 'shared'))).toBe('EACCES');
    expect(await root.lstatIfExists('/d/.lock')).toBeUndefined();
    await root.chmod('/ro', 0o666);
    await (await user.lockFile('/ro', 'exclusive')).release();
  });

  it('a lock file in a setgid directory gets its group; the lock survives an unlink of its name', async () => {
    const root = memoryFs();
    await root.mkdir('/g');
    await root.lchown('/g', 0, 50);
    await root.chmod('/g', 0o2775);
    const l = await root.lockFile('/g/.lock', 'exclusive');
    expect((await root.lstat('/g/.lock')).gid).toBe(50);
    await root.rename('/g/.lock', '/g/old');
    await root.unlink('/g/old');
    await (await root.lockFile('/g/.lock', 'exclusive')).release(); // a new inode: not locked
    await l.release();
  });

  it('a waiter with Infinity waits until the release, without a timer', async () => {
    const fs = memoryFs();
    const x = await fs.lockFile('/l', 'exclusive');
    const waiting = fs.lockFile('/l', 'exclusive', { waitMs: Infinity });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await x.release();
    await (await waiting).release();
  });

  it('a failed wait leaves no waiter behind', async () => {
    const fs = memoryFs();
    const x = await fs.lockFile('/l', 'exclusive');
    const e = await fs.lockFile('/l', 'shared', { waitMs: 5 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(FsError);
    expect((e as FsError).message).toBe('EAGAIN: fcntl "/l" (locked by another holder; gave up after 5 ms)');
    await x.release();
    // Had the timed-out waiter stayed queued, the release would have handed it the lock.
    await (await fs.lockFile('/l', 'exclusive')).release();
  });
});
